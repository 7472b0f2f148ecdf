// The input of "cancel a top-up": which one, and the account that asks (it must own it).
import { Schema } from 'effect';

export const CancelTopUpInput = Schema.Struct({
  topUpId: Schema.String,
  accountId: Schema.String,
}).annotations({ identifier: 'CancelTopUpInput' });

export type CancelTopUpInput = typeof CancelTopUpInput.Type;
