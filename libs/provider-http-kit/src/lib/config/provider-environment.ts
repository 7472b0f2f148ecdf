import { Either, ParseResult, Schema } from 'effect';
import { AmountRangesFromString } from './amount-ranges.config';

/** The process environment, or any stand-in for it. */
export type ProviderEnvironment = Readonly<Record<string, string | undefined>>;

/** An http(s) URL without credentials, query or fragment: a base URL paths are appended to. */
export const isHttpBaseUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
};

/** A timeout variable: integer milliseconds from 100 to 120000. */
export const TimeoutMsFromString = Schema.NumberFromString.pipe(Schema.int(), Schema.between(100, 120_000));

/** A non-empty value without spaces (a username, a key, a token). */
export const TokenFromString = Schema.String.pipe(Schema.pattern(/^\S+$/));
/** A base URL variable (see `isHttpBaseUrl`). */
export const HttpBaseUrlFromString = Schema.String.pipe(Schema.filter(isHttpBaseUrl));
/** An optional timeout variable, `defaultMs` when not given. */
export const optionalTimeoutMs = (defaultMs: number) =>
  Schema.optionalWith(TimeoutMsFromString, { default: () => defaultMs });
/** An optional amount-ranges variable, no range when not given. */
export const optionalAmountRanges = Schema.optionalWith(AmountRangesFromString, { default: () => [] });

/** What the variables above must look like, for `decodeProviderEnvironment`'s `expected`. */
export const EXPECTED_VARIABLE = {
  token: 'expected a non-empty value without spaces',
  baseUrl: 'expected an http(s) URL without credentials, query or fragment',
  timeoutMs: 'expected an integer from 100 to 120000',
  amountRanges: 'expected COUNTRY:CURRENCY:MIN:MAX[:STEP] entries separated by commas',
} as const;

/** One line per bad variable; only the ranges' own messages are quoted (they hold no secret and name the wrong entry). */
const describeIssues = (
  issues: readonly ParseResult.ArrayFormatterIssue[],
  expected: Readonly<Record<string, string>>,
  amountRangesVariable: string,
): string => {
  const byVariable = new Map<string, string>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? 'environment');
    const own = variable === amountRangesVariable && issue._tag === 'Transformation';
    const description =
      issue._tag === 'Missing'
        ? `${variable} is required`
        : own
          ? `${variable}: ${issue.message}`
          : `${variable}: ${expected[variable] ?? 'invalid'}`;
    if (!byVariable.has(variable) || own) byVariable.set(variable, description);
  }
  return [...byVariable.values()].join('; ');
};

/** Unset and empty variables are the same (container environments often set "" for "not given"). */
const withoutEmpty = (environment: ProviderEnvironment) =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value.trim() !== ''));

/**
 * Decodes a provider's variables with `schema` (other variables are
 * ignored). A failure is the reason, naming the bad variables and what each
 * must look like (`expected`), never their values: schema messages are not
 * used since they quote the value. Only the amount ranges' own messages are
 * kept, for `amountRangesVariable`.
 */
export const decodeProviderEnvironment = <A, I, V extends string>(
  schema: Schema.Schema<A, I>,
  expected: Readonly<Record<V, string>>,
  amountRangesVariable: V,
  environment: ProviderEnvironment,
): Either.Either<A, string> =>
  Schema.decodeUnknownEither(schema)(withoutEmpty(environment), { onExcessProperty: 'ignore', errors: 'all' }).pipe(
    Either.mapLeft((error) =>
      describeIssues(ParseResult.ArrayFormatter.formatErrorSync(error), expected, amountRangesVariable),
    ),
  );
