// The one formatter of decode failures (effect/Schema) across the platform: where and what kind of problem, never a value.
import { Either, ParseResult, Schema, type SchemaAST } from 'effect';

const PHRASES: Readonly<Record<ParseResult.ArrayFormatterIssue['_tag'], string>> = {
  Missing: 'is missing',
  Unexpected: 'is not expected',
  Type: 'has an unexpected type or value',
  Refinement: 'is malformed or out of range',
  Transformation: 'cannot be read',
  Forbidden: 'cannot be checked',
  Composite: 'is invalid',
  Pointer: 'is invalid',
};

/** How many problems a description names at most. */
export const MAX_DESCRIBED_ISSUES = 5;

// Path segments are the schema's field names and array indices; a key that does not look like a field name
// (one that came from the input) is not quoted.
const segmentOf = (key: PropertyKey): string =>
  typeof key === 'number'
    ? String(key)
    : typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)
      ? key
      : '[key]';

/** Marks the message of an issue raised by one of our own rules (see `ruleViolation`). */
const RULE_MARK = 'rule violated: ';

/**
 * A decode issue raised by one of our own rules inside a transformation
 * (`Schema.transformOrFail`), e.g. a stored product the domain refuses.
 * `describeParseError` shows its message, which by the house rule names
 * fields and kinds and never quotes a value; effect's own messages, which
 * quote the input, are never shown.
 */
export const ruleViolation = (ast: SchemaAST.AST, actual: unknown, message: string): ParseResult.Type =>
  new ParseResult.Type(ast, actual, `${RULE_MARK}${message}`);

const describeIssue = (issue: ParseResult.ArrayFormatterIssue): string =>
  issue.message.startsWith(RULE_MARK) ? issue.message.slice(RULE_MARK.length) : PHRASES[issue._tag];

/**
 * The fields a decode failed on and how, never their values (effect's own
 * messages quote the input, which may be a phone number or a secret):
 * `"responses.0.status has an unexpected type or value; requestId is missing"`.
 * At most `MAX_DESCRIBED_ISSUES` problems, each named once.
 */
export const describeParseError = (error: ParseResult.ParseError): string =>
  [
    ...new Set(
      ParseResult.ArrayFormatter.formatErrorSync(error).map(
        (issue) =>
          `${issue.path.length > 0 ? issue.path.map(segmentOf).join('.') : 'the body'} ${describeIssue(issue)}`,
      ),
    ),
  ]
    .slice(0, MAX_DESCRIBED_ISSUES)
    .join('; ');

/**
 * Decodes `input` with `schema`, all issues read; a failure is
 * `toError(field, reason)`: `field` the path of the first issue
 * (`callback.url`, `items.0`; a key that came from the input is `[key]`),
 * or `whole` when the issue is about the input as a whole, and `reason`
 * `describeParseError`'s description. Never a value of the input.
 */
export const decodeNamingField =
  <A, I, E>(schema: Schema.Schema<A, I>, whole: string, toError: (field: string, reason: string) => E) =>
  (input: unknown): Either.Either<A, E> =>
    Either.mapLeft(Schema.decodeUnknownEither(schema)(input, { errors: 'all' }), (error) => {
      const [first] = ParseResult.ArrayFormatter.formatErrorSync(error);
      const field = first === undefined || first.path.length === 0 ? whole : first.path.map(segmentOf).join('.');
      return toError(field, describeParseError(error));
    });
