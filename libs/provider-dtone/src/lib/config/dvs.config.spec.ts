import { Either } from 'effect';
import {
  DEFAULT_DVS_MAX_RETRIES_ON_429,
  DEFAULT_DVS_PRODUCT_CACHE_TTL_MS,
  DEFAULT_DVS_TIMEOUT_MS,
  DVS_PREPRODUCTION_URL,
  dvsConfigFrom,
} from './dvs.config';

describe('DVS configuration', () => {
  it('needs the key and secret, and defaults the rest to the pre-production sandbox', () => {
    expect(Either.getOrThrow(dvsConfigFrom({ DTONE_API_KEY: 'key-1', DTONE_API_SECRET: 'secret-1' }))).toEqual({
      apiKey: 'key-1',
      apiSecret: 'secret-1',
      baseUrl: DVS_PREPRODUCTION_URL,
      timeoutMs: DEFAULT_DVS_TIMEOUT_MS,
      productCacheTtlMs: DEFAULT_DVS_PRODUCT_CACHE_TTL_MS,
      maxRetriesOn429: DEFAULT_DVS_MAX_RETRIES_ON_429,
    });
    expect(DVS_PREPRODUCTION_URL).toBe('https://preprod-dvs-api.dtone.com/v1');
  });

  it('reads every setting and drops a trailing slash of the URL', () => {
    const config = dvsConfigFrom({
      DTONE_API_KEY: 'k',
      DTONE_API_SECRET: 's',
      DTONE_BASE_URL: 'http://127.0.0.1:8080/v1/',
      DTONE_TIMEOUT_MS: '2500',
      DTONE_PRODUCT_CACHE_TTL_MS: '0',
      DTONE_MAX_RETRIES_ON_429: '5',
      UNRELATED: 'ignored',
    });
    expect(Either.getOrThrow(config)).toEqual({
      apiKey: 'k',
      apiSecret: 's',
      baseUrl: 'http://127.0.0.1:8080/v1',
      timeoutMs: 2_500,
      productCacheTtlMs: 0,
      maxRetriesOn429: 5,
    });
  });

  it('names every bad variable in a typed error and never echoes a value', () => {
    const result = dvsConfigFrom({
      DTONE_API_SECRET: 'hunter2 with spaces',
      DTONE_BASE_URL: 'ftp://user:hunter2@host',
      DTONE_TIMEOUT_MS: 'soon',
      DTONE_PRODUCT_CACHE_TTL_MS: '-1',
      DTONE_MAX_RETRIES_ON_429: '1.5',
    });
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toMatchObject({ _tag: 'InvalidDvsConfig', code: 'INVALID_DVS_CONFIG' });
      for (const name of [
        'DTONE_API_KEY',
        'DTONE_API_SECRET',
        'DTONE_BASE_URL',
        'DTONE_TIMEOUT_MS',
        'DTONE_PRODUCT_CACHE_TTL_MS',
        'DTONE_MAX_RETRIES_ON_429',
      ]) {
        expect(result.left.reason).toContain(name);
      }
      expect(result.left.message).not.toMatch(/hunter2|soon/);
    }
  });

  it('refuses a base URL that no request can be sent to (credentials in it, a port out of range), naming it', () => {
    // fetch refuses a URL with credentials: every call failed as "nothing was sent", and the
    // reconciler exited 3 ("run it again") instead of 2 for its configuration
    for (const url of ['http://user:secretpw@127.0.0.1:8089/v1', 'https://dvs.example:99999/v1', 'http://[::1/v1']) {
      const result = dvsConfigFrom({ DTONE_API_KEY: 'k', DTONE_API_SECRET: 's', DTONE_BASE_URL: url });
      expect(Either.isLeft(result) && result.left.reason).toMatch(/^DTONE_BASE_URL: /);
      expect(Either.isLeft(result) && result.left.message).not.toMatch(/secretpw|99999/);
    }
  });

  it('refuses an empty secret and out-of-range numbers', () => {
    expect(Either.isLeft(dvsConfigFrom({ DTONE_API_KEY: 'k', DTONE_API_SECRET: '' }))).toBe(true);
    expect(Either.isLeft(dvsConfigFrom({ DTONE_API_KEY: 'k', DTONE_API_SECRET: 's', DTONE_TIMEOUT_MS: '10' }))).toBe(
      true,
    );
    expect(
      Either.isLeft(dvsConfigFrom({ DTONE_API_KEY: 'k', DTONE_API_SECRET: 's', DTONE_MAX_RETRIES_ON_429: '11' })),
    ).toBe(true);
  });
});
