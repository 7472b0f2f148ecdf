// Cancel a top-up still in CREATED (none of its attempts unsettled): the
// domain decides; the hold is voided and topup.failed written with it.
import {
  cancelTopUp as cancelled,
  type Clock,
  type IllegalTransition,
  type PersistenceFailure,
  type TopUp,
  type UnitOfWork,
  type UnresolvedAttempt,
} from '@airtime/domain';
import { Effect } from 'effect';
import {
  changeTopUp,
  loadTopUp,
  type SaveError,
  type SaveServices,
} from '../top-up-change/save-top-up-change.use-case';
import { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import type { CancelTopUpInput } from './cancel-top-up.input';

export type CancelTopUpError = TopUpNotFound | UnresolvedAttempt | IllegalTransition | SaveError | PersistenceFailure;

/** The top-up, when it belongs to the account (another account's is "not found", as if it did not exist). */
const ownedTopUp = (input: CancelTopUpInput) =>
  Effect.flatMap(loadTopUp(input.topUpId), (stored) =>
    stored.topUp.accountId === input.accountId
      ? Effect.succeed(stored)
      : Effect.fail(new TopUpNotFound({ topUpId: input.topUpId })),
  );

/**
 * Cancels a top-up of the account while it is CREATED and no attempt is
 * unsettled (`UnresolvedAttempt` otherwise); cancelling twice changes
 * nothing; a top-up in another final class is an `IllegalTransition`.
 */
export const cancelTopUp = (
  input: CancelTopUpInput,
): Effect.Effect<TopUp, CancelTopUpError, SaveServices | Clock | UnitOfWork> =>
  Effect.map(
    changeTopUp(ownedTopUp(input), (topUp, now) => cancelled(topUp, now)),
    (result) => result.topUp,
  );
