// Key scoping over real HTTP: a second team's key sees nothing of the first
// team's (by id, by list, by transfer log, by cancel, by balance, by
// ledger): what it may not see is 404, the same answer as for what does not
// exist. And the account routes: balances per currency, the journal
// paginated newest first.
import { startApiHarness, type ApiHarness } from '../../testing/api-harness.fixture';

type Json = Record<string, unknown>;
const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error: Json }).error;

describe('key scoping and the account routes', () => {
  let api: ApiHarness;
  let growthKey: string;
  let opsKey: string;
  let growthTopUpId: string;

  beforeAll(async () => {
    api = await startApiHarness({ label: 'api-scoping' });
    await api.openAccount('team-growth', '1000.00');
    await api.openAccount('team-ops', '50.00');
    growthKey = await api.issueKey('team-growth');
    opsKey = await api.issueKey('team-ops');
    const created = await api.request('POST', '/v1/topups', {
      key: growthKey,
      body: { external_id: 'growth-1', phone_number: '+639171234100', currency: 'PHP', max_amount: '30' },
    });
    expect(created.status).toBe(202);
    growthTopUpId = String((created.body as Json)['id']);
  });

  afterAll(async () => {
    await api?.close();
  });

  it("gives another team's key nothing of the first team's: 404 as for what does not exist", async () => {
    const notFound = { code: 'TOP_UP_NOT_FOUND', message: 'no such top-up' };
    for (const [method, path] of [
      ['GET', `/v1/topups/${growthTopUpId}`],
      ['GET', `/v1/topups/${growthTopUpId}/transfer-log`],
      ['POST', `/v1/topups/${growthTopUpId}/cancel`],
    ] as const) {
      const answer = await api.request(method, path, { key: opsKey });
      expect({ path, status: answer.status, error: errorOf(answer) }).toEqual({ path, status: 404, error: notFound });
    }
    const list = await api.request('GET', '/v1/topups', { key: opsKey });
    expect(list.body).toEqual([]);
    expect(list.headers.get('x-total')).toBe('0');
    const byExternalId = await api.request('GET', '/v1/topups?external_id=growth-1', { key: opsKey });
    expect(byExternalId.body).toEqual([]);
    const byAccount = await api.request('GET', '/v1/topups?account_id=team-growth', { key: opsKey });
    expect(byAccount.status).toBe(404);
    expect(errorOf(byAccount)).toEqual({ code: 'ACCOUNT_NOT_FOUND', message: 'no such account' });
    for (const path of ['/v1/accounts/team-growth/balance', '/v1/accounts/team-growth/ledger']) {
      const answer = await api.request('GET', path, { key: opsKey });
      expect({ path, status: answer.status, error: errorOf(answer) }).toEqual({
        path,
        status: 404,
        error: { code: 'ACCOUNT_NOT_FOUND', message: 'no such account' },
      });
    }
    // an account that does not exist at all answers the same
    expect(errorOf(await api.request('GET', '/v1/accounts/no-such-team/balance', { key: opsKey }))).toEqual(
      errorOf(await api.request('GET', '/v1/accounts/team-growth/balance', { key: opsKey })),
    );
    // the owner still sees it, untouched
    const own = await api.request('GET', `/v1/topups/${growthTopUpId}`, { key: growthKey });
    expect(own.status).toBe(200);
    expect((own.body as Json)['status']).toMatchObject({ class: 'CREATED' });
  });

  it("answers an account's balances per currency: available, holding, credit limit", async () => {
    const answer = await api.request('GET', '/v1/accounts/team-growth/balance', { key: growthKey });
    expect(answer.status).toBe(200);
    const body = answer.body as { account_id: string; balances: Json[] };
    expect(body.account_id).toBe('team-growth');
    expect(body.balances).toHaveLength(1);
    const [usd] = body.balances;
    expect(usd).toMatchObject({ currency: 'USD', credit_limit: { amount: '0.00', currency: 'USD' } });
    const available = Number((usd?.['available'] as { amount: string }).amount);
    const holding = Number((usd?.['holding'] as { amount: string }).amount);
    expect(holding).toBeGreaterThan(0);
    expect(available + holding).toBeCloseTo(1000, 2);
  });

  it("answers an account's ledger newest first, paginated with the DVS headers", async () => {
    const all = await api.request('GET', '/v1/accounts/team-growth/ledger', { key: growthKey });
    expect(all.status).toBe(200);
    const entries = all.body as Json[];
    expect(entries.map((entry) => entry['kind'])).toEqual(['AUTHORIZE', 'DEPOSIT']);
    expect(entries[0]).toMatchObject({ reference: growthTopUpId, currency: 'USD' });
    expect(entries[1]).toMatchObject({ amount: { amount: '1000.00', currency: 'USD' } });
    // each entry says when it was recorded (the journal row's created_at), ISO 8601, newest first
    const times = entries.map((entry) => String(entry['created_at']));
    for (const time of times) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(times[0] ?? '')).toBeGreaterThanOrEqual(Date.parse(times[1] ?? ''));
    expect(Math.abs(Date.now() - Date.parse(times[0] ?? ''))).toBeLessThan(600_000);
    expect(all.headers.get('x-total')).toBe('2');
    const second = await api.request('GET', '/v1/accounts/team-growth/ledger?page=2&per_page=1', { key: growthKey });
    expect((second.body as Json[]).map((entry) => entry['kind'])).toEqual(['DEPOSIT']);
    expect(second.headers.get('x-prev-page')).toBe('1');
    expect(second.headers.get('x-next-page')).toBeNull();
    for (const query of ['page=0', 'per_page=1000', 'page=x', 'sort=asc']) {
      const bad = await api.request('GET', `/v1/accounts/team-growth/ledger?${query}`, { key: growthKey });
      expect({ query, status: bad.status, code: errorOf(bad)['code'] }).toEqual({
        query,
        status: 400,
        code: 'INVALID_REQUEST',
      });
    }
    const badId = await api.request('GET', `/v1/accounts/${'a'.repeat(101)}/balance`, { key: growthKey });
    expect(badId.status).toBe(400);
    expect(errorOf(badId)).toMatchObject({ field: 'id' });
  });
});
