// The input of "find a top-up" (GET /v1/topups/{id}); transferLogFor and
// cancelTopUpFor take the same.
import { Schema } from 'effect';
import { TopUpIdField } from '../api-access/api-fields.schema';

/** `topUpId`: the top-up's id (our id, not the caller's external id). */
export const FindTopUpInput = Schema.Struct({
  topUpId: TopUpIdField,
}).annotations({ identifier: 'FindTopUpInput' });

export type FindTopUpInput = typeof FindTopUpInput.Type;
export type FindTopUpInputJson = typeof FindTopUpInput.Encoded;
