// The transfer log of a top-up of one of the caller's accounts (scoped
// transferLogOf).
import type { PersistenceFailure, TopUpRepository } from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { fieldsOf, type ScopedRequest } from '../api-access/api-principal';
import { checkTopUpScope } from '../api-access/api-scope.check';
import { FindTopUpInput, type FindTopUpInputJson } from '../find-top-up/find-top-up.input';
import { type StoredExchange, TransferLog } from '../ports/transfer-log.port';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';

export type TransferLogForError = InvalidInput | TopUpNotFound | PersistenceFailure;

/**
 * Every stored provider exchange of every attempt of the top-up, oldest
 * first, as the provider transport redacted it; `TopUpNotFound` when the
 * top-up does not exist or belongs to another account.
 */
export const transferLogFor = (
  request: ScopedRequest<FindTopUpInputJson>,
): Effect.Effect<readonly StoredExchange[], TransferLogForError, TopUpRepository | TransferLog> =>
  Effect.gen(function* () {
    const { topUpId } = yield* decodeInput(FindTopUpInput)(fieldsOf(request));
    const { topUp } = yield* checkTopUpScope(request.principal, topUpId);
    return yield* Effect.flatMap(TransferLog, (log) => log.forTopUp(topUp.id));
  });
