// The input of "open a customer account" (admin CLI).
import { Schema } from 'effect';
import { AccountIdField, DisplayNameField } from '../api-access/api-fields.schema';

/** `id`: the account id (the identifier rule, NFC); `name`: what it is called (1..200 characters). */
export const OpenCustomerAccountInput = Schema.Struct({
  id: AccountIdField,
  name: DisplayNameField(200),
}).annotations({ identifier: 'OpenCustomerAccountInput' });

export type OpenCustomerAccountInput = typeof OpenCustomerAccountInput.Type;
export type OpenCustomerAccountInputJson = typeof OpenCustomerAccountInput.Encoded;
