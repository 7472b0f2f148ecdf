import { Either } from 'effect';
import fc from 'fast-check';
import { makeProviderCallbackUrls } from '../callbacks/provider-callback-urls.adapter';
import { callbackBaseUrlOf, LOCAL_SIMULATOR_DVS_URL, runtimeSettingsFrom } from './runtime.config';

const keys = { DTONE_API_KEY: 'key-123', DTONE_API_SECRET: 'very-secret-value' };

const problemsOf = (environment: Record<string, string | undefined>): readonly string[] => {
  const result = runtimeSettingsFrom(environment);
  if (Either.isRight(result)) throw new Error('expected the settings to be refused');
  return result.left;
};

describe('runtimeSettingsFrom', () => {
  it('defaults to the DT One adapter on the local simulator, real time, info logs, no provider callback URLs', () => {
    expect(Either.getOrThrow(runtimeSettingsFrom(keys))).toEqual({
      provider: { kind: 'simulator-http', dvs: expect.objectContaining({ baseUrl: LOCAL_SIMULATOR_DVS_URL }) },
      consumerName: 'topup-consumer',
      logLevel: 'info',
      scheduler: { intervalMs: 1_000, batchSize: 100, stalledAfterMs: 120_000, concurrency: 8 },
      clockScale: 1,
      clockOriginMs: undefined,
      callbackTimeoutMs: 10_000,
      allowPrivateCallbackHosts: false,
      providerCallbackBaseUrl: undefined,
      ledgerBatch: { lanes: 1, maxBatch: 500, lingerMs: 0 },
      groupCommit: { groups: 1, maxGroup: 32 },
      commandBatchMax: 100,
      changeBatchMax: 100,
    });
  });

  it("reads the batched ledger store's bounds, and names each one out of range without its value", () => {
    expect(
      Either.getOrThrow(
        runtimeSettingsFrom({
          ...keys,
          LEDGER_BATCH_LANES: '4',
          LEDGER_BATCH_MAX: '64',
          LEDGER_BATCH_LINGER_MS: '0.5',
        }),
      ).ledgerBatch,
    ).toEqual({ lanes: 4, maxBatch: 64, lingerMs: 0.5 });
    expect(
      problemsOf({ ...keys, LEDGER_BATCH_LANES: '0', LEDGER_BATCH_MAX: 'many', LEDGER_BATCH_LINGER_MS: '-1' }),
    ).toEqual([
      'LEDGER_BATCH_LANES: expected an integer from 1 to 256',
      'LEDGER_BATCH_MAX: expected an integer from 1 to 10000',
      'LEDGER_BATCH_LINGER_MS: expected a number of milliseconds from 0 to 1000',
    ]);
    expect(
      Either.getOrThrow(runtimeSettingsFrom({ ...keys, UNIT_OF_WORK_GROUPS: '4', UNIT_OF_WORK_MAX_GROUP: '1' }))
        .groupCommit,
    ).toEqual({ groups: 4, maxGroup: 1 });
    expect(problemsOf({ ...keys, UNIT_OF_WORK_GROUPS: '65', UNIT_OF_WORK_MAX_GROUP: '0' })).toEqual([
      'UNIT_OF_WORK_GROUPS: expected an integer from 1 to 64',
      'UNIT_OF_WORK_MAX_GROUP: expected an integer from 1 to 1000',
    ]);
    expect(Either.getOrThrow(runtimeSettingsFrom({ ...keys, COMMAND_BATCH_MAX: '1' })).commandBatchMax).toBe(1);
    expect(problemsOf({ ...keys, COMMAND_BATCH_MAX: '1001' })).toEqual([
      'COMMAND_BATCH_MAX: expected an integer from 1 to 1000',
    ]);
    expect(problemsOf({ ...keys, COMMAND_BATCH_MAX: '0' })).toEqual([
      'COMMAND_BATCH_MAX: expected an integer from 1 to 1000',
    ]);
    expect(Either.getOrThrow(runtimeSettingsFrom({ ...keys, CHANGE_BATCH_MAX: '1' })).changeBatchMax).toBe(1);
    expect(problemsOf({ ...keys, CHANGE_BATCH_MAX: '1001', COMMAND_BATCH_MAX: 'x' })).toEqual([
      'COMMAND_BATCH_MAX: expected an integer from 1 to 1000',
      'CHANGE_BATCH_MAX: expected an integer from 1 to 1000',
    ]);
  });

  it('takes an empty variable as unset, and needs no DT One keys for the in-process simulator', () => {
    expect(
      Either.getOrThrow(runtimeSettingsFrom({ ...keys, LOG_LEVEL: '', PROVIDER_CALLBACK_BASE_URL: '' })),
    ).toMatchObject({ logLevel: 'info', providerCallbackBaseUrl: undefined });
    expect(
      Either.getOrThrow(runtimeSettingsFrom({ PROVIDER: 'simulator', SIMULATOR_TIME_SCALE: '0' })).provider,
    ).toEqual({ kind: 'simulator', timeScale: 0 });
  });

  it('lists its own bad variables first, then the provider’s, never echoing a value', () => {
    const problems = problemsOf({ LOG_LEVEL: 'loud', CLOCK_SCALE: 'fast', DTONE_API_SECRET: 'secret' });
    expect(problems).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
      'CLOCK_SCALE: expected a number from 0.001 to 1000000',
      'DTONE_API_KEY: required, non-empty, no spaces',
    ]);
    expect(problemsOf({ PROVIDER: 'carrier-pigeon' })).toEqual([
      'PROVIDER: expected one of simulator-http, dtone, simulator',
    ]);
  });

  it('reads PROVIDER_CALLBACK_BASE_URL as an http(s) base, without its trailing slashes', () => {
    const baseOf = (value: string) =>
      Either.getOrThrow(runtimeSettingsFrom({ ...keys, PROVIDER_CALLBACK_BASE_URL: value })).providerCallbackBaseUrl;
    expect(baseOf('https://api.example.com')).toBe('https://api.example.com');
    expect(baseOf('https://API.example.com/airtime/')).toBe('https://api.example.com/airtime');
    expect(baseOf('http://127.0.0.1:3000//')).toBe('http://127.0.0.1:3000');
  });

  it('refuses a PROVIDER_CALLBACK_BASE_URL that is not an http(s) base, never echoing it', () => {
    for (const value of [
      'api.example.com',
      'ftp://api.example.com',
      'https://user:s3cr3t@api.example.com',
      'https://api.example.com/?token=s3cr3t',
      'https://api.example.com/#s3cr3t',
      'https://api.example.com/?',
    ]) {
      const problems = problemsOf({ ...keys, PROVIDER_CALLBACK_BASE_URL: value });
      expect(problems).toEqual([
        'PROVIDER_CALLBACK_BASE_URL: expected an http(s) URL with no credentials, query or fragment (the public base of the API, e.g. https://api.example.com)',
      ]);
      expect(problems.join(' ')).not.toMatch(/s3cr3t|ftp/);
    }
  });

  it('accepts only bases under which a callback URL is the base, the DT One path and the token', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/);
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), token, (text, callbackToken) => {
        const base = callbackBaseUrlOf(text);
        if (base === undefined) return;
        const url = new URL(makeProviderCallbackUrls(base).urlFor(callbackToken));
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
        expect(url.username).toBe('');
        expect(url.href.startsWith(base)).toBe(true);
        expect(url.pathname.endsWith(`/callbacks/dtone/${callbackToken}`)).toBe(true);
      }),
    );
  });
});
