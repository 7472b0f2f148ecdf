// Request a top-up: decode and check the request, claim (account, external
// id), quote it (operator and products through the cached catalogue), create
// the top-up and hold its cost, all written in one unit of work with its
// events (and the inbox claim of the message that carried it, when given).
import {
  Clock,
  createTopUp,
  type DuplicateKey,
  IdGenerator,
  type InvalidIdentifier,
  type InvalidTopUp,
  type LedgerError,
  type PersistenceFailure,
  type Quote,
  rejectForRefusedHold,
  type TopUp,
  type TopUpChange,
  TopUpRepository,
  UnitOfWork,
} from '@airtime/domain';
import { Effect, type Either, Option } from 'effect';
import { CallbackDeliveryStore } from '../ports/callback-deliveries.port';
import { Inbox } from '../ports/inbox.port';
import type { ProviderCatalogue } from '../ports/provider-catalogue.port';
import { type StoredTopUpRequest, TopUpRequestStore } from '../ports/top-up-requests.port';
import type { InvalidTopUpRequest } from '../quote-top-up/quote-top-up.errors';
import { type QuoteError, quoteFor } from '../quote-top-up/quote-top-up.use-case';
import { decodeRequest } from '../quote-top-up/top-up-request.check';
import { applyLedgerMovements, type SaveServices, saveNewTopUp } from '../top-up-change/save-top-up-change.use-case';
import {
  type CheckedTopUpRequest,
  checkTopUpRequest,
  firstDifference,
  type TopUpRequestRules,
} from './request-top-up.check';
import { CallbackSecretMissing, ExternalIdConflict } from './request-top-up.errors';
import { RequestTopUpInput } from './request-top-up.input';

export type RequestTopUpResult =
  /**
   * A new top-up (REJECTED when the ledger refused its hold for funds), with
   * its stored version (the one its next update names; see `VersionedTopUp`).
   */
  | { readonly _tag: 'Created'; readonly topUp: TopUp; readonly version: number }
  /** The same request again (same key, same payload): the top-up it created, as it is now. */
  | { readonly _tag: 'Repeated'; readonly topUp: TopUp }
  /** The message was already processed (the inbox holds its id): nothing done. */
  | { readonly _tag: 'AlreadyProcessed' };

export interface RequestTopUpOptions extends TopUpRequestRules {
  /** Record the carrying message in the inbox, in the same unit of work as the top-up. */
  readonly inbox?: { readonly consumer: string; readonly messageId: string } | undefined;
}

export type RequestTopUpError =
  | InvalidTopUpRequest
  | ExternalIdConflict
  | CallbackSecretMissing
  | QuoteError
  | InvalidTopUp
  | InvalidIdentifier
  | LedgerError
  | DuplicateKey
  | PersistenceFailure;

export type RequestTopUpServices =
  SaveServices | ProviderCatalogue | Inbox | Clock | UnitOfWork | CallbackDeliveryStore;

/**
 * A request with a callback URL needs its account's signing secret: without
 * one, no callback could be sent (`CallbackSecretMissing`). Also checked by
 * `planResendFor`, so that no resend is offered that this would refuse.
 */
export const checkCallbackSecret = (
  request: CheckedTopUpRequest,
): Effect.Effect<void, CallbackSecretMissing | PersistenceFailure, CallbackDeliveryStore> =>
  request.callbackUrl === undefined
    ? Effect.void
    : Effect.flatMap(CallbackDeliveryStore, (store) =>
        Effect.flatMap(store.signingSecretOf(request.accountId), (secret) =>
          Option.isSome(secret) ? Effect.void : Effect.fail(new CallbackSecretMissing()),
        ),
      );

const claimMessage = (options: RequestTopUpOptions): Effect.Effect<boolean, PersistenceFailure, Inbox> =>
  options.inbox === undefined
    ? Effect.succeed(true)
    : Effect.flatMap(Inbox, (inbox) => inbox.claim(options.inbox?.consumer ?? '', options.inbox?.messageId ?? ''));

/** The top-up of an earlier request under the same key: the same payload, or a conflict naming the field. */
const earlierTopUp = (
  request: CheckedTopUpRequest,
): Effect.Effect<Option.Option<TopUp>, ExternalIdConflict | PersistenceFailure, TopUpRequestStore | TopUpRepository> =>
  Effect.gen(function* () {
    const stored = yield* (yield* TopUpRequestStore).find(request.accountId, request.externalId);
    if (Option.isNone(stored)) return Option.none();
    const found = yield* (yield* TopUpRepository).findById(stored.value.topUpId);
    if (Option.isNone(found)) return Option.none();
    const field = firstDifference(stored.value, found.value.topUp.destination, request);
    return field === undefined ? Option.some(found.value.topUp) : yield* new ExternalIdConflict({ field });
  });

