import { Data, Either, ParseResult, type Redacted, Schema } from 'effect';
import { type AmountRange, AmountRangesFromString } from './amount-ranges.config';

/** Settings of the engageSPARK adapter, decoded from the environment at start-up. */
export interface EngageSparkConfig {
  /** The organization id in the top-up URL. */
  readonly orgId: string;
  /** The personal access token (`Authorization: Token ...`). */
  readonly token: Redacted.Redacted<string>;
  /** Scheme and host, no trailing slash: the top-up path is appended. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /**
   * Which amounts we send through engageSPARK, per country, and in which
   * currency: its top-up request carries no currency, so this is what says
   * which currency "maxAmount" is in.
   */
  readonly amountRanges: readonly AmountRange[];
}

/** The environment does not describe a usable engageSPARK account; the reason names variables, never values. */
export class InvalidEngageSparkConfig extends Data.TaggedError('InvalidEngageSparkConfig')<{ readonly reason: string }> {
  readonly code = 'INVALID_ENGAGESPARK_CONFIG' as const;
  override get message(): string {
    return `invalid engageSPARK configuration: ${this.reason}`;
  }
}

export const ENGAGESPARK_DEFAULT_URL = 'https://api.engagespark.com';
/** engageSPARK answers once the top-up is done, so its calls are given time. */
export const DEFAULT_ENGAGESPARK_TIMEOUT_MS = 30_000;

const isHttpBaseUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
};

const Environment = Schema.Struct({
  ENGAGESPARK_ORG_ID: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]+$/)),
  ENGAGESPARK_TOKEN: Schema.Redacted(Schema.String.pipe(Schema.pattern(/^\S+$/))),
  ENGAGESPARK_BASE_URL: Schema.optionalWith(Schema.String.pipe(Schema.filter(isHttpBaseUrl)), { default: () => ENGAGESPARK_DEFAULT_URL }),
  ENGAGESPARK_TIMEOUT_MS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(100, 120_000)), {
    default: () => DEFAULT_ENGAGESPARK_TIMEOUT_MS,
  }),
  ENGAGESPARK_AMOUNT_RANGES: Schema.optionalWith(AmountRangesFromString, { default: () => [] }),
});

type Variable = keyof typeof Environment.fields;

// What each variable must look like; schema messages are not used since they quote the value.
const EXPECTED: Readonly<Record<Variable, string>> = {
  ENGAGESPARK_ORG_ID: 'expected letters, digits, "-" or "_"',
  ENGAGESPARK_TOKEN: 'expected a non-empty value without spaces',
  ENGAGESPARK_BASE_URL: 'expected an http(s) URL without credentials, query or fragment',
  ENGAGESPARK_TIMEOUT_MS: 'expected an integer from 100 to 120000',
  ENGAGESPARK_AMOUNT_RANGES: 'expected COUNTRY:CURRENCY:MIN:MAX[:STEP] entries separated by commas',
};

const RANGES: Variable = 'ENGAGESPARK_AMOUNT_RANGES';

/** One line per bad variable; only the ranges' own messages are quoted (they hold no secret and name the wrong entry). */
const describeIssues = (issues: readonly ParseResult.ArrayFormatterIssue[]): string => {
  const byVariable = new Map<string, string>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? 'environment') as Variable;
    const own = variable === RANGES && issue._tag === 'Transformation';
    const description =
      issue._tag === 'Missing' ? `${variable} is required` : own ? `${variable}: ${issue.message}` : `${variable}: ${EXPECTED[variable] ?? 'invalid'}`;
    if (!byVariable.has(variable) || own) byVariable.set(variable, description);
  }
  return [...byVariable.values()].join('; ');
};

/** Unset and empty variables are the same (container environments often set "" for "not given"). */
const withoutEmpty = (environment: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value.trim() !== ''));

/** Decodes ENGAGESPARK_* variables. */
export const engageSparkConfigFrom = (
  environment: Readonly<Record<string, string | undefined>>,
): Either.Either<EngageSparkConfig, InvalidEngageSparkConfig> =>
  Schema.decodeUnknownEither(Environment)(withoutEmpty(environment), { onExcessProperty: 'ignore', errors: 'all' }).pipe(
    Either.mapLeft((error) => new InvalidEngageSparkConfig({ reason: describeIssues(ParseResult.ArrayFormatter.formatErrorSync(error)) })),
    Either.map((env) => ({
      orgId: env.ENGAGESPARK_ORG_ID,
      token: env.ENGAGESPARK_TOKEN,
      baseUrl: env.ENGAGESPARK_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: env.ENGAGESPARK_TIMEOUT_MS,
      amountRanges: env.ENGAGESPARK_AMOUNT_RANGES,
    })),
  );
