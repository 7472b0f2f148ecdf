// The JSON shape of an amount in the API's answers: a decimal string and its
// ISO 4217 currency, never a float (a float cannot hold USD 1.8695 exactly).
import { Schema } from 'effect';

/** `{ "amount": "20.00", "currency": "PHP" }`: exact, at the currency's minor unit or at the provider's precision. */
export const MoneyView = Schema.Struct({
  amount: Schema.String.annotations({ description: 'a decimal string, e.g. "20.00" or "1.8695"' }),
  currency: Schema.String.annotations({ description: 'ISO 4217 code' }),
}).annotations({ identifier: 'Money', description: 'an exact amount: a decimal string and its currency' });

export type MoneyView = typeof MoneyView.Type;
