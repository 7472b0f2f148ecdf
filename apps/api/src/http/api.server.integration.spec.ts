// The server's own behaviour over real HTTP: API keys (401 for anything but
// a valid key, revocation honoured after the cache time), the per-key rate
// limit (429 with Retry-After), the per-client limit on failed
// authentications (API_AUTH_FAILURES_PER_MINUTE, default 60), the documentation, health, readiness and
// metrics routes, and the one error shape for what Fastify refuses.
import { request as httpRequest } from 'node:http';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.fixture';

type Json = Record<string, unknown>;
const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error: Json }).error;

describe('the API server', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await startApiHarness({
      label: 'api-server',
      environment: { API_RATE_LIMIT_PER_MINUTE: '25', API_KEY_CACHE_MS: '300' },
    });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers 401 UNAUTHENTICATED for a missing, malformed, unknown or revoked key, never saying which', async () => {
    const unauthenticated = { code: 'UNAUTHENTICATED', message: 'the API key is missing or not valid' };
    const [prefix] = key.split('_').slice(1);
    const attempts: readonly (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: 'Basic dXNlcjpwdw==' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer not-a-key' },
      { authorization: `Bearer atk_${String(prefix)}_wrongsecretwrongsecretwrongsecretwrongsec` },
      { authorization: `Bearer atk_000000000000_${'A'.repeat(43)}` },
      { authorization: `Bearer ${key}x` },
    ];
    for (const headers of attempts) {
      const answer = await api.request('GET', '/v1/topups', { headers });
      expect({ headers, status: answer.status, error: errorOf(answer) }).toEqual({
        headers,
        status: 401,
        error: unauthenticated,
      });
    }
    expect((await api.request('GET', '/v1/topups', { key })).status).toBe(200);
    expect((await api.request('GET', '/v1/topups', { headers: { authorization: `bearer   ${key}` } })).status).toBe(
      200,
    );

    const revocable = await api.issueKey('team-growth');
    expect((await api.request('GET', '/v1/topups', { key: revocable })).status).toBe(200);
    await api.revokeKey(revocable);
    // verified keys are remembered for API_KEY_CACHE_MS (300 ms here): refused once that has passed
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await api.request('GET', '/v1/topups', { key: revocable })).status).toBe(401);
  });

  it('answers JSON errors for unknown routes and methods (404 NOT_FOUND), with no API key needed', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/v1/nope'],
      ['DELETE', '/v1/topups'],
      ['GET', '/v2/topups'],
    ] as const) {
      const answer = await api.request(method, path);
      expect({ path, status: answer.status, error: errorOf(answer) }).toEqual({
        path,
        status: 404,
        error: { code: 'NOT_FOUND', message: 'no such route' },
      });
    }
  });

  it('refuses a body nested deeper than 64 levels (400 MALFORMED_JSON) and a __proto__ key (400 FORBIDDEN_KEY) on every JSON route', async () => {
    const jsonKey = await api.issueKey('team-growth');
    const deep = (depth: number) => `{"phone_number":${'['.repeat(depth)}1${']'.repeat(depth)},"currency":"PHP"}`;
    const routes = ['/v1/topups', '/v1/quotes', '/airtime/validation', '/airtime/status', '/callbacks/dtone/no-token'];
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'deep-1' };
    for (const path of routes) {
      for (const rawBody of [deep(10_000), deep(65)]) {
        const answer = await api.request('POST', path, { key: jsonKey, headers, rawBody });
        expect({ path, status: answer.status, error: errorOf(answer) }).toEqual({
          path,
          status: 400,
          error: { code: 'MALFORMED_JSON', message: 'the body is nested deeper than 64 levels of arrays and objects' },
        });
      }
      // 63 levels inside the body object: read, and refused by the route's decoding, never 500
      expect((await api.request('POST', path, { key: jsonKey, headers, rawBody: deep(63) })).status).toBeLessThan(500);
      for (const rawBody of [
        '{"currency":"PHP","__proto__":{"admin":true}}',
        '{"metadata":{"constructor":{"prototype":{"admin":"secret-value"}}}}',
      ]) {
        const answer = await api.request('POST', path, { key: jsonKey, headers, rawBody });
        expect({ path, status: answer.status, code: errorOf(answer)['code'] }).toEqual({
          path,
          status: 400,
          code: 'FORBIDDEN_KEY',
        });
        expect(answer.text).not.toContain('secret-value');
        expect(errorOf(answer)['message']).toContain('__proto__');
      }
    }
    expect(await api.count('top_ups')).toBe(0);
  });

  it('refuses on every JSON route what JSON.parse would read silently: a field named twice, a number a double does not keep, bytes that are not UTF-8, another charset', async () => {
    const jsonKey = await api.issueKey('team-growth');
    const routes = ['/v1/topups', '/v1/quotes', '/airtime/validation', '/airtime/status', '/callbacks/dtone/no-token'];
    const json = { 'content-type': 'application/json', 'idempotency-key': 'exact-1' };
    const request = '"phone_number":"+639171234100","currency":"PHP"';
    const cases: readonly (readonly [Record<string, string>, string | Uint8Array, number, string])[] = [
      // the last would win in JSON.parse: a proxy reading the first sees a cap of 30
      [json, `{${request},"max_amount":"30","max_amount":"3000"}`, 400, 'DUPLICATE_KEY'],
      [json, `{${request},"metadata":{"a":[{"b":1,"b":2}]}}`, 400, 'DUPLICATE_KEY'],
      // the same value twice too: names must be unique
      [json, `{${request},"currency":"PHP"}`, 400, 'DUPLICATE_KEY'],
      // the double 30: never rounded up to the cap
      [json, `{${request},"max_amount":29.999999999999999}`, 400, 'INEXACT_NUMBER'],
      [json, `{${request},"metadata":{"order":12345678901234567890123}}`, 400, 'INEXACT_NUMBER'],
      [json, `{${request},"max_amount":1e400}`, 400, 'INEXACT_NUMBER'],
      // latin-1 bytes are not replaced by U+FFFD
      [json, Buffer.from(`{${request},"metadata":{"name":"Jos\xe9"}}`, 'latin1'), 400, 'MALFORMED_JSON'],
      [
        { ...json, 'content-type': 'application/json; charset=iso-8859-1' },
        `{${request}}`,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
    ];
    for (const path of routes) {
      for (const [headers, rawBody, status, code] of cases) {
        const answer = await api.request('POST', path, { key: jsonKey, headers, rawBody });
        if (code === 'INEXACT_NUMBER' && path.startsWith('/callbacks/')) {
          // a provider's callback is read by its own rules: its numbers are its rates and fees, not a request's
          // amounts (this body is no DVS transaction: the route's own decoding answers)
          expect({ path, status: answer.status, code: errorOf(answer)['code'] }).toEqual({
            path,
            status: 400,
            code: 'INVALID_REQUEST',
          });
          continue;
        }
        expect({ path, status: answer.status, code: errorOf(answer)['code'] }).toEqual({ path, status, code });
        expect(answer.text).not.toContain('3000');
      }
      // UTF-8 named as such is read (answered by the route)
      for (const [headers, rawBody] of [
        [{ ...json, 'content-type': 'application/json; charset=UTF-8' }, `{${request}}`],
      ] as const) {
        const answer = await api.request('POST', path, { key: jsonKey, headers, rawBody });
        const refused = answer.body as { error?: Json } | undefined;
        expect(['DUPLICATE_KEY', 'INEXACT_NUMBER', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE']).not.toContain(
          refused?.error?.['code'],
        );
        expect(answer.status).toBeLessThan(500);
      }
    }
    expect(await api.count('top_ups')).toBe(0);
  });

  it('serves the OpenAPI document at /docs/json and its UI at /docs, generated from the route schemas', async () => {
    const document = await api.request('GET', '/docs/json');
    expect(document.status).toBe(200);
    const openapi = document.body as {
      openapi: string;
      paths: Record<string, Record<string, Json>>;
      components: { securitySchemes: Json };
    };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/topups',
        '/v1/topups/{id}',
        '/v1/topups/{id}/cancel',
        '/v1/topups/{id}/transfer-log',
        '/v1/quotes',
        '/v1/accounts/{id}/balance',
        '/v1/accounts/{id}/ledger',
        '/v1/products',
        '/v1/lookup/{phone}',
        '/healthz',
        '/readyz',
      ]),
    );
    const post = openapi.paths['/v1/topups']?.['post'] as {
      requestBody: { content: Record<string, { schema: { properties: Json; required: string[] } }> };
      responses: Record<string, Json>;
      parameters: { name: string; in: string }[];
    };
    const bodySchema = post.requestBody.content['application/json']?.schema;
    expect(Object.keys(bodySchema?.properties ?? {})).toEqual(
      expect.arrayContaining(['external_id', 'phone_number', 'currency', 'max_amount', 'metadata']),
    );
    expect(bodySchema?.required).toEqual(expect.arrayContaining(['phone_number', 'currency', 'max_amount']));
    expect(bodySchema?.required).not.toContain('external_id');
    expect(post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]),
    );
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '404', '409', '429']));
    // POST /v1/quotes is a dry run of the same request: the same body, and it says so
    const quote = openapi.paths['/v1/quotes']?.['post'] as typeof post & { description: string };
    expect(quote.requestBody.content['application/json']?.schema).toEqual(bodySchema);
    expect(quote.description).toContain('same body');
    const list = openapi.paths['/v1/topups']?.['get'] as { parameters: { name: string }[] };
    expect(list.parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['external_id', 'status', 'from', 'to', 'page', 'per_page']),
    );
    expect(openapi.components.securitySchemes).toHaveProperty('apiKey');
    // every read route may find the store unavailable (503 SERVICE_UNAVAILABLE)
    for (const path of [
      '/v1/topups',
      '/v1/topups/{id}',
      '/v1/topups/{id}/transfer-log',
      '/v1/accounts/{id}/balance',
      '/v1/accounts/{id}/ledger',
      '/v1/products',
      '/v1/lookup/{phone}',
    ]) {
      const read = openapi.paths[path]?.['get'] as { responses: Record<string, Json> };
      expect({ path, statuses: Object.keys(read.responses) }).toEqual({
        path,
        statuses: expect.arrayContaining(['503']),
      });
    }
    // AT's callback bodies are open (extra fields are ignored), and the status callback answers the text OK
    const atBodyOf = (path: string) =>
      (openapi.paths[path]?.['post'] as typeof post).requestBody.content['application/json']?.schema as Json;
    expect(atBodyOf('/airtime/validation')['additionalProperties']).toBe(true);
    expect(atBodyOf('/airtime/status')['additionalProperties']).toBe(true);
    const atStatus = openapi.paths['/airtime/status']?.['post'] as {
      responses: Record<string, { content: Record<string, Json> }>;
    };
    expect(Object.keys(atStatus.responses['200']?.content ?? {})).toEqual(['text/plain']);
    expect(JSON.stringify(openapi)).not.toContain('/metrics');

    const ui = await fetch(`${api.url}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
  });

  it('answers /healthz and /readyz (database and broker) without a key', async () => {
    const health = await api.request('GET', '/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await api.request('GET', '/readyz');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true }, messaging: { ok: true } } },
    });
  });

  it('serves /metrics: requests by route pattern and status, their latency', async () => {
    await api.request('GET', '/v1/topups/some-id', { key });
    const metrics = await api.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /airtime_api_requests_total\{method="GET",route="\/v1\/topups\/:id",status="404"\} \d+/,
    );
    expect(metrics.text).toMatch(/airtime_api_request_duration_seconds_bucket\{/);
    expect(metrics.text).toContain('airtime_api_process_resident_memory_bytes');
    expect(metrics.text).not.toContain('some-id');
  });

  it('limits each key to API_RATE_LIMIT_PER_MINUTE requests: 429 RATE_LIMITED with Retry-After, others unaffected', async () => {
    const busy = await api.issueKey('team-growth');
    const calm = await api.issueKey('team-growth');
    const answers = [];
    for (let i = 0; i < 26; i += 1) answers.push(await api.request('GET', '/v1/topups', { key: busy }));
    expect(answers.slice(0, 25).every((answer) => answer.status === 200)).toBe(true);
    const limited = answers[25];
    expect(limited?.status).toBe(429);
    expect(errorOf(limited ?? { body: {} })).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(limited?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await api.request('GET', '/v1/topups', { key: calm })).status).toBe(200);
    // unauthenticated requests are answered 401 before the limit is counted
    expect((await api.request('GET', '/v1/topups')).status).toBe(401);
  });

  it('limits failed authentications per client IP (60 a minute): the 61st wrong key is 429 RATE_LIMITED with Retry-After', async () => {
    const fresh = await api.issueKey('team-growth');
    // clients of their own: real HTTP from other loopback addresses (the other specs come from 127.0.0.1)
    const from = (localAddress: string, presented: string) =>
      new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
        const sent = httpRequest(`${api.url}/v1/topups`, {
          localAddress,
          headers: { authorization: `Bearer ${presented}` },
        });
        sent.on('error', reject);
        sent.on('response', (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({ status: response.statusCode ?? 0, retryAfter, body });
          });
        });
        sent.end();
      });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      statuses.push((await from('127.0.0.7', `atk_000000000000_${String(i).padStart(43, 'A')}`)).status);
    }
    expect(statuses.every((status) => status === 401)).toBe(true);
    const limited = await from('127.0.0.7', `atk_000000000000_${'B'.repeat(43)}`);
    expect(limited.status).toBe(429);
    expect((JSON.parse(limited.body) as { error: Json }).error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    // a key not verified lately is refused from that client too (no look-up until the window ends) ...
    expect((await from('127.0.0.7', fresh)).status).toBe(429);
    // ... and works from any other client
    expect((await from('127.0.0.8', fresh)).status).toBe(200);
  });
});
