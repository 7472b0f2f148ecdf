// The input of "issue an API key" (admin CLI): what to call it and the
// accounts it may see and spend from.
import { Schema } from 'effect';
import { AccountIdField, DisplayNameField } from '../api-access/api-fields.schema';

/** The most accounts one key may be scoped to. */
export const MAX_KEY_ACCOUNTS = 100;

/**
 * - `label`: what the operator calls the key (1..100 characters);
 * - `accountIds`: its accounts (1..MAX_KEY_ACCOUNTS, each in the directory; repeats are kept once).
 */
export const IssueApiKeyInput = Schema.Struct({
  label: DisplayNameField(100),
  accountIds: Schema.Array(AccountIdField).pipe(Schema.minItems(1), Schema.maxItems(MAX_KEY_ACCOUNTS)),
}).annotations({ identifier: 'IssueApiKeyInput' });

export type IssueApiKeyInput = typeof IssueApiKeyInput.Type;
export type IssueApiKeyInputJson = typeof IssueApiKeyInput.Encoded;
