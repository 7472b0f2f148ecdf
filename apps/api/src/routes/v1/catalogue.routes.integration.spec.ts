// POST /v1/quotes, GET /v1/products and GET /v1/lookup/{phone} over real
// HTTP against the DVS simulator: what would be sent and why, nothing held.
import { startApiHarness, type ApiHarness } from '../../testing/api-harness.fixture';

type Json = Record<string, unknown>;
const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error: Json }).error;

describe('quotes and the catalogue', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await startApiHarness({ label: 'api-catalogue' });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('quotes a top-up and says why this amount: nothing held, nothing stored', async () => {
    const journal = await api.count('ledger_journal');
    const largest = await api.request('POST', '/v1/quotes', {
      key,
      body: { phone_number: '+639171234100', currency: 'PHP', max_amount: '25' },
    });
    expect(largest.status).toBe(200);
    expect(largest.body).toMatchObject({
      receive: { currency: 'PHP' },
      cost: { currency: 'USD' },
      rule: 'LARGEST_AT_OR_BELOW_MAX',
      request: { max_amount: { amount: '25.00', currency: 'PHP' }, desired_amount: null },
      rate: { source: 'USD', destination: 'PHP' },
    });
    const body = largest.body as { receive: { amount: string }; explanation: string; cost_parts: Json };
    expect(Number(body.receive.amount)).toBeLessThanOrEqual(25);
    expect(body.explanation).toContain('largest amount offered at or below the maximum PHP 25.00');
    expect(Object.keys(body.cost_parts)).toEqual(['wholesale', 'fee', 'exact', 'rounding_up']);

    const desired = await api.request('POST', '/v1/quotes', {
      key,
      body: { phone_number: '+639171234100', currency: 'PHP', max_amount: '30', desired_amount: '11' },
    });
    expect(desired.body).toMatchObject({ rule: 'SMALLEST_AT_OR_ABOVE_DESIRED' });
    expect(Number((desired.body as { receive: { amount: string } }).receive.amount)).toBeGreaterThanOrEqual(11);

    const exact = await api.request('POST', '/v1/quotes', {
      key,
      body: { phone_number: '+639171234100', currency: 'PHP', max_amount: '12', exact_amount: true },
    });
    expect(exact.status).toBe(422);
    expect(errorOf(exact)['code']).toBe('EXACT_AMOUNT_UNAVAILABLE');
    expect(await api.count('ledger_journal')).toBe(journal);
    expect(await api.count('top_ups')).toBe(0);
  });

  it('takes the identical body of POST /v1/topups (a dry run of the same request): the same quote, nothing written', async () => {
    const bare = { phone_number: '+639171234100', currency: 'PHP', max_amount: '25' };
    const full = {
      ...bare,
      external_id: 'order-quoted-1',
      account_id: 'team-growth',
      callback_url: 'https://example.com/top-ups/callback',
      metadata: { order: 'A-1' },
      exact_amount: false,
    };
    const [plain, asRequested] = await Promise.all([
      api.request('POST', '/v1/quotes', { key, body: bare }),
      api.request('POST', '/v1/quotes', { key, body: full, headers: { 'idempotency-key': 'order-quoted-1' } }),
    ]);
    expect(asRequested.status).toBe(200);
    expect(asRequested.body).toEqual(plain.body);
    expect(await api.count('top_ups')).toBe(0);
  });

  it('refuses bad quote requests with 400 naming the field', async () => {
    const base = { phone_number: '+639171234100', currency: 'PHP', max_amount: '25' };
    const cases: readonly [unknown, string][] = [
      [{ ...base, phone_number: '+1' }, 'phone_number'],
      [{ ...base, currency: 'usd' }, 'currency'],
      [{ ...base, max_amount: 25.123 }, 'max_amount'],
      // the fields of POST /v1/topups the quote ignores are still decoded for their shape
      [{ ...base, external_id: 42 }, 'external_id'],
      [{ ...base, account_id: 7 }, 'account_id'],
      [{ ...base, metadata: 'not an object' }, 'metadata'],
      [{ ...base, extra: 'x' }, 'extra'],
      [{ currency: 'PHP', max_amount: '25' }, 'phone_number'],
      [[base], 'the body'],
      ['just a string', 'the body'],
    ];
    for (const [body, field] of cases) {
      const answer = await api.request('POST', '/v1/quotes', { key, body });
      expect({ field, status: answer.status, error: errorOf(answer) }).toEqual({
        field,
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field }),
      });
    }
    // a currency code nobody knows is refused naming the field, never quoting the code
    for (const path of ['/v1/quotes', '/v1/topups']) {
      const unknown = await api.request('POST', path, { key, body: { ...base, currency: 'QQZ', external_id: 'q-1' } });
      expect({ path, status: unknown.status, field: errorOf(unknown)['field'] }).toEqual({
        path,
        status: 400,
        field: 'currency',
      });
      expect(unknown.text).not.toContain('QQZ');
    }
    const empty = await api.request('POST', '/v1/quotes', { key, headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(errorOf(empty)['code']).toBe('MALFORMED_JSON');
  });

  it('checks the fields it does not quote (external_id, account_id, callback_url, metadata) as POST /v1/topups does', async () => {
    const base = { phone_number: '+639171234100', currency: 'PHP', max_amount: '25', external_id: 'order-shape-1' };
    const cases: readonly [Json, string][] = [
      [{ ...base, external_id: 'a\u0000b' }, 'external_id'],
      [{ ...base, external_id: 'has spaces' }, 'external_id'],
      [{ ...base, external_id: 'x'.repeat(41) }, 'external_id'],
      [{ ...base, external_id: 'cafe\u0301' }, 'external_id'],
      [{ ...base, callback_url: 'ftp://example.com/hook' }, 'callback_url'],
      [{ ...base, callback_url: 'https://user:secret@example.com/hook' }, 'callback_url'],
      [{ ...base, callback_url: 'not a url' }, 'callback_url'],
      [{ ...base, account_id: 'a'.repeat(200) }, 'account_id'],
      [{ ...base, account_id: 'team\u0000growth' }, 'account_id'],
      [{ ...base, account_id: '\u202Eteam' }, 'account_id'],
      [{ ...base, account_id: '' }, 'account_id'],
      [{ ...base, metadata: { blob: 'x'.repeat(5000) } }, 'metadata'],
    ];
    for (const [body, field] of cases) {
      const [quoted, requested] = await Promise.all([
        api.request('POST', '/v1/quotes', { key, body }),
        api.request('POST', '/v1/topups', { key, body }),
      ]);
      expect({ field, quote: quoted.status, topUp: requested.status, error: errorOf(quoted) }).toEqual({
        field,
        quote: 400,
        topUp: 400,
        error: { ...errorOf(requested), field },
      });
    }
    expect(await api.count('top_ups')).toBe(0);

    // the deployment's rules, as the top-up's: the harness allows private callback hosts (CALLBACK_ALLOW_PRIVATE_HOSTS)
    const privateHost = { ...base, callback_url: 'http://127.0.0.1/' };
    expect((await api.request('POST', '/v1/topups', { key, body: privateHost })).status).toBe(202);
    expect((await api.request('POST', '/v1/quotes', { key, body: privateHost })).status).toBe(200);
  });

  it('looks a number up, and lists its operators with their products', async () => {
    const lookup = await api.request('GET', '/v1/lookup/+639171234100', { key });
    expect(lookup.status).toBe(200);
    const operators = (lookup.body as { operators: { operator: Json; identified: boolean }[] }).operators;
    expect(operators.length).toBeGreaterThan(0);
    expect(operators[0]?.operator).toMatchObject({ country_iso: 'PH' });
    expect((await api.request('GET', '/v1/lookup/639171234100', { key })).body).toEqual(lookup.body);

    for (const query of ['phone=%2B639171234100', 'phone=+639171234100', 'phone=639171234100']) {
      const products = await api.request('GET', `/v1/products?${query}`, { key });
      expect({ query, status: products.status }).toEqual({ query, status: 200 });
      const found = (products.body as { operators: { products: Json[] }[] }).operators;
      expect(found.length).toBe(operators.length);
      expect(found[0]?.products.length).toBeGreaterThan(0);
      expect(found[0]?.products[0]).toMatchObject({ type: expect.stringMatching(/^(FIXED|RANGED)$/) });
    }
  });

  it('refuses what is not a phone number with 400 naming it, never quoting it', async () => {
    for (const path of [
      '/v1/lookup/12',
      '/v1/lookup/+6391712341009999999',
      '/v1/lookup/abc',
      '/v1/products?phone=12',
      '/v1/products',
      '/v1/products?phone=%2B639171234100&phone=1',
    ]) {
      const answer = await api.request('GET', path, { key });
      expect({ path, status: answer.status, error: errorOf(answer) }).toEqual({
        path,
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'phone' }),
      });
      expect(answer.text).not.toContain('639171234100999');
    }
  });
});
