// Helpers every app's configuration decodes its environment with: unset and
// empty variables alike are "not given", integers are read from text within
// bounds, and a bad variable is told by name with what it expects, never by
// its value (URLs hold passwords, keys are secrets).
import { Either, ParseResult, Schema } from 'effect';

/** The process environment, or a part of it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** An integer read from text, from `min` to `max` inclusive. */
export const IntegerFromString = (min: number, max: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max));

/** Unset and empty variables are both "not given". */
export const withoutEmpty = (environment: Env): Env =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));

/**
 * The problems of a lib decoder's reason (`VAR: expectation` parts joined by
 * "; "). Some expectations are schema messages that quote the value read
 * (`Unable to decode "abc" into a number`): quoted text is replaced.
 */
export const problemsOf = (reason: string): readonly string[] =>
  reason
    .split('; ')
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/"[^"]*"/g, 'the given value'));

/**
 * Decodes the variables of `schema` (a struct of variable names; others are
 * ignored). Each bad variable is one problem, `VAR: <expected[VAR]>`, once,
 * in the schema's order of failures; the schema's own messages (which could
 * echo a value) are never used.
 */
export const decodeEnvironment =
  <A, I extends object>(schema: Schema.Schema<A, I>, expected: Readonly<Record<keyof I, string>>) =>
  (environment: Env): Either.Either<A, readonly string[]> =>
    Either.mapLeft(
      Schema.decodeUnknownEither(schema)(environment, { onExcessProperty: 'ignore', errors: 'all' }),
      (error) => [
        ...new Set(
          ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => {
            const variable = String(issue.path[0] ?? '');
            const expectation: string | undefined = (expected as Readonly<Record<string, string>>)[variable];
            return `${variable}: ${expectation ?? 'invalid'}`;
          }),
        ),
      ],
    );
