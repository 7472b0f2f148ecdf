// The input of "an account's journal" (GET /v1/accounts/{id}/ledger?page=&per_page=).
import { Schema } from 'effect';
import { AccountIdField, DEFAULT_PER_PAGE, PageField, PerPageField } from '../api-access/api-fields.schema';

/** `accountId`: one of the caller's accounts; `page` 1-based (default 1), `perPage` 1..100 (default 20). */
export const AccountJournalInput = Schema.Struct({
  accountId: AccountIdField,
  page: Schema.optionalWith(PageField, { default: () => 1 }),
  perPage: Schema.optionalWith(PerPageField, { default: () => DEFAULT_PER_PAGE }),
}).annotations({ identifier: 'AccountJournalInput' });

export type AccountJournalInput = typeof AccountJournalInput.Type;
export type AccountJournalInputJson = typeof AccountJournalInput.Encoded;
