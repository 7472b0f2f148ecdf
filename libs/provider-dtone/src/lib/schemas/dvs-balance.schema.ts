import { Schema } from 'effect';
import { DvsId, optionalNullable } from './dvs-common.schema';

/**
 * `GET /balances`, one item as listed: taken as it comes (even `null` or a
 * string) and read by the adapter one balance at a time (`DvsBalanceFields`),
 * so one balance that cannot be read (`null`, `"id": "USD-1"`, an amount
 * with 13 decimals) is reported on its own and never hides the others.
 */
export const DvsBalance = Schema.Unknown;
export type DvsBalance = typeof DvsBalance.Type;

/** A balance as the reference describes it: `{id, unit_type, unit, available, holding, credit_limit}`. */
export const DvsBalanceFields = Schema.Struct({
  id: DvsId,
  unit_type: Schema.String,
  unit: Schema.String,
  available: Schema.Number,
  holding: Schema.Number,
  credit_limit: optionalNullable(Schema.Number),
});
export type DvsBalanceFields = typeof DvsBalanceFields.Type;
