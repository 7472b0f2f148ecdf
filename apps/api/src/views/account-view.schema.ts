// The JSON shape of an account's balances and of its journal in the API's answers.
import { Schema } from 'effect';
import { MoneyView } from './money-view.schema';

/** One currency of an account: what it may spend now, what is held for top-ups in flight, and its credit limit. */
export const BalanceView = Schema.Struct({
  currency: Schema.String,
  available: MoneyView.annotations({ description: 'may be negative down to minus the credit limit' }),
  holding: MoneyView.annotations({ description: 'held for top-ups not yet final' }),
  credit_limit: MoneyView,
}).annotations({ identifier: 'Balance' });
export type BalanceView = typeof BalanceView.Type;

export const AccountBalancesView = Schema.Struct({
  account_id: Schema.String,
  balances: Schema.Array(BalanceView),
}).annotations({ identifier: 'AccountBalances' });
export type AccountBalancesView = typeof AccountBalancesView.Type;

/** One movement of the journal (newest first in the list). */
export const LedgerEntryView = Schema.Struct({
  sequence: Schema.Number,
  currency: Schema.String,
  kind: Schema.String.annotations({ description: 'DEPOSIT, AUTHORIZE, VOID, CAPTURE or REVERSE' }),
  reference: Schema.String.annotations({ description: 'the top-up id, or the deposit id of a DEPOSIT' }),
  amount: MoneyView,
  available_delta: MoneyView,
  holding_delta: MoneyView,
  created_at: Schema.NullOr(Schema.String).annotations({
    description: 'when the movement was recorded (ISO 8601, UTC); null only where the store keeps no time',
  }),
}).annotations({ identifier: 'LedgerEntry' });
export type LedgerEntryView = typeof LedgerEntryView.Type;
