// POST/GET /v1/topups over real HTTP, with the API wired to PostgreSQL,
// RabbitMQ and the DVS simulator's HTTP server (no consumer runs here: the
// top-ups stay CREATED, their commands wait in the commands queue).
import { setCallbackSigningSecret } from '@airtime/persistence-postgres';
import { Effect } from 'effect';
import { startApiHarness, type ApiHarness } from '../../testing/api-harness.fixture';

type Json = Record<string, unknown>;

const bodyOf = (answer: { readonly body: unknown }): Json => answer.body as Json;
const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error: Json }).error;

describe('the top-up routes', () => {
  let api: ApiHarness;
  let key: string;
  let twoAccountsKey: string;

  const request = (overrides: Json = {}): Json => ({
    external_id: `order-${Math.random().toString(36).slice(2, 10)}`,
    phone_number: '+639171234100',
    currency: 'PHP',
    max_amount: '30',
    ...overrides,
  });

  beforeAll(async () => {
    api = await startApiHarness({ label: 'api-topups' });
    await api.openAccount('team-growth');
    await api.openAccount('team-ops');
    key = await api.issueKey('team-growth');
    twoAccountsKey = await api.issueKey('team-growth', 'team-ops');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('requests a top-up: 202 with the top-up, its quote and Location; the command is enqueued as api:<id>', async () => {
    const sent = request({ metadata: { order: 42, tags: ['a'] }, callback_url: 'https://example.com/hook' });
    const answer = await api.request('POST', '/v1/topups', { key, body: sent });
    expect(answer.status).toBe(202);
    const topUp = bodyOf(answer);
    expect(topUp).toMatchObject({
      external_id: sent['external_id'],
      account_id: 'team-growth',
      status: { id: 'CREATED', message: 'Created', class: 'CREATED' },
      phone_number: '+639171234100',
      attempts: [],
      metadata: { order: 42, tags: ['a'] },
      callback_url: 'https://example.com/hook',
      quote: { receive: { amount: '30.00', currency: 'PHP' }, rule: 'LARGEST_AT_OR_BELOW_MAX' },
    });
    expect(answer.headers.get('location')).toBe(`/v1/topups/${String(topUp['id'])}`);

    const queue = api.topology.queues.topUpCommands.name;
    await api.broker.waitForCount(queue, 1);
    const [message] = await api.broker.drain(queue);
    expect(message?.properties.messageId).toBe(`api:${String(topUp['id'])}`);
    expect(JSON.parse(message?.content.toString('utf8') ?? '{}')).toMatchObject({
      version: 1,
      external_id: sent['external_id'],
      account_id: 'team-growth',
      phone_number: '+639171234100',
      max_amount: '30',
    });
  });

  it('answers the same top-up and status for the same key and body; 409 naming the field for another body', async () => {
    const sent = request();
    const first = await api.request('POST', '/v1/topups', { key, body: sent });
    const again = await api.request('POST', '/v1/topups', { key, body: sent });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(bodyOf(again)['id']).toBe(bodyOf(first)['id']);
    const topUps = await api.count('top_ups');

    const changed = await api.request('POST', '/v1/topups', { key, body: { ...sent, max_amount: '25' } });
    expect(changed.status).toBe(409);
    expect(errorOf(changed)).toMatchObject({ code: 'EXTERNAL_ID_CONFLICT', field: 'max_amount' });
    expect(changed.text).not.toContain('25');
    expect(await api.count('top_ups')).toBe(topUps);
  });

  it('takes the key from the Idempotency-Key header; both given and different is 400 on external_id', async () => {
    const { external_id: externalId, ...rest } = request();
    const headers = { 'idempotency-key': String(externalId) };
    const first = await api.request('POST', '/v1/topups', { key, body: rest, headers });
    expect(first.status).toBe(202);
    expect(bodyOf(first)['external_id']).toBe(externalId);
    const same = await api.request('POST', '/v1/topups', { key, body: { ...rest, external_id: externalId }, headers });
    expect(bodyOf(same)['id']).toBe(bodyOf(first)['id']);

    const differing = await api.request('POST', '/v1/topups', {
      key,
      body: { ...rest, external_id: 'another-one' },
      headers,
    });
    expect(differing.status).toBe(400);
    expect(errorOf(differing)).toMatchObject({ code: 'INVALID_REQUEST', field: 'external_id' });
    const missing = await api.request('POST', '/v1/topups', { key, body: rest });
    expect(missing.status).toBe(400);
    expect(errorOf(missing)).toMatchObject({ code: 'INVALID_REQUEST', field: 'Idempotency-Key' });
  });

  it('reads only a visible ASCII Idempotency-Key (Node reads header bytes as latin1) and names the header in its errors', async () => {
    const { external_id: _externalId, ...rest } = request();
    const before = await api.count('top_ups');
    // "café" sent as latin1 bytes, a UTF-8 key as Node would read it ("cafÃ©"), a space, a tab
    for (const value of ['caf\u00e9', 'caf\u00c3\u00a9', 'two words', 'tab\tkey']) {
      const answer = await api.request('POST', '/v1/topups', {
        key,
        body: rest,
        headers: { 'idempotency-key': value },
      });
      expect({ value, status: answer.status, error: errorOf(answer) }).toEqual({
        value,
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'Idempotency-Key' }),
      });
      expect(String(errorOf(answer)['message'])).not.toContain('external_id');
    }
    // a key the request's rules refuse (over 40 characters): the header is named, not external_id
    const long = await api.request('POST', '/v1/topups', {
      key,
      body: rest,
      headers: { 'idempotency-key': 'k'.repeat(41) },
    });
    expect({ status: long.status, field: errorOf(long)['field'] }).toEqual({ status: 400, field: 'Idempotency-Key' });
    expect(await api.count('top_ups')).toBe(before);
  });

  it('needs account_id when the key has several accounts, and refuses one out of its scope as not found', async () => {
    const ambiguous = await api.request('POST', '/v1/topups', { key: twoAccountsKey, body: request() });
    expect(ambiguous.status).toBe(400);
    expect(errorOf(ambiguous)).toMatchObject({ code: 'INVALID_REQUEST', field: 'account_id' });
    const chosen = await api.request('POST', '/v1/topups', {
      key: twoAccountsKey,
      body: request({ account_id: 'team-ops' }),
    });
    expect(chosen.status).toBe(202);
    expect(bodyOf(chosen)['account_id']).toBe('team-ops');

    const topUps = await api.count('top_ups');
    const foreign = await api.request('POST', '/v1/topups', { key, body: request({ account_id: 'team-ops' }) });
    expect(foreign.status).toBe(404);
    expect(errorOf(foreign)).toEqual({ code: 'ACCOUNT_NOT_FOUND', message: 'no such account' });
    expect(await api.count('top_ups')).toBe(topUps);
  });

  it('refuses bad requests with 4xx naming the field, writing nothing', async () => {
    const topUps = await api.count('top_ups');
    const requests = await api.count('top_up_requests');
    const cases: readonly [Json, string][] = [
      [request({ phone_number: '12' }), 'phone_number'],
      [request({ currency: 'XYZ' }), 'currency'],
      [request({ max_amount: '-3' }), 'max_amount'],
      [request({ max_amount: '30.123' }), 'max_amount'],
      [request({ desired_amount: 'ten' }), 'desired_amount'],
      [request({ external_id: 'has spaces' }), 'external_id'],
      [request({ callback_url: 'http://example.com/hook-not-https' }), 'callback_url'],
      [request({ unknown_field: 1 }), 'unknown_field'],
      [request({ metadata: ['not', 'an', 'object'] }), 'metadata'],
      [request({ exact_amount: 'yes' }), 'exact_amount'],
    ];
    for (const [body, field] of cases) {
      const answer = await api.request('POST', '/v1/topups', { key, body });
      expect({ field, status: answer.status, error: errorOf(answer) }).toEqual({
        field,
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field: expect.stringContaining(field) }),
      });
    }
    const notJson = await api.request('POST', '/v1/topups', {
      key,
      rawBody: '{"external_id": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson)).toEqual({ code: 'MALFORMED_JSON', message: 'the body is not valid JSON' });
    const text = await api.request('POST', '/v1/topups', {
      key,
      rawBody: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(errorOf(text)['code']).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await api.request('POST', '/v1/topups', {
      key,
      body: request({ metadata: { blob: 'x'.repeat(70_000) } }),
    });
    expect(huge.status).toBe(413);
    expect(errorOf(huge)['code']).toBe('BODY_TOO_LARGE');
    const nothingToSell = await api.request('POST', '/v1/topups', { key, body: request({ max_amount: '1' }) });
    expect(nothingToSell.status).toBe(422);
    expect(errorOf(nothingToSell)['code']).toBe('NO_MATCHING_PRODUCT');
    expect(await api.count('top_ups')).toBe(topUps);
    expect(await api.count('top_up_requests')).toBe(requests);
  });

  it('refuses a malformed account_id in the body with 400 naming it, as in a query or a path (never 404)', async () => {
    const topUps = await api.count('top_ups');
    for (const accountId of ['team\u0000growth', '\u202Eteam', '', 'a'.repeat(200), 'cafe\u0301']) {
      const inBody = await api.request('POST', '/v1/topups', { key, body: request({ account_id: accountId }) });
      const inQuery = await api.request('GET', `/v1/topups?account_id=${encodeURIComponent(accountId)}`, { key });
      for (const [where, answer] of [
        ['body', inBody],
        ['query', inQuery],
      ] as const) {
        expect({ where, accountId, status: answer.status, error: errorOf(answer) }).toEqual({
          where,
          accountId,
          status: 400,
          error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'account_id' }),
        });
      }
    }
    expect(await api.count('top_ups')).toBe(topUps);
  });

  it("refuses a zero amount as any bad amount: 400 naming the field, in the request's own words", async () => {
    const topUps = await api.count('top_ups');
    // -0 as sent (JSON.stringify writes it as 0)
    const minusZero = JSON.stringify(request({ max_amount: 0 })).replace('"max_amount":0', '"max_amount":-0');
    const cases: readonly [string, { body?: Json; rawBody?: string; headers?: Record<string, string> }][] = [
      ['max_amount', { body: request({ max_amount: '0' }) }],
      ['max_amount', { body: request({ max_amount: 0 }) }],
      ['max_amount', { rawBody: minusZero, headers: { 'content-type': 'application/json' } }],
      ['max_amount', { body: request({ max_amount: '0.00' }) }],
      ['desired_amount', { body: request({ desired_amount: '0' }) }],
      ['desired_amount', { body: request({ desired_amount: 0 }) }],
    ];
    for (const [field, sent] of cases) {
      for (const path of ['/v1/topups', '/v1/quotes']) {
        const answer = await api.request('POST', path, { key, ...sent });
        const error = errorOf(answer);
        expect({ path, sent, status: answer.status, error }).toEqual({
          path,
          sent,
          status: 400,
          error: expect.objectContaining({ code: 'INVALID_REQUEST', field }),
        });
        expect(String(error['message'])).toContain(field);
        expect(String(error['message'])).not.toMatch(/maxAmount|desiredAmount/);
      }
    }
    expect(await api.count('top_ups')).toBe(topUps);
  });

  it('refuses a callback_url for an account with no callback signing secret: 422 CALLBACK_SECRET_MISSING, nothing written', async () => {
    await api.openAccount('team-unsigned', '1000.00', { callbackSecret: false });
    const unsignedKey = await api.issueKey('team-unsigned');
    const [topUps, holds] = [await api.count('top_ups'), await api.count('ledger_holds')];
    const sent = request({ callback_url: 'https://example.com/hook' });
    const refused = await api.request('POST', '/v1/topups', { key: unsignedKey, body: sent });
    expect(refused.status).toBe(422);
    expect(errorOf(refused)).toMatchObject({ code: 'CALLBACK_SECRET_MISSING' });
    expect(String(errorOf(refused)['message'])).toContain('callback signing secret');
    expect([await api.count('top_ups'), await api.count('ledger_holds')]).toEqual([topUps, holds]);
    // without a callback URL the account is served as any other
    expect((await api.request('POST', '/v1/topups', { key: unsignedKey, body: request() })).status).toBe(202);
    // once an operator made its secret, the same request is taken
    await Effect.runPromise(
      setCallbackSigningSecret(api.db.dataSource, 'team-unsigned', 'a-secret-made-after-the-refusal-0123456789'),
    );
    expect((await api.request('POST', '/v1/topups', { key: unsignedKey, body: sent })).status).toBe(202);
  });

  it('finds a top-up by id, and lists them newest first with the DVS pagination headers', async () => {
    const created = bodyOf(await api.request('POST', '/v1/topups', { key, body: request({ max_amount: '20' }) }));
    const found = await api.request('GET', `/v1/topups/${String(created['id'])}`, { key });
    expect(found.status).toBe(200);
    expect(bodyOf(found)).toEqual(created);

    const page = await api.request('GET', '/v1/topups?per_page=2', { key });
    expect(page.status).toBe(200);
    const items = page.body as Json[];
    expect(items).toHaveLength(2);
    expect(items[0]?.['id']).toBe(created['id']);
    expect(Number(page.headers.get('x-total'))).toBeGreaterThanOrEqual(4);
    expect(page.headers.get('x-page')).toBe('1');
    expect(page.headers.get('x-per-page')).toBe('2');
    expect(page.headers.get('x-next-page')).toBe('2');
    expect(Number(page.headers.get('x-total-pages'))).toBe(Math.ceil(Number(page.headers.get('x-total')) / 2));

    const byExternalId = await api.request('GET', `/v1/topups?external_id=${String(created['external_id'])}`, { key });
    expect((byExternalId.body as Json[]).map((item) => item['id'])).toEqual([created['id']]);
    expect(byExternalId.headers.get('x-total')).toBe('1');
    const completed = await api.request('GET', '/v1/topups?status=COMPLETED', { key });
    expect(completed.body).toEqual([]);
    expect(completed.headers.get('x-total')).toBe('0');
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await api.request('GET', `/v1/topups?from=${today}&to=${today}&per_page=100`, { key });
    expect((byDay.body as Json[]).map((item) => item['id'])).toContain(created['id']);
    // a time's UTC offset written with an unencoded + (read as a space by the query string) is taken back
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const byOffset = await api.request(
      'GET',
      `/v1/topups?from=${today}T00:00:00+14:00&to=${tomorrow}T12:00:00+00:00&per_page=100`,
      { key },
    );
    expect(byOffset.status).toBe(200);
    expect((byOffset.body as Json[]).map((item) => item['id'])).toContain(created['id']);
  });

  it('refuses bad ids, filters and pages with 400 naming the parameter', async () => {
    const cases: readonly [string, string][] = [
      ['/v1/topups?per_page=0', 'per_page'],
      ['/v1/topups?per_page=101', 'per_page'],
      ['/v1/topups?page=-1', 'page'],
      ['/v1/topups?page=abc', 'page'],
      ['/v1/topups?status=completed', 'status'],
      ['/v1/topups?from=2025-02-30', 'from'],
      ['/v1/topups?from=2025-02-02&to=2025-02-01', 'to'],
      ['/v1/topups?color=blue', 'color'],
      ['/v1/topups?page=1&page=2', 'page'],
      [`/v1/topups/${'x'.repeat(101)}`, 'id'],
      ['/v1/topups/%E2%80%AEabc', 'id'],
    ];
    for (const [path, field] of cases) {
      const answer = await api.request('GET', path, { key });
      expect({ path, status: answer.status, error: errorOf(answer) }).toEqual({
        path,
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field }),
      });
    }
    const unknown = await api.request('GET', '/v1/topups/no-such-top-up', { key });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toEqual({ code: 'TOP_UP_NOT_FOUND', message: 'no such top-up' });
  });

  it('reads null for an optional field as the field left out: 202, and the repeat without them is a repeat', async () => {
    const sent = request();
    const nulls = { desired_amount: null, product_id: null, exact_amount: null, callback_url: null, metadata: null };
    const before = await api.count('top_ups');
    const first = await api.request('POST', '/v1/topups', { key, body: { ...sent, ...nulls, account_id: null } });
    expect(first.status).toBe(202);
    expect(bodyOf(first)).toMatchObject({ account_id: 'team-growth', callback_url: null, metadata: null });
    // the answer's fields sent back as they show (null), then left out, then the key in the header with a null external_id
    const echoed = await api.request('POST', '/v1/topups', {
      key,
      body: { ...sent, callback_url: bodyOf(first)['callback_url'], metadata: bodyOf(first)['metadata'] },
    });
    const absent = await api.request('POST', '/v1/topups', { key, body: sent });
    const byHeader = await api.request('POST', '/v1/topups', {
      key,
      headers: { 'idempotency-key': String(sent['external_id']) },
      body: { ...sent, external_id: null, ...nulls },
    });
    expect([echoed.status, absent.status, byHeader.status]).toEqual([202, 202, 202]);
    expect([bodyOf(echoed)['id'], bodyOf(absent)['id'], bodyOf(byHeader)['id']]).toEqual(
      Array(3).fill(bodyOf(first)['id']),
    );
    expect(await api.count('top_ups')).toBe(before + 1);
    // a dry run takes the same body
    const quoted = await api.request('POST', '/v1/quotes', { key, body: { ...sent, ...nulls, account_id: null } });
    expect(quoted.status).toBe(200);
  });

  it('answers concurrent requests under one key, some sending null for optional fields, with one top-up', async () => {
    const sent = request({ desired_amount: '20' });
    const before = await api.count('top_ups');
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        api.request('POST', '/v1/topups', {
          key,
          body: index % 2 === 0 ? { ...sent, metadata: null, callback_url: null, product_id: null } : sent,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(202));
    expect(new Set(answers.map((answer) => bodyOf(answer)['id'])).size).toBe(1);
    expect(await api.count('top_ups')).toBe(before + 1);
  });

  it('refuses null for a required field (400 naming it), on POST /v1/topups and POST /v1/quotes', async () => {
    const before = await api.count('top_ups');
    for (const field of ['phone_number', 'currency', 'max_amount']) {
      for (const path of ['/v1/topups', '/v1/quotes']) {
        const answer = await api.request('POST', path, { key, body: request({ [field]: null }) });
        expect({ path, field, status: answer.status, error: errorOf(answer) }).toEqual({
          path,
          field,
          status: 400,
          error: expect.objectContaining({ code: 'INVALID_REQUEST', field }),
        });
      }
    }
    // no key at all: a null external_id is no key
    const keyless = await api.request('POST', '/v1/topups', { key, body: request({ external_id: null }) });
    expect(keyless.status).toBe(400);
    expect(errorOf(keyless)).toMatchObject({ code: 'INVALID_REQUEST', field: 'Idempotency-Key' });
    // a key of several accounts needs account_id: null is none
    const unscoped = await api.request('POST', '/v1/topups', {
      key: twoAccountsKey,
      body: request({ account_id: null }),
    });
    expect(unscoped.status).toBe(400);
    expect(errorOf(unscoped)).toMatchObject({ code: 'INVALID_REQUEST', field: 'account_id' });
    expect(await api.count('top_ups')).toBe(before);
  });

  it('refuses a query parameter a route does not take, on every /v1 route alike (400 naming it)', async () => {
    const created = bodyOf(await api.request('POST', '/v1/topups', { key, body: request() }));
    const id = String(created['id']);
    const cases: readonly [string, string][] = [
      ['GET', `/v1/topups?color=blue`],
      ['GET', `/v1/topups/${id}?color=blue`],
      ['GET', `/v1/topups/${id}/transfer-log?color=blue`],
      ['POST', `/v1/topups/${id}/cancel?color=blue`],
      ['GET', '/v1/accounts/team-growth/balance?color=blue'],
      ['GET', '/v1/accounts/team-growth/ledger?color=blue'],
      ['GET', '/v1/lookup/%2B639171234100?color=blue'],
      ['GET', '/v1/products?phone=%2B639171234100&color=blue'],
      ['POST', '/v1/quotes?color=blue'],
      ['POST', '/v1/topups?color=blue'],
    ];
    const before = await api.count('top_ups');
    for (const [method, path] of cases) {
      const answer = await api.request(method, path, {
        key,
        ...(method === 'POST' && !path.includes('/cancel') ? { body: request() } : {}),
      });
      expect({ method, path, status: answer.status, error: errorOf(answer) }).toEqual({
        method,
        path,
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'color' }),
      });
    }
    expect(await api.count('top_ups')).toBe(before);
    expect(bodyOf(await api.request('GET', `/v1/topups/${id}`, { key }))['status']).toEqual(created['status']);
  });

  it('cancels a CREATED top-up (the hold is released), twice changes nothing', async () => {
    const created = bodyOf(await api.request('POST', '/v1/topups', { key, body: request() }));
    const path = `/v1/topups/${String(created['id'])}/cancel`;
    const cancelled = await api.request('POST', path, { key });
    expect(cancelled.status).toBe(200);
    expect(bodyOf(cancelled)).toMatchObject({
      id: created['id'],
      status: { id: 'CANCELLED', class: 'CANCELLED' },
      failure: { reason: 'CANCELLED' },
    });
    const again = await api.request('POST', path, { key });
    expect(again.status).toBe(200);
    expect(bodyOf(again)['status']).toEqual(bodyOf(cancelled)['status']);
    expect((await api.request('POST', '/v1/topups/nope/cancel', { key })).status).toBe(404);
  });

  it('refuses a body on POST /v1/topups/{id}/cancel (400 INVALID_REQUEST), as a query parameter; no body, an empty JSON one or {} cancel', async () => {
    const created = bodyOf(await api.request('POST', '/v1/topups', { key, body: request() }));
    const path = `/v1/topups/${String(created['id'])}/cancel`;
    const json = { 'content-type': 'application/json' };
    const refused: readonly [string, Readonly<Record<string, string>>, string, string][] = [
      ['{"reason":"customer asked"}', json, 'INVALID_REQUEST', 'reason'],
      ['{"id":"other"}', json, 'INVALID_REQUEST', 'id'],
      ['[1]', json, 'INVALID_REQUEST', 'the body'],
      ['null', json, 'INVALID_REQUEST', 'the body'],
      ['"cancel"', json, 'INVALID_REQUEST', 'the body'],
      ['0', json, 'INVALID_REQUEST', 'the body'],
      // the API reads JSON bodies only: any other is 415, as on every route
      ['please cancel', { 'content-type': 'text/plain' }, 'UNSUPPORTED_MEDIA_TYPE', ''],
    ];
    for (const [rawBody, headers, code, field] of refused) {
      const answer = await api.request('POST', path, { key, rawBody, headers });
      expect({ rawBody, status: answer.status, error: errorOf(answer) }).toEqual({
        rawBody,
        status: field === '' ? 415 : 400,
        error: expect.objectContaining(field === '' ? { code } : { code, field }),
      });
      expect(answer.text).not.toMatch(/customer asked|other|please/);
    }
    expect(bodyOf(await api.request('GET', `/v1/topups/${String(created['id'])}`, { key }))['status']).toEqual(
      created['status'],
    );
    // (fetch sends a string with its own text/plain content type: no content type takes bytes)
    const accepted: readonly [string | Uint8Array, Readonly<Record<string, string>>][] = [
      ['{}', json],
      [' { } ', json],
      ['', json],
      [new Uint8Array(0), {}],
    ];
    for (const [rawBody, headers] of accepted) {
      const answer = await api.request('POST', path, { key, rawBody, headers });
      expect({
        rawBody,
        status: answer.status,
        status_class: (bodyOf(answer)['status'] as Json | undefined)?.['class'],
      }).toEqual({
        rawBody,
        status: 200,
        status_class: 'CANCELLED',
      });
    }
  });

  it('answers the transfer log of a top-up (empty before any attempt)', async () => {
    const created = bodyOf(await api.request('POST', '/v1/topups', { key, body: request() }));
    const log = await api.request('GET', `/v1/topups/${String(created['id'])}/transfer-log`, { key });
    expect(log.status).toBe(200);
    expect(bodyOf(log)).toEqual({ top_up_id: created['id'], exchanges: [] });
  });

  it('answers a REJECTED top-up when the account cannot pay (202, the refusal is the top-up)', async () => {
    await api.openAccount('team-poor', '0.01');
    const poorKey = await api.issueKey('team-poor');
    const answer = await api.request('POST', '/v1/topups', { key: poorKey, body: request() });
    expect(answer.status).toBe(202);
    expect(bodyOf(answer)).toMatchObject({ status: { class: 'REJECTED' }, failure: { reason: 'INSUFFICIENT_FUNDS' } });
  });
});
