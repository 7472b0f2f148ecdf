// The journal of one of the caller's accounts, newest first, one page at a time.
import type { JournalEntry, PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { CustomerAccountNotFound, InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { fieldsOf, type ScopedRequest } from '../api-access/api-principal';
import { checkAccountScope } from '../api-access/api-scope.check';
import { offsetOf, type Paged } from '../api-access/pagination';
import { LedgerQueries } from '../ports/ledger-queries.port';
import { AccountJournalInput, type AccountJournalInputJson } from './account-journal.input';

export type AccountJournalError = InvalidInput | CustomerAccountNotFound | PersistenceFailure;

/**
 * Page `page` of the account's journal entries in every currency, newest
 * first (sequence descending), with `total`, the count of all its entries
 * (amounts and deltas in minor units). `CustomerAccountNotFound` for an
 * account out of the principal's scope.
 */
export const accountJournal = (
  request: ScopedRequest<AccountJournalInputJson>,
): Effect.Effect<Paged<JournalEntry>, AccountJournalError, LedgerQueries> =>
  Effect.gen(function* () {
    const input = yield* decodeInput(AccountJournalInput)(fieldsOf(request));
    yield* checkAccountScope(request.principal, input.accountId);
    const found = yield* Effect.flatMap(LedgerQueries, (queries) =>
      queries.journalOf({
        accountId: input.accountId,
        offset: offsetOf(input.page, input.perPage),
        limit: input.perPage,
      }),
    );
    return { items: found.items, total: found.total, page: input.page, perPage: input.perPage };
  });
