// Decodes each part of a request (body, query string, path parameters,
// headers) with the route's effect/Schema: the decoded value, or
// InvalidRequest naming the first field that failed and what is wrong with
// each (the domain's one decode-error formatter, which never quotes a value).
import { describeParseError } from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';
import { InvalidRequest, type RequestPart } from './http.errors';

// a key that does not look like a field name came from the input: it is not quoted
const segmentOf = (key: PropertyKey): string =>
  typeof key === 'number'
    ? String(key)
    : typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key)
      ? key
      : '[key]';

const WHOLE: Readonly<Record<RequestPart, string>> = {
  body: 'the body',
  query: 'the query string',
  path: 'the path',
  headers: 'the headers',
};

/** A header as it is usually written (Node lowercases them): `idempotency-key` is `Idempotency-Key`. */
const headerNameOf = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);

/** The field a decode failure names first: its path, or the whole part. */
const firstField = (part: RequestPart, error: ParseResult.ParseError): string => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error);
  return first === undefined || first.path.length === 0 ? WHOLE[part] : first.path.map(segmentOf).join('.');
};

/**
 * A failure of the headers names the header by its usual name, in the
 * reason too (whose formatter writes a name with a dash as `[key]`).
 */
const inHeaderNames = (failure: { readonly field: string; readonly reason: string }) => {
  if (failure.field === WHOLE.headers) return failure;
  const header = headerNameOf(failure.field);
  return { field: header, reason: failure.reason.replaceAll(failure.field, header).replaceAll('[key]', header) };
};

/**
 * `describe(error)`, or `fallback` when describing throws: effect's
 * formatters recurse into the value, and a value nested thousands of levels
 * deep overflows the stack (a RangeError), which must not become a 500.
 */
const describedOr = <T>(
  describe: (error: ParseResult.ParseError) => T,
  error: ParseResult.ParseError,
  fallback: T,
): T => {
  try {
    return describe(error);
  } catch {
    return fallback;
  }
};

export interface DecodePartOptions {
  /** What a field the schema does not name is: an error, or ignored (default: an error in a body or a query string). */
  readonly excess?: 'error' | 'ignore' | undefined;
}

/**
 * A decoder of one part of a request. By default body and query string
 * refuse fields the schema does not name (a typo must not pass unnoticed);
 * headers and path parameters ignore the others. A body a third party
 * writes (a provider's callback) takes `{ excess: 'ignore' }`.
 */
export const decodePart = <A, I>(
  schema: Schema.Schema<A, I>,
  part: RequestPart,
  options: DecodePartOptions = {},
): ((input: unknown) => Either.Either<A, InvalidRequest>) => {
  const decode = Schema.decodeUnknownEither(schema, {
    errors: 'all',
    onExcessProperty: options.excess ?? (part === 'body' || part === 'query' ? 'error' : 'ignore'),
  });
  return (input) =>
    Either.mapLeft(decode(input), (error) => {
      const failure = {
        field: describedOr((failed) => firstField(part, failed), error, WHOLE[part]),
        reason: describedOr(describeParseError, error, 'does not have the expected shape (or is nested too deeply)'),
      };
      return new InvalidRequest({ part, ...(part === 'headers' ? inHeaderNames(failure) : failure) });
    });
};

/** A decoder of one part of a request that throws InvalidRequest (for route handlers: the error handler answers it). */
export const requirePart = <A, I>(
  schema: Schema.Schema<A, I>,
  part: RequestPart,
  options: DecodePartOptions = {},
): ((input: unknown) => A) => {
  const decode = decodePart(schema, part, options);
  return (input) => Either.getOrThrowWith(decode(input), (error) => error);
};

/**
 * The query decoder of a route that takes no query parameters: any
 * parameter is refused (InvalidRequest naming it), as the list routes refuse
 * one they do not name, so every /v1 route answers an unknown one alike.
 */
export const refuseQuery = (input: unknown): void => {
  // an empty Schema.Struct accepts any object (effect checks no excess keys on it): the keys are checked here
  const [first] = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  if (first === undefined) return;
  throw new InvalidRequest({
    part: 'query',
    field: segmentOf(first),
    reason: 'is unexpected: the route takes no query parameters',
  });
};

const NO_BODY_REASON = 'is unexpected: the route takes no body (send none, or an empty JSON object)';

const isEmptyObject = (input: object): boolean =>
  !Array.isArray(input) && !Buffer.isBuffer(input) && Object.keys(input).length === 0;

/**
 * The body check of a POST route that takes no body (as `refuseQuery` for
 * the query string): no body, an empty one (of any media type the API reads)
 * or an empty JSON object `{}` pass; anything else is refused (InvalidRequest
 * naming the body's first field, or the body), never ignored: a caller who
 * sends one means something by it that the route would not do.
 */
export const refuseBody = (input: unknown): void => {
  if (input === undefined || input === '') return;
  if (typeof input === 'object' && input !== null) {
    if (isEmptyObject(input)) return;
    const [first] = Array.isArray(input) || Buffer.isBuffer(input) ? [] : Object.keys(input);
    if (first !== undefined)
      throw new InvalidRequest({ part: 'body', field: segmentOf(first), reason: NO_BODY_REASON });
  }
  throw new InvalidRequest({ part: 'body', field: WHOLE.body, reason: NO_BODY_REASON });
};
