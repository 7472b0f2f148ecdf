// Cancel a top-up of one of the caller's accounts (scoped cancelTopUp).
import type { Clock, TopUp, UnitOfWork } from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { fieldsOf, type ScopedRequest } from '../api-access/api-principal';
import { checkTopUpScope } from '../api-access/api-scope.check';
import { cancelTopUp, type CancelTopUpError } from '../cancel-top-up/cancel-top-up.use-case';
import { FindTopUpInput, type FindTopUpInputJson } from '../find-top-up/find-top-up.input';
import type { SaveServices } from '../top-up-change/save-top-up-change.use-case';

export type CancelTopUpForError = InvalidInput | CancelTopUpError;

/**
 * Cancels the top-up as `cancelTopUp` does (CREATED with no unsettled
 * attempt; twice changes nothing; `UnresolvedAttempt`, `IllegalTransition`
 * otherwise) when it belongs to one of the principal's accounts;
 * `TopUpNotFound` when it does not exist or belongs to another account.
 */
export const cancelTopUpFor = (
  request: ScopedRequest<FindTopUpInputJson>,
): Effect.Effect<TopUp, CancelTopUpForError, SaveServices | Clock | UnitOfWork> =>
  Effect.gen(function* () {
    const { topUpId } = yield* decodeInput(FindTopUpInput)(fieldsOf(request));
    const { topUp } = yield* checkTopUpScope(request.principal, topUpId);
    return yield* cancelTopUp({ topUpId: topUp.id, accountId: topUp.accountId });
  });
