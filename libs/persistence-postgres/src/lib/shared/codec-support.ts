import { describeParseError, PersistenceFailure, ruleViolation } from '@airtime/domain';
import { Either, ParseResult, Schema, type SchemaAST } from 'effect';

/** A stored value that does not decode: a clear, non-retryable failure naming what it was. */
export const undecodable = (what: string, reason: string): PersistenceFailure =>
  new PersistenceFailure({ reason: `${what} does not decode: ${reason}`, retryable: false });

/** Decodes a stored value (row or JSON) with `schema`; a failure names `what` was read. */
export const decodeStored =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (value: unknown, what: string): Either.Either<A, PersistenceFailure> =>
    Either.mapLeft(Schema.decodeUnknownEither(schema, { errors: 'all' })(value), (error) =>
      undecodable(what, describeParseError(error)),
    );

/** Encodes a value for storage with `schema`; a value that cannot be stored exactly is a non-retryable failure. */
export const encodeStored =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (value: A, what: string): Either.Either<I, PersistenceFailure> =>
    Either.mapLeft(
      Schema.encodeEither(schema, { errors: 'all' })(value),
      (error) =>
        new PersistenceFailure({
          reason: `${what} cannot be stored exactly: ${describeParseError(error)}`,
          retryable: false,
        }),
    );

/** A domain check (smart constructor, lookup) as a schema result: its refusal becomes an issue at the current path. */
export const fromDomain = <A, E>(
  result: Either.Either<A, E>,
  ast: SchemaAST.AST,
  actual: unknown,
  describe: (error: E) => string,
): Either.Either<A, ParseResult.ParseIssue> =>
  Either.match(result, {
    onLeft: (error) => Either.left(ruleViolation(ast, actual, describe(error))),
    onRight: (value) => Either.right(value),
  });

/** An instant as exact ISO text; an invalid date cannot be stored. */
export const isoOf = (date: Date, what: string): Either.Either<string, PersistenceFailure> =>
  date instanceof Date && !Number.isNaN(date.getTime())
    ? Either.right(date.toISOString())
    : Either.left(
        new PersistenceFailure({ reason: `${what} is not a valid date and cannot be stored`, retryable: false }),
      );

/** `isoOf` of a date that may be absent (absent stays absent). */
export const optionalIsoOf = (
  date: Date | undefined,
  what: string,
): Either.Either<string | undefined, PersistenceFailure> =>
  date === undefined ? Either.right(undefined) : isoOf(date, what);

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text a text or jsonb column can hold: a NUL or an unpaired surrogate (a
 * provider's broken body, say) becomes U+FFFD; with `maxLength`, cut to that
 * many code points. For logs only, never for what must stay exact.
 */
export const storableText = (text: string, maxLength?: number): string => {
  const clean = text.replaceAll('\u0000', '\uFFFD').replace(UNPAIRED_SURROGATE, '\uFFFD');
  if (maxLength === undefined || clean.length <= maxLength) return clean;
  const codePoints = Array.from(clean);
  return codePoints.length <= maxLength ? clean : codePoints.slice(0, maxLength).join('');
};
