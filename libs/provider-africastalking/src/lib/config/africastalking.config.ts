import { Data, Either, ParseResult, type Redacted, Schema } from 'effect';
import { type AmountRange, AmountRangesFromString } from './amount-ranges.config';

/** Settings of the Africa's Talking adapter, decoded from the environment at start-up. */
export interface AfricasTalkingConfig {
  /** The AT application's username ("sandbox" in the sandbox). */
  readonly username: string;
  readonly apiKey: Redacted.Redacted<string>;
  /** Scheme and host, no trailing slash: the send path is appended. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Which amounts we offer through AT, per country (AT has no catalogue). */
  readonly amountRanges: readonly AmountRange[];
}

/** The environment does not describe a usable Africa's Talking account; the reason names variables, never values. */
export class InvalidAfricasTalkingConfig extends Data.TaggedError('InvalidAfricasTalkingConfig')<{ readonly reason: string }> {
  readonly code = 'INVALID_AFRICASTALKING_CONFIG' as const;
  override get message(): string {
    return `invalid Africa's Talking configuration: ${this.reason}`;
  }
}

export const AFRICASTALKING_PRODUCTION_URL = 'https://api.africastalking.com';
export const AFRICASTALKING_SANDBOX_URL = 'https://api.sandbox.africastalking.com';
export const DEFAULT_AFRICASTALKING_TIMEOUT_MS = 30_000;

const isHttpBaseUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
};

const Token = Schema.String.pipe(Schema.pattern(/^\S+$/));

const Environment = Schema.Struct({
  AFRICASTALKING_USERNAME: Token,
  AFRICASTALKING_API_KEY: Schema.Redacted(Token),
  AFRICASTALKING_BASE_URL: Schema.optional(Schema.String.pipe(Schema.filter(isHttpBaseUrl))),
  AFRICASTALKING_TIMEOUT_MS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(100, 120_000)), {
    default: () => DEFAULT_AFRICASTALKING_TIMEOUT_MS,
  }),
  AFRICASTALKING_AMOUNT_RANGES: Schema.optionalWith(AmountRangesFromString, { default: () => [] }),
});

type Variable = keyof typeof Environment.fields;

// What each variable must look like; schema messages are not used since they quote the value.
const EXPECTED: Readonly<Record<Variable, string>> = {
  AFRICASTALKING_USERNAME: 'expected a non-empty value without spaces',
  AFRICASTALKING_API_KEY: 'expected a non-empty value without spaces',
  AFRICASTALKING_BASE_URL: 'expected an http(s) URL without credentials, query or fragment',
  AFRICASTALKING_TIMEOUT_MS: 'expected an integer from 100 to 120000',
  AFRICASTALKING_AMOUNT_RANGES: 'expected COUNTRY:CURRENCY:MIN:MAX[:STEP] entries separated by commas',
};

const RANGES: Variable = 'AFRICASTALKING_AMOUNT_RANGES';

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

/**
 * Decodes AFRICASTALKING_* variables. The base URL defaults to the sandbox
 * when the username is "sandbox", to production otherwise.
 */
export const africasTalkingConfigFrom = (
  environment: Readonly<Record<string, string | undefined>>,
): Either.Either<AfricasTalkingConfig, InvalidAfricasTalkingConfig> =>
  Schema.decodeUnknownEither(Environment)(withoutEmpty(environment), { onExcessProperty: 'ignore', errors: 'all' }).pipe(
    Either.mapLeft(
      (error) =>
        new InvalidAfricasTalkingConfig({
          reason: describeIssues(ParseResult.ArrayFormatter.formatErrorSync(error)),
        }),
    ),
    Either.map((env) => ({
      username: env.AFRICASTALKING_USERNAME,
      apiKey: env.AFRICASTALKING_API_KEY,
      baseUrl: (
        env.AFRICASTALKING_BASE_URL ??
        (env.AFRICASTALKING_USERNAME === 'sandbox' ? AFRICASTALKING_SANDBOX_URL : AFRICASTALKING_PRODUCTION_URL)
      ).replace(/\/+$/, ''),
      timeoutMs: env.AFRICASTALKING_TIMEOUT_MS,
      amountRanges: env.AFRICASTALKING_AMOUNT_RANGES,
    })),
  );
