import { type ProviderError } from '@airtime/domain';
import { MAX_RETRY_AFTER_MS, type TransferLogRecord } from '@airtime/provider-http-kit';
import { Effect, Either } from 'effect';
import { createServer } from 'node:net';
import { type FakeDvsServer, startFakeDvsServer } from '../../testing/dvs-server.fake';
import { type DvsHttpOptions, type DvsHttpSettings, type DvsRequest, makeDvsHttpClient } from './dvs-http.client';
import { JsonDecimal } from './dvs-json.codec';

let fake: FakeDvsServer;

beforeAll(async () => {
  fake = await startFakeDvsServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The timeout of the tests that wait for no answer (a hang, an answer held longer). */
const SHORT_TIMEOUT_MS = 300;

/** Settings with a timeout a loaded CI machine's local answers stay well within; overrides on top. */
const settings = (overrides: Partial<DvsHttpSettings> = {}): DvsHttpSettings => ({
  apiKey: 'the-key',
  apiSecret: 'the-secret',
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  maxRetriesOn429: 2,
  ...overrides,
});

const read: DvsRequest = { method: 'GET', path: '/balances', kind: 'read' };
const write: DvsRequest = {
  method: 'POST',
  path: '/async/transactions',
  kind: 'send',
  body: { external_id: 'e-1' },
  externalId: 'e-1',
};

const run = (request: DvsRequest, overrides: Partial<DvsHttpSettings> = {}, options: DvsHttpOptions = {}) =>
  Effect.runPromise(Effect.either(makeDvsHttpClient(settings(overrides), options).request(request)));

const failure = async (
  request: DvsRequest,
  overrides: Partial<DvsHttpSettings> = {},
  options: DvsHttpOptions = {},
): Promise<ProviderError> => {
  const result = await run(request, overrides, options);
  if (Either.isRight(result)) throw new Error(`expected a failure, got HTTP ${result.right.status}`);
  return result.left;
};

/** A port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

describe('DVS HTTP layer', () => {
  it('authenticates with HTTP Basic (key, secret), sends JSON with exact decimals, and decodes the answer', async () => {
    fake.on('POST', '/async/transactions', () => ({
      status: 201,
      json: { id: 7 },
      headers: { 'X-Ratelimit-Limit': '10', 'X-Ratelimit-Remaining': '9' },
    }));
    const client = makeDvsHttpClient(settings());
    const response = await Effect.runPromise(
      client.request({ ...write, body: { amount: new JsonDecimal('10.50'), product_id: 3 } }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: 7 });
    const [request] = fake.requests;
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('the-key:the-secret').toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.text).toBe('{"amount":10.50,"product_id":3}');
  });

  it('encodes query filters, arrays as repeated keys, and sends Accept-Language', async () => {
    fake.on('GET', '/products', () => ({ json: [] }));
    await run({
      method: 'GET',
      path: '/products',
      kind: 'read',
      query: { tags: ['A', 'B'], country_iso_code: 'PHL', region: undefined },
      language: 'es',
    });
    const [request] = fake.requests;
    expect(request?.query.getAll('tags')).toEqual(['A', 'B']);
    expect(request?.query.get('country_iso_code')).toBe('PHL');
    expect(request?.query.has('region')).toBe(false);
    expect(request?.headers['accept-language']).toBe('es');
  });

  it('refused connection: retryable unavailability, for a send too (nothing left)', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    expect(await failure(read, { baseUrl })).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    expect(await failure(write, { baseUrl })).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
  });

  it('timeout: unavailability on a read, an unknown outcome on a send', async () => {
    fake.on('GET', '/balances', () => ({ hang: true }));
    fake.on('POST', '/async/transactions', () => ({ hang: true }));
    const short = { timeoutMs: SHORT_TIMEOUT_MS };
    expect(await failure(read, short)).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    const unknown = await failure(write, short);
    expect(unknown).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      retryable: false,
      reason: 'the request was sent: no answer within 300 ms',
    });
  });

  it('honours a per-call deadline (sync transactions are held longer)', async () => {
    fake.on('POST', '/sync/transactions', () => ({ delayMs: 500, status: 201, json: { id: 1 } }));
    // past the settings' 300 ms, and far past the 500 ms answer for a loaded CI machine
    const result = await run(
      { ...write, path: '/sync/transactions', timeoutMs: 5_000 },
      { timeoutMs: SHORT_TIMEOUT_MS },
    );
    expect(Either.isRight(result)).toBe(true);
  });

  it('5xx: unavailability on a read, an unknown outcome on a send', async () => {
    fake.on('GET', '/balances', () => ({
      status: 503,
      json: { errors: [{ code: 1009503, message: 'Service unavailable, please retry later' }] },
    }));
    fake.on('POST', '/async/transactions', () => ({
      status: 500,
      json: { errors: [{ code: 1009001, message: 'Unexpected error' }] },
    }));
    expect(await failure(read)).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    expect(await failure(write)).toMatchObject({ _tag: 'ProviderOutcomeUnknown' });
  });

  it('429 on a read: waits as told and tries again, within the retry budget', async () => {
    let calls = 0;
    fake.on('GET', '/balances', () =>
      ++calls <= 2
        ? {
            status: 429,
            headers: { 'Retry-After': '0' },
            json: { errors: [{ code: 1000429, message: 'Too many requests' }] },
          }
        : { json: [] },
    );
    const result = await run(read);
    expect(Either.isRight(result)).toBe(true);
    expect(calls).toBe(3);
  });

  it('429 on a read: gives up with ProviderRateLimited after the retries, or when the wait is too long', async () => {
    fake.on('GET', '/balances', () => ({
      status: 429,
      headers: { 'X-Ratelimit-Reset': '0' },
      json: { errors: [{ code: 1000429 }] },
    }));
    expect(await failure(read, { maxRetriesOn429: 1 })).toMatchObject({ _tag: 'ProviderRateLimited' });
    expect(fake.requests).toHaveLength(2);
    fake.reset();
    fake.on('GET', '/balances', () => ({ status: 429, headers: { 'Retry-After': '120' } }));
    expect(await failure(read, {}, { maxRateLimitWaitMs: 1_000 })).toMatchObject({
      _tag: 'ProviderRateLimited',
      retryAfterMs: 120_000,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('a redirect is never followed: an unknown outcome for a send, unavailability for a read', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 302, headers: { Location: 'https://elsewhere.test/' } }));
    fake.on('GET', '/balances', () => ({ status: 301, headers: { Location: 'https://elsewhere.test/' } }));
    expect(await failure(write)).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      reason: expect.stringContaining('DTONE_BASE_URL'),
    });
    expect(await failure(read)).toMatchObject({ _tag: 'ProviderUnavailable' });
    expect(fake.requests).toHaveLength(2);
  });

  it('caps Retry-After 99999999999 (about 3,170 years) at one hour, and does not wait for it', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 429, headers: { 'Retry-After': '99999999999' } }));
    fake.on('GET', '/balances', () => ({ status: 429, headers: { 'Retry-After': '99999999999' } }));
    expect(await failure(write)).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: MAX_RETRY_AFTER_MS });
    expect(await failure(read)).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: MAX_RETRY_AFTER_MS });
    expect(fake.requests).toHaveLength(2);
  });

  it.each([400, 500])(
    'never puts an error body that echoes the key and the secret (HTTP %s) into the reason',
    async (status) => {
      const echo = { errors: [{ code: 1005003, message: 'bad key the-key / the-secret' }] };
      fake.on('POST', '/async/transactions', () => ({ status, json: echo }));
      fake.on('GET', '/balances', () => ({ status, json: echo }));
      for (const error of [await failure(write), await failure(read)]) {
        expect(JSON.stringify(error)).not.toMatch(/the-key|the-secret/);
        expect(error.message).not.toMatch(/the-key|the-secret/);
      }
    },
  );

  it('429 on a send: never resent, ProviderRateLimited with the wait', async () => {
    fake.on('POST', '/async/transactions', () => ({
      status: 429,
      headers: { 'Retry-After': '2' },
      json: { errors: [{ code: 1000429 }] },
    }));
    expect(await failure(write)).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: 2_000, retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('respects X-Ratelimit-Remaining 0: a read waits for the reset, a send fails unsent', async () => {
    let now = Date.parse('2026-11-02T10:00:00Z');
    fake.on('GET', '/balances', () => ({
      json: [],
      headers: { 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': '1' },
    }));
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: {} }));
    const client = makeDvsHttpClient(settings(), { nowMs: () => now });
    await Effect.runPromise(client.request(read));
    const blocked = await Effect.runPromise(Effect.either(client.request(write)));
    expect(blocked).toEqual(Either.left(expect.objectContaining({ _tag: 'ProviderRateLimited', retryAfterMs: 1_000 })));
    expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
    now += 1_000; // the window has reset
    expect(Either.isRight(await Effect.runPromise(Effect.either(client.request(write))))).toBe(true);
  });

  it('maps DVS error bodies per code', async () => {
    fake.on('POST', '/async/transactions', (request) => {
      const code = { 'e-invalid': 1005003, 'e-balance': 1006001, 'e-used': 1007001 }[
        (request.body as { external_id: string }).external_id
      ];
      return { status: 400, json: { errors: [{ code, message: 'refused' }] } };
    });
    const send = (externalId: string) => failure({ ...write, body: { external_id: externalId }, externalId });
    expect(await send('e-invalid')).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1005003',
      retryable: false,
      suggestsOperatorLookup: true,
    });
    expect(await send('e-balance')).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1006001',
      retryable: true,
    });
    expect(await send('e-used')).toMatchObject({ _tag: 'ExternalIdAlreadyUsed', providerExternalId: 'e-used' });
  });

  it('a send answered 400 {"errors":[{"code":1009001}]} is an unknown outcome, never "nothing sent"', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 400, json: { errors: [{ code: 1009001 }] } }));
    expect(await failure(write)).toMatchObject({ _tag: 'ProviderOutcomeUnknown' });
  });

  it('a 409 to a send is "already used" (DT One can fetch the transaction by its external id)', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 409, json: {} }));
    expect(await failure(write)).toMatchObject({ _tag: 'ExternalIdAlreadyUsed', providerExternalId: 'e-1' });
  });

  it('auth failure: a typed, final refusal', async () => {
    fake.on('GET', '/balances', () => ({
      status: 401,
      json: { errors: [{ code: 1000401, message: 'Unauthorized' }] },
    }));
    expect(await failure(read)).toMatchObject({ _tag: 'ProviderRejected', providerCode: '1000401', retryable: false });
  });

  it('a 2xx that is not JSON: invalid on a read, unknown outcome on a send', async () => {
    fake.on('GET', '/balances', () => ({ text: '<html>oops</html>' }));
    fake.on('POST', '/async/transactions', () => ({ status: 201, text: '<html>oops</html>' }));
    expect(await failure(read)).toMatchObject({ _tag: 'ProviderResponseInvalid' });
    expect(await failure(write)).toMatchObject({ _tag: 'ProviderOutcomeUnknown' });
  });

  it('logs every exchange redacted: no auth header, no secret, masked numbers', async () => {
    fake.on('POST', '/async/transactions', () => ({
      status: 201,
      json: { id: 1, credit_party_identifier: { mobile_number: '+6595123100' } },
    }));
    fake.on('GET', '/balances', () => ({ hang: true }));
    const entries: TransferLogRecord[] = [];
    const onExchange = (entry: TransferLogRecord) => Effect.sync(() => void entries.push(entry));
    await run({ ...write, body: { credit_party_identifier: { mobile_number: '+6595123100' } } }, {}, { onExchange });
    await run(read, { timeoutMs: SHORT_TIMEOUT_MS }, { onExchange });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ provider: 'dtone', method: 'POST', status: 201, reference: 'e-1' });
    expect(entries[1]?.failure).toBe('no answer within 300 ms');
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/authorization|basic|the-secret|the-key|6595123100/i);
    expect(text).toContain('***100');
  });

  it('a failing fetch whose message holds the URL does not leak its query (the number) into the reason', async () => {
    const leakyFetch = (async (url: string) => {
      throw new TypeError(
        `fetch failed: ${url}?credit_party_mobile_number=%2B254711000111&x=1 (credit_party_mobile_number=254711000111)`,
      );
    }) as unknown as typeof fetch;
    const lookup: DvsRequest = {
      method: 'POST',
      path: '/lookup/mobile-number',
      kind: 'read',
      query: { credit_party_mobile_number: '+254711000111' },
    };
    const error = await failure(lookup, {}, { fetch: leakyFetch });
    expect(error._tag).toBe('ProviderUnavailable');
    const reason = (error as { reason: string }).reason;
    expect(reason).toBe('nothing was sent: the request could not be built');
    expect(reason).not.toMatch(/254711000111|credit_party_mobile_number=|http:\/\//);
  });

  it('a body that cannot be encoded (NaN per_page) fails typed and unsent, not as a defect', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: { id: 7 } }));
    const result = await Effect.runPromiseExit(
      makeDvsHttpClient(settings()).request({ ...write, body: { per_page: Number.NaN } }),
    );
    expect(result).toMatchObject({ _tag: 'Failure', cause: { _tag: 'Fail' } });
    const error = await failure({ ...write, body: { per_page: Number.NaN } });
    expect(error).toMatchObject({ _tag: 'ProviderRejected', providerCode: 'INVALID_REQUEST', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});
