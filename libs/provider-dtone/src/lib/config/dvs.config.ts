import { Either, ParseResult, Schema } from 'effect';
import { taggedError } from '@airtime/domain';
import { isHttpBaseUrl } from '@airtime/provider-http-kit';

/** The id of the DT One DVS provider in our records (transfer logs, errors, attempts). */
export const DTONE_PROVIDER_ID = 'dtone';

/** Settings of the DT One DVS adapter, decoded from the environment at start-up. */
export interface DvsConfig {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The versioned API root, without a trailing slash: `https://preprod-dvs-api.dtone.com/v1`. */
  readonly baseUrl: string;
  /** Deadline of every HTTP call. */
  readonly timeoutMs: number;
  /** How long a downloaded product list is served from memory. */
  readonly productCacheTtlMs: number;
  /** How many times a read is retried after HTTP 429 (a send never is). */
  readonly maxRetriesOn429: number;
}

/** The environment does not describe a usable DVS connection. */
export class InvalidDvsConfig extends taggedError('InvalidDvsConfig', {
  code: 'INVALID_DVS_CONFIG',
  retryable: false,
})<{ readonly reason: string }>((e) => `invalid DT One DVS configuration: ${e.reason}`) {}

export const DVS_PRODUCTION_URL = 'https://dvs-api.dtone.com/v1';
/** The sandbox of the reference ("https://preprod-dvs-api.dtone.com/v1/"). */
export const DVS_PREPRODUCTION_URL = 'https://preprod-dvs-api.dtone.com/v1';

export const DEFAULT_DVS_TIMEOUT_MS = 15_000;
export const DEFAULT_DVS_PRODUCT_CACHE_TTL_MS = 10 * 60_000;
export const DEFAULT_DVS_MAX_RETRIES_ON_429 = 3;

const IntegerFromString = (min: number, max: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(min, max));

const NonBlank = Schema.String.pipe(Schema.pattern(/^\S+$/));

const Environment = Schema.Struct({
  DTONE_API_KEY: NonBlank,
  DTONE_API_SECRET: NonBlank,
  // a URL fetch can send to: no credentials (fetch refuses them), a port in range (isHttpBaseUrl)
  DTONE_BASE_URL: Schema.optionalWith(
    Schema.String.pipe(Schema.pattern(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/), Schema.filter(isHttpBaseUrl)),
    { default: () => DVS_PREPRODUCTION_URL },
  ),
  DTONE_TIMEOUT_MS: Schema.optionalWith(IntegerFromString(100, 600_000), { default: () => DEFAULT_DVS_TIMEOUT_MS }),
  DTONE_PRODUCT_CACHE_TTL_MS: Schema.optionalWith(IntegerFromString(0, 7 * 24 * 3_600_000), {
    default: () => DEFAULT_DVS_PRODUCT_CACHE_TTL_MS,
  }),
  DTONE_MAX_RETRIES_ON_429: Schema.optionalWith(IntegerFromString(0, 10), {
    default: () => DEFAULT_DVS_MAX_RETRIES_ON_429,
  }),
});

/** What each variable must look like, said without echoing its value (a key or secret must never reach a log). */
const EXPECTED: Readonly<Record<string, string>> = {
  DTONE_API_KEY: 'required, non-empty, no spaces',
  DTONE_API_SECRET: 'required, non-empty, no spaces',
  DTONE_BASE_URL: 'expected an http(s) URL without credentials, such as https://preprod-dvs-api.dtone.com/v1',
  DTONE_TIMEOUT_MS: 'expected an integer from 100 to 600000',
  DTONE_PRODUCT_CACHE_TTL_MS: 'expected an integer from 0 to 604800000',
  DTONE_MAX_RETRIES_ON_429: 'expected an integer from 0 to 10',
};

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** Decodes the DVS settings; the error names every bad variable, never a value. */
export const dvsConfigFrom = (
  environment: Readonly<Record<string, string | undefined>>,
): Either.Either<DvsConfig, InvalidDvsConfig> =>
  Schema.decodeUnknownEither(Environment)(environment, { onExcessProperty: 'ignore', errors: 'all' }).pipe(
    Either.mapLeft((error) => {
      const variables = [
        ...new Set(ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => String(issue.path[0] ?? ''))),
      ];
      return new InvalidDvsConfig({
        reason: variables.map((name) => `${name}: ${EXPECTED[name] ?? 'invalid'}`).join('; '),
      });
    }),
    Either.map((env) => ({
      apiKey: env.DTONE_API_KEY,
      apiSecret: env.DTONE_API_SECRET,
      baseUrl: withoutTrailingSlash(env.DTONE_BASE_URL),
      timeoutMs: env.DTONE_TIMEOUT_MS,
      productCacheTtlMs: env.DTONE_PRODUCT_CACHE_TTL_MS,
      maxRetriesOn429: env.DTONE_MAX_RETRIES_ON_429,
    })),
  );
