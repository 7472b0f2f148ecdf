// Everything the console shows of one top-up of the caller's accounts: the
// top-up, its request's extras, its provider exchanges, its ledger movements,
// its events, and its resend links (what it resends, what resent it).
import type { JournalEntry, PersistenceFailure, TopUp, TopUpRepository } from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import type { ScopedRequest } from '../api-access/api-principal';
import type { FindTopUpInputJson } from '../find-top-up/find-top-up.input';
import { findTopUp } from '../find-top-up/find-top-up.use-case';
import { LedgerQueries } from '../ports/ledger-queries.port';
import { type StoredTopUpEvent, TopUpQueries } from '../ports/top-up-queries.port';
import { TopUpRequestStore } from '../ports/top-up-requests.port';
import { type StoredExchange, TransferLog } from '../ports/transfer-log.port';
import { resendFamilyOf, type ResendRefusal, resendRefusalOf } from '../resend-top-up/resend-family.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';

/** What the caller sent with its request beyond what the top-up keeps. */
export interface TopUpRequestExtras {
  /** The caller's metadata object, as stored (a resend's carries `resend_of`). */
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  /** The caller's callback URL, as stored (normalised). */
  readonly callbackUrl: string | undefined;
}

/** One top-up as the console shows it. */
export interface TopUpDetail {
  readonly topUp: TopUp;
  /** The request's metadata and callback URL (never its callback token). */
  readonly extras: TopUpRequestExtras;
  /** Every provider exchange of every attempt, oldest first, as the provider transport redacted it. */
  readonly exchanges: readonly StoredExchange[];
  /** Its hold's journal entries (AUTHORIZE, then VOID or CAPTURE, then REVERSE), oldest first; amounts in minor units. */
  readonly movements: readonly JournalEntry[];
  /** Its outbox events in the order they were appended, with when each was published. */
  readonly events: readonly StoredTopUpEvent[];
  /**
   * The top-up it resends: the one its request's metadata names in
   * `resend_of`, when that is a top-up of the same account (else undefined:
   * metadata is the caller's, and may name anything).
   */
  readonly resendOf: TopUp | undefined;
  /** The top-ups resending it (their request's `resend_of` is its id), newest first. */
  readonly resentAs: readonly TopUp[];
  /** Why it may not be resent now (see `planResendFor`), or undefined when it may. */
  readonly resendRefusal: ResendRefusal | undefined;
}

export type TopUpDetailForError = InvalidInput | TopUpNotFound | PersistenceFailure;

export type TopUpDetailForServices = TopUpRepository | TopUpRequestStore | TopUpQueries | LedgerQueries | TransferLog;

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The top-up `topUpId` of one of the principal's accounts with all the
 * console shows of it (see `TopUpDetail`); `TopUpNotFound` when it does not
 * exist or belongs to another account (one answer for both, as
 * `findTopUp`); `InvalidInput` (field `topUpId`) for an id that breaks the
 * identifier rule. The reads are not one snapshot: a top-up that moves
 * meanwhile may show an event or a movement newer than its status.
 */
export const topUpDetailFor = (
  request: ScopedRequest<FindTopUpInputJson>,
): Effect.Effect<TopUpDetail, TopUpDetailForError, TopUpDetailForServices> =>
  Effect.gen(function* () {
    const found = yield* findTopUp(request);
    const { topUp } = found;
    const family = yield* resendFamilyOf(topUp, found.request);
    const reads = yield* Effect.all(
      {
        exchanges: Effect.flatMap(TransferLog, (log) => log.forTopUp(topUp.id)),
        movements: Effect.flatMap(LedgerQueries, (queries) => queries.movementsOf(topUp.accountId, topUp.id)),
        events: Effect.flatMap(TopUpQueries, (queries) => queries.eventsOf(topUp.id)),
        // the family's resends are the original's: this top-up's own when it is the original
        resentAs:
          family.original.id === topUp.id
            ? Effect.succeed(family.resends)
            : Effect.flatMap(TopUpQueries, (queries) => queries.resendsOf(topUp.accountId, topUp.id)),
      },
      { concurrency: 'unbounded' },
    );
    const metadata = found.request.request['metadata'];
    return {
      topUp,
      extras: { metadata: isObject(metadata) ? metadata : undefined, callbackUrl: found.request.callbackUrl },
      ...reads,
      resendOf: Option.getOrUndefined(family.resendOf),
      resendRefusal: resendRefusalOf(topUp, family),
    };
  });