const repeatOf = (
  topUp: TopUp,
  options: RequestTopUpOptions,
): Effect.Effect<RequestTopUpResult, PersistenceFailure, Inbox | UnitOfWork> =>
  Effect.flatMap(UnitOfWork, (unitOfWork) =>
    Effect.map(unitOfWork.transactionally(claimMessage(options)), (claimed): RequestTopUpResult =>
      claimed ? { _tag: 'Repeated', topUp } : { _tag: 'AlreadyProcessed' },
    ),
  );

/** A new top-up in memory (nothing written yet): created by the domain with its hold, its request to store, and when. */
export interface NewTopUp {
  readonly created: TopUpChange;
  readonly stored: StoredTopUpRequest;
  readonly now: Date;
}

/**
 * Quotes a checked request (the cached catalogue), unless its `quote` is
 * given (a batch quotes its requests at once), and creates its top-up in
 * memory, with a new id and callback token.
 */
export const newTopUpFor = (
  request: CheckedTopUpRequest,
  quoted?: Either.Either<Quote, QuoteError>,
): Effect.Effect<NewTopUp, QuoteError | InvalidTopUp | InvalidIdentifier, RequestTopUpServices> =>
  Effect.gen(function* () {
    const quote = yield* quoted ?? quoteFor(request.quote);
    const ids = yield* IdGenerator;
    const now = yield* (yield* Clock).now();
    const id = yield* ids.next();
    const created = yield* createTopUp({
      id,
      accountId: request.accountId,
      externalId: request.externalId,
      destination: request.quote.destination,
      quote,
      now,
    });
    const stored: StoredTopUpRequest = {
      topUpId: id,
      accountId: request.accountId,
      externalId: request.externalId,
      request: request.canonical,
      callbackUrl: request.callbackUrl,
      callbackToken: yield* ids.secretToken(),
    };
    return { created, stored, now };
  });

const createFor = (
  request: CheckedTopUpRequest,
  options: RequestTopUpOptions,
): Effect.Effect<RequestTopUpResult, Exclude<RequestTopUpError, InvalidTopUpRequest>, RequestTopUpServices> =>
  Effect.gen(function* () {
    const earlier = yield* earlierTopUp(request);
    if (Option.isSome(earlier)) return yield* repeatOf(earlier.value, options);
    const { created, stored, now } = yield* newTopUpFor(request);
    return yield* (yield* UnitOfWork).transactionally(
      Effect.gen(function* () {
        if (!(yield* claimMessage(options))) return { _tag: 'AlreadyProcessed' } as const;
        // a refusal for funds is the ledger's answer, kept with the top-up: a failed claim stays failed
        const change = yield* applyLedgerMovements(created.topUp, created.movements).pipe(
          Effect.as({ topUp: created.topUp, movements: [] }),
          Effect.catchTag('InsufficientFunds', () => rejectForRefusedHold(created.topUp, now)),
        );
        // after the hold, so that an account the ledger does not know is refused as such; nothing is kept
        yield* checkCallbackSecret(request);
        const saved = yield* saveNewTopUp(change, stored);
        yield* (yield* TopUpRequestStore).record(stored);
        return { _tag: 'Created', topUp: saved.topUp, version: saved.version } as const;
      }),
    );
  });

/**
 * Requests a top-up from an untrusted input (`RequestTopUpInput`). A repeat
 * of (account, external id) with the same payload answers `Repeated` with the
 * existing top-up; with another payload, `ExternalIdConflict` naming the
 * field. Otherwise the number's operator and products are looked up
 * (cached), the denomination selected (`product_id` narrows the products,
 * `exact_amount` refuses any other amount), the top-up created and its cost
 * held, with its `topup.created` event. A hold refused for funds is
 * committed as a REJECTED top-up (`topup.created` then `topup.failed`), the
 * same answer for every repeat. With `options.inbox`, the message id is
 * claimed in the same unit of work: an already processed message answers
 * `AlreadyProcessed`. When a concurrent twin wins the key, the request is
 * read again and answers as a repeat. A callback URL must be https to a
 * public host unless `options.allowPrivateCallbackHosts` (local set-ups),
 * and its account must have a callback signing secret (else
 * `CallbackSecretMissing`, nothing written; a repeat is answered as one);
 * ids must be Unicode NFC; metadata keys never `__proto__`, `constructor`
 * or `prototype`.
 */
export const requestTopUp = (
  input: unknown,
  options: RequestTopUpOptions = {},
): Effect.Effect<RequestTopUpResult, RequestTopUpError, RequestTopUpServices> =>
  Effect.gen(function* () {
    const request = yield* Effect.flatMap(decodeRequest(RequestTopUpInput)(input), (decoded) =>
      checkTopUpRequest(decoded, options),
    );
    return yield* createFor(request, options).pipe(Effect.catchTag('DuplicateKey', () => createFor(request, options)));
  });
