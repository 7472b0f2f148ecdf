import { Schema } from 'effect';
import { optionalNullable } from './dvs-common.schema';

/** An error answer of DVS: `{"errors": [{"code": 1005003, "message": "..."}]}`. */
export const DvsErrorBody = Schema.Struct({
  errors: Schema.Array(
    Schema.Struct({
      code: Schema.Union(Schema.Number, Schema.String),
      message: optionalNullable(Schema.String),
    }),
  ),
});
export type DvsErrorBody = typeof DvsErrorBody.Type;
