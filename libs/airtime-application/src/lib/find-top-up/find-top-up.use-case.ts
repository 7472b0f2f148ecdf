// Find a top-up of one of the caller's accounts, with the request it came
// from. Another account's top-up is not found, as if it did not exist.
import { PersistenceFailure, type TopUp, type TopUpRepository } from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { fieldsOf, type ScopedRequest } from '../api-access/api-principal';
import { checkTopUpScope } from '../api-access/api-scope.check';
import { type StoredTopUpRequest, TopUpRequestStore } from '../ports/top-up-requests.port';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { FindTopUpInput, type FindTopUpInputJson } from './find-top-up.input';

export interface FoundTopUp {
  readonly topUp: TopUp;
  /** The caller's request as stored with it (canonical JSON, callback URL, callback token). */
  readonly request: StoredTopUpRequest;
}

export type FindTopUpError = InvalidInput | TopUpNotFound | PersistenceFailure;

/**
 * The top-up `topUpId` and its request when it belongs to one of the
 * principal's accounts; `TopUpNotFound` when it does not exist or belongs
 * to another account (one answer for both); `InvalidInput` for an id that
 * breaks the identifier rule. A top-up stored without its request (never
 * written so) is a `PersistenceFailure`.
 */
export const findTopUp = (
  request: ScopedRequest<FindTopUpInputJson>,
): Effect.Effect<FoundTopUp, FindTopUpError, TopUpRepository | TopUpRequestStore> =>
  Effect.gen(function* () {
    const { topUpId } = yield* decodeInput(FindTopUpInput)(fieldsOf(request));
    const { topUp } = yield* checkTopUpScope(request.principal, topUpId);
    const stored = yield* Effect.flatMap(TopUpRequestStore, (requests) => requests.findByTopUpId(topUp.id));
    if (Option.isNone(stored))
      return yield* new PersistenceFailure({ reason: 'a stored top-up has no stored request', retryable: false });
    return { topUp, request: stored.value };
  });
