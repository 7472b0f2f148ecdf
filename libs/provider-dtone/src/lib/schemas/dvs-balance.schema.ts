import { Schema } from 'effect';
import { DvsId, optionalNullable } from './dvs-common.schema';

/** `GET /balances`. */
export const DvsBalance = Schema.Struct({
  id: DvsId,
  unit_type: Schema.String,
  unit: Schema.String,
  available: Schema.Number,
  holding: Schema.Number,
  credit_limit: optionalNullable(Schema.Number),
});
export type DvsBalance = typeof DvsBalance.Type;
