import {
  type AmountRange,
  decodeProviderEnvironment,
  EXPECTED_VARIABLE,
  HttpBaseUrlFromString,
  optionalAmountRanges,
  optionalTimeoutMs,
  type ProviderEnvironment,
  TokenFromString,
} from '@airtime/provider-http-kit';
import { Either, type Redacted, Schema } from 'effect';
import { taggedError } from '@airtime/domain';

/** The id of engageSPARK among providers: errors, transfer-log records and operators carry it. */
export const ENGAGESPARK_PROVIDER_ID = 'engagespark';

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
export class InvalidEngageSparkConfig extends taggedError('InvalidEngageSparkConfig', {
  code: 'INVALID_ENGAGESPARK_CONFIG',
  retryable: false,
})<{
  readonly reason: string;
}>((e) => `invalid engageSPARK configuration: ${e.reason}`) {}

export const ENGAGESPARK_DEFAULT_URL = 'https://api.engagespark.com';
/** engageSPARK answers once the top-up is done, so its calls are given time. */
export const DEFAULT_ENGAGESPARK_TIMEOUT_MS = 30_000;

const Environment = Schema.Struct({
  ENGAGESPARK_ORG_ID: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]+$/)),
  ENGAGESPARK_TOKEN: Schema.Redacted(TokenFromString),
  ENGAGESPARK_BASE_URL: Schema.optionalWith(HttpBaseUrlFromString, { default: () => ENGAGESPARK_DEFAULT_URL }),
  ENGAGESPARK_TIMEOUT_MS: optionalTimeoutMs(DEFAULT_ENGAGESPARK_TIMEOUT_MS),
  ENGAGESPARK_AMOUNT_RANGES: optionalAmountRanges,
});

type Variable = keyof typeof Environment.fields;

// What each variable must look like; schema messages are not used since they quote the value.
const EXPECTED: Readonly<Record<Variable, string>> = {
  ENGAGESPARK_ORG_ID: 'expected letters, digits, "-" or "_"',
  ENGAGESPARK_TOKEN: EXPECTED_VARIABLE.token,
  ENGAGESPARK_BASE_URL: EXPECTED_VARIABLE.baseUrl,
  ENGAGESPARK_TIMEOUT_MS: EXPECTED_VARIABLE.timeoutMs,
  ENGAGESPARK_AMOUNT_RANGES: EXPECTED_VARIABLE.amountRanges,
};

/** Decodes ENGAGESPARK_* variables. */
export const engageSparkConfigFrom = (
  environment: ProviderEnvironment,
): Either.Either<EngageSparkConfig, InvalidEngageSparkConfig> =>
  decodeProviderEnvironment(Environment, EXPECTED, 'ENGAGESPARK_AMOUNT_RANGES', environment).pipe(
    Either.mapLeft((reason) => new InvalidEngageSparkConfig({ reason })),
    Either.map((env) => ({
      orgId: env.ENGAGESPARK_ORG_ID,
      token: env.ENGAGESPARK_TOKEN,
      baseUrl: env.ENGAGESPARK_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: env.ENGAGESPARK_TIMEOUT_MS,
      amountRanges: env.ENGAGESPARK_AMOUNT_RANGES,
    })),
  );
