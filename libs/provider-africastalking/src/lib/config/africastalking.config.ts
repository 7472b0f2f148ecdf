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

/** The id of Africa's Talking among providers: errors, transfer-log records and operators carry it. */
export const AFRICASTALKING_PROVIDER_ID = 'africastalking';

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
export class InvalidAfricasTalkingConfig extends taggedError('InvalidAfricasTalkingConfig', {
  code: 'INVALID_AFRICASTALKING_CONFIG',
  retryable: false,
})<{
  readonly reason: string;
}>((e) => `invalid Africa's Talking configuration: ${e.reason}`) {}

export const AFRICASTALKING_PRODUCTION_URL = 'https://api.africastalking.com';
export const AFRICASTALKING_SANDBOX_URL = 'https://api.sandbox.africastalking.com';
export const DEFAULT_AFRICASTALKING_TIMEOUT_MS = 30_000;

const Environment = Schema.Struct({
  AFRICASTALKING_USERNAME: TokenFromString,
  AFRICASTALKING_API_KEY: Schema.Redacted(TokenFromString),
  AFRICASTALKING_BASE_URL: Schema.optional(HttpBaseUrlFromString),
  AFRICASTALKING_TIMEOUT_MS: optionalTimeoutMs(DEFAULT_AFRICASTALKING_TIMEOUT_MS),
  AFRICASTALKING_AMOUNT_RANGES: optionalAmountRanges,
});

type Variable = keyof typeof Environment.fields;

// What each variable must look like; schema messages are not used since they quote the value.
const EXPECTED: Readonly<Record<Variable, string>> = {
  AFRICASTALKING_USERNAME: EXPECTED_VARIABLE.token,
  AFRICASTALKING_API_KEY: EXPECTED_VARIABLE.token,
  AFRICASTALKING_BASE_URL: EXPECTED_VARIABLE.baseUrl,
  AFRICASTALKING_TIMEOUT_MS: EXPECTED_VARIABLE.timeoutMs,
  AFRICASTALKING_AMOUNT_RANGES: EXPECTED_VARIABLE.amountRanges,
};

/**
 * Decodes AFRICASTALKING_* variables. The base URL defaults to the sandbox
 * when the username is "sandbox", to production otherwise.
 */
export const africasTalkingConfigFrom = (
  environment: ProviderEnvironment,
): Either.Either<AfricasTalkingConfig, InvalidAfricasTalkingConfig> =>
  decodeProviderEnvironment(Environment, EXPECTED, 'AFRICASTALKING_AMOUNT_RANGES', environment).pipe(
    Either.mapLeft((reason) => new InvalidAfricasTalkingConfig({ reason })),
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
