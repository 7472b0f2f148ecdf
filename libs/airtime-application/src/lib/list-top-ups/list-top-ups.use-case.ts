// List the top-ups of the caller's accounts, newest first, one page at a
// time with the count of all matches.
import type { PersistenceFailure, TopUp } from '@airtime/domain';
import { Effect } from 'effect';
import { type CustomerAccountNotFound, InvalidInput } from '../api-access/api-access.errors';
import { endOf, instantOf } from '../api-access/api-fields.schema';
import { decodeInput } from '../api-access/api-input.check';
import { fieldsOf, type ScopedRequest } from '../api-access/api-principal';
import { checkAccountScope } from '../api-access/api-scope.check';
import { offsetOf, type Paged } from '../api-access/pagination';
import { TopUpQueries, type TopUpSearch } from '../ports/top-up-queries.port';
import { ListTopUpsInput, type ListTopUpsInputJson } from './list-top-ups.input';

export type ListTopUpsError = InvalidInput | CustomerAccountNotFound | PersistenceFailure;

/** The search a decoded input asks for, within the principal's accounts. */
const searchOf = (input: ListTopUpsInput, accountIds: readonly string[]): Effect.Effect<TopUpSearch, InvalidInput> => {
  const createdFrom = input.from === undefined ? undefined : instantOf(input.from);
  const createdBefore = input.to === undefined ? undefined : endOf(input.to);
  // `to` is inclusive (a day: all of it), so `to` is before `from` when nothing lies in [from, endOf(to))
  if (createdFrom !== undefined && createdBefore !== undefined && createdFrom.getTime() >= createdBefore.getTime())
    return Effect.fail(new InvalidInput({ field: 'to', reason: 'must not be before from' }));
  return Effect.succeed({
    accountIds,
    externalId: input.externalId,
    phoneNumber: input.phone_number,
    classes: input.status === undefined ? undefined : [input.status],
    createdFrom,
    createdBefore,
    offset: offsetOf(input.page, input.perPage),
    limit: input.perPage,
  });
};

/**
 * Decodes `ListTopUpsInput` (`InvalidInput` naming the field, e.g.
 * `phone_number` for a text that is no valid number; `to` before
 * `from` is refused on `to`, a day-only `to` counting as its whole day, so
 * `from=2026-11-30T22:00:00Z&to=2026-11-30` is accepted) and answers page `page` of the matching
 * top-ups of the principal's accounts (or of `accountId`, which must be one
 * of them, else `CustomerAccountNotFound`), newest first (created time, then
 * id, descending), with `total`, the count of all matches. A page past the
 * last is empty (with the total). A principal with no account sees nothing.
 */
export const listTopUps = (
  request: ScopedRequest<ListTopUpsInputJson>,
): Effect.Effect<Paged<TopUp>, ListTopUpsError, TopUpQueries> =>
  Effect.gen(function* () {
    const input = yield* decodeInput(ListTopUpsInput)(fieldsOf(request));
    const accountIds =
      input.accountId === undefined
        ? request.principal.accountIds
        : [yield* checkAccountScope(request.principal, input.accountId)];
    if (accountIds.length === 0) return { items: [], total: 0, page: input.page, perPage: input.perPage };
    const search = yield* searchOf(input, accountIds);
    const found = yield* Effect.flatMap(TopUpQueries, (queries) => queries.search(search));
    return { items: found.items, total: found.total, page: input.page, perPage: input.perPage };
  });
