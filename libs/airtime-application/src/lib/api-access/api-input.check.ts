// Decodes the input of an API or admin use case with its schema: a failure
// is `InvalidInput` naming the first field that failed and how, never a value.
import { decodeNamingField } from '@airtime/domain';
import { Effect, type Schema } from 'effect';
import { InvalidInput } from './api-access.errors';

/** Decodes `input` with `schema` (all issues read, the first one's field named; `input` when it is the whole). */
export const decodeInput = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = decodeNamingField(schema, 'input', (field, reason) => new InvalidInput({ field, reason }));
  return (input: unknown): Effect.Effect<A, InvalidInput> => Effect.suspend(() => decode(input));
};
