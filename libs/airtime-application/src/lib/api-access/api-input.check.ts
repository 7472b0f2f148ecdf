// Decodes the input of an API or admin use case with its schema: a failure
// is `InvalidInput` naming the first field that failed and how, never a value.
import { describeParseError } from '@airtime/domain';
import { Effect, ParseResult, Schema } from 'effect';
import { InvalidInput } from './api-access.errors';

const segmentOf = (key: PropertyKey): string =>
  typeof key === 'number'
    ? String(key)
    : typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)
      ? key
      : '[key]';

/** Decodes `input` with `schema` (all issues read, the first one's field named). */
export const decodeInput =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (input: unknown): Effect.Effect<A, InvalidInput> =>
    Effect.mapError(Schema.decodeUnknown(schema)(input, { errors: 'all' }), (error) => {
      const [first] = ParseResult.ArrayFormatter.formatErrorSync(error);
      const field = first === undefined || first.path.length === 0 ? 'input' : first.path.map(segmentOf).join('.');
      return new InvalidInput({ field, reason: describeParseError(error) });
    });
