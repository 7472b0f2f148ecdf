// Settle an attempt whose outcome is not known (unknown, in flight after a
// crash, or pending at the provider) by asking the provider by external id;
// the domain decides what the answer means (applied, retried after "not
// found", or confirmed "not found" on the last attempt).
import {
  type AirtimeProvider,
  type AttemptNotFound,
  type Clock,
  type IllegalTransition,
  isSettled,
  lastAttemptOf,
  type PersistenceFailure,
  type ProviderError,
  resolveUnknownAttempt,
  type StatusQueryUnsupported,
  type TopUp,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect } from 'effect';
import { queryAttemptStatus } from '../send-attempt/send-attempt.use-case';
import {
  changeTopUpFrom,
  loadTopUp,
  type SaveError,
  type SaveServices,
  type VersionedTopUp,
} from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';

export type SettleUnknownAttemptResult =
  /** The provider's answer changed the top-up. */
  | { readonly _tag: 'Settled'; readonly topUp: TopUp }
  /** Nothing to settle (no attempt, or the last one is settled), or the answer changed nothing (still pending). */
  | { readonly _tag: 'Unchanged'; readonly topUp: TopUp }
  /**
   * The provider cannot be asked (Africa's Talking, engageSPARK): the
   * attempt waits for the provider's callback or for reconciliation, never
   * a resend.
   */
  | { readonly _tag: 'QueryUnsupported'; readonly topUp: TopUp; readonly howToSettle: string };

export type SettleUnknownAttemptError =
  | TopUpNotFound
  | Exclude<ProviderError, StatusQueryUnsupported>
  | AttemptNotFound
  | IllegalTransition
  | SaveError
  | PersistenceFailure;

/**
 * Asks the provider what became of the top-up's last attempt when it is not
 * settled, and applies the answer (`resolveUnknownAttempt`) with its ledger
 * movements and events. A transaction that does not hold to the request is
 * a `ProviderAnswerMismatch` and changes nothing; a provider that cannot be
 * asked answers `QueryUnsupported`.
 *
 * `known` is the top-up as the caller holds it at its stored version (the
 * stalled-top-up loop's page; a copy of another top-up is a defect), used
 * instead of a first read. The answer is applied to it under that version;
 * when the top-up changed meanwhile, that write fails and the answer is
 * decided again on a fresh read (`changeTopUpFrom`), where an attempt
 * settled meanwhile takes it as a stale answer and changes nothing.
 */
export const settleUnknownAttempt = (
  topUpId: string,
  known?: VersionedTopUp,
): Effect.Effect<
  SettleUnknownAttemptResult,
  SettleUnknownAttemptError,
  SaveServices | AirtimeProvider | Clock | UnitOfWork
> =>
  Effect.gen(function* () {
    if (known !== undefined && known.topUp.id !== topUpId)
      return yield* Effect.dieMessage(`settleUnknownAttempt: the copy in hand is of another top-up than ${topUpId}`);
    const first = known ?? (yield* loadTopUp(topUpId));
    const { topUp } = first;
    const attempt = lastAttemptOf(topUp);
    if (attempt === undefined || isSettled(attempt)) return { _tag: 'Unchanged', topUp } as const;
    const answer = yield* Effect.either(queryAttemptStatus(topUp, attempt));
    if (answer._tag === 'Left') {
      const error = answer.left;
      return error._tag === 'StatusQueryUnsupported'
        ? ({ _tag: 'QueryUnsupported', topUp, howToSettle: error.howToSettle } as const)
        : yield* Effect.fail(error);
    }
    // decided on the first read; a change meanwhile (a callback) makes it decide again on a fresh one
    const result = yield* changeTopUpFrom(first, (current, now) =>
      resolveUnknownAttempt(current, answer.right, now, { attemptNumber: attempt.number }),
    );
    return result.changed
      ? ({ _tag: 'Settled', topUp: result.topUp } as const)
      : ({ _tag: 'Unchanged', topUp: result.topUp } as const);
  });
