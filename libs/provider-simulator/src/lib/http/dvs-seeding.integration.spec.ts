// Seeding the simulator over HTTP (/__simulator/transactions, /__simulator/clock)
// and what DVS clients then see: the list by creation date (inclusive bounds,
// pages, X-* headers), prices.wholesale as charged, balances, no callbacks.
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient } from '../../testing/dvs-http.client';

interface TransactionBody {
  readonly id: number;
  readonly external_id: string;
  readonly creation_date: string;
  readonly status: { readonly message: string; readonly class: { readonly message: string } };
  readonly prices: { readonly wholesale: { readonly unit: string; readonly amount: number; readonly fee: number } };
  readonly adjusted_values: { readonly destination: { readonly unit: string; readonly amount: number } };
}

const DAY = Date.UTC(2026, 2, 14);
const iso = (ms: number) => new Date(ms).toISOString();
const globe = (externalId: string, status: string, extra: object = {}) => ({
  external_id: externalId,
  product_id: 101,
  credit_party_mobile_number: '+639170000100',
  status,
  ...extra,
});

describe('seeding the simulator over HTTP', () => {
  let sim: DvsSimulatorTestServer;
  let admin: DvsHttpClient;
  let dvs: DvsHttpClient;

  beforeAll(async () => {
    sim = await startDvsSimulatorServer({ autoRun: false });
    admin = dvsHttpClient(`${sim.url}/__simulator`, undefined);
    dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  const usd = async () => {
    const balances = (await dvs.get('/balances?unit=USD')).body as { available: number; holding: number }[];
    return { available: balances[0]?.available, holding: balances[0]?.holding };
  };

  it('injects a transaction on the day asked, answering it as DVS shows it, with what it charged', async () => {
    const answer = await admin.post(
      '/transactions',
      globe('seed-1', 'COMPLETED', { creation_date: iso(DAY + 3_600_000) }),
    );
    expect(answer.status).toBe(201);
    const body = answer.body as TransactionBody;
    expect(body).toMatchObject({
      external_id: 'seed-1',
      creation_date: iso(DAY + 3_600_000),
      status: { message: 'COMPLETED', class: { message: 'COMPLETED' } },
      prices: { wholesale: { unit: 'USD', amount: 0.19, fee: 0 } },
      adjusted_values: { destination: { unit: 'PHP', amount: 10 } },
    });
    expect(await usd()).toEqual({ available: 9_999.81, holding: 0 });
    expect((await dvs.get(`/transactions/${body.id}`)).body).toEqual(body);
    await sim.flush();
    expect((await admin.get('/callbacks')).body).toEqual([]);
  });

  it('makes a duplicate: a second transaction under one external id, both listed by it', async () => {
    const first = (await admin.post('/transactions', globe('dup-1', 'COMPLETED'))).body as TransactionBody;
    const second = (await admin.post('/transactions', globe('dup-1', 'declined-barred-credit-party')))
      .body as TransactionBody;
    expect(second.status.message).toBe('DECLINED-BARRED-CREDIT-PARTY');
    const listed = (await dvs.get('/transactions?external_id=dup-1')).body as TransactionBody[];
    expect(listed.map((transaction) => transaction.id)).toEqual([second.id, first.id]);
    expect(await usd()).toEqual({ available: 9_999.81, holding: 0 });
  });

  it('refuses a body it cannot read, and what DVS would refuse', async () => {
    for (const bad of [
      globe('x', 'FINISHED'),
      globe('x', 'COMPLETED', { creation_date: 'yesterday' }),
      globe('x', 'COMPLETED', { surprise: 1 }),
      { product_id: 101, status: 'COMPLETED' },
      globe('x', 'COMPLETED', { destination_amount: '1.001' }),
    ])
      expect(await admin.post('/transactions', bad)).toMatchObject({
        status: 400,
        body: { errors: [{ code: 1000400 }] },
      });
    expect(await admin.post('/transactions', { ...globe('x', 'COMPLETED'), product_id: 999 })).toMatchObject({
      status: 404,
      body: { errors: [{ code: 1003001 }] },
    });
    expect((await dvs.get(`/transactions?from_date=${iso(0)}`)).body).toEqual([]);
  });

  it('amends status, delivered amount and charge with no callback, the balance following', async () => {
    const declined = (await admin.post('/transactions', globe('amend-1', 'DECLINED'))).body as TransactionBody;
    expect(await usd()).toEqual({ available: 10_000, holding: 0 });
    const amended = await admin.patch(`/transactions/${declined.id}`, {
      status: 'COMPLETED',
      destination_amount: '9.5',
      charged_amount: 0.2,
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({
      id: declined.id,
      status: { message: 'COMPLETED' },
      prices: { wholesale: { amount: 0.2, fee: 0 } },
      adjusted_values: { destination: { amount: 9.5 } },
    });
    expect(await usd()).toEqual({ available: 9_999.8, holding: 0 });
    expect((await admin.patch(`/transactions/${declined.id}`, { status: 'SUBMITTED' })).status).toBe(200);
    expect(await usd()).toEqual({ available: 9_999.8, holding: 0.2 });
    await sim.flush();
    expect((await admin.get('/callbacks')).body).toEqual([]);
    expect(await admin.patch('/transactions/42', { status: 'COMPLETED' })).toMatchObject({
      status: 404,
      body: { errors: [{ code: 1008004 }] },
    });
    expect((await admin.patch(`/transactions/${declined.id}`, { status: 'DONE' })).status).toBe(400);
    expect((await admin.patch(`/transactions/${declined.id}`, { charged_amount: '0.001' })).status).toBe(400);
  });

  it('sets the clock to a past day: a transaction sent then is created that day', async () => {
    const yesterday = DAY + 5 * 3_600_000;
    expect((await admin.put('/clock', { now: iso(yesterday) })).body).toEqual({
      now: iso(yesterday),
      nowMs: yesterday,
    });
    const created = await dvs.post('/async/transactions', {
      external_id: 'clock-1',
      product_id: 101,
      auto_confirm: true,
      credit_party_identifier: { mobile_number: '+639170000100' },
    });
    expect((created.body as TransactionBody).creation_date).toBe(iso(yesterday));
    expect((await admin.get('/clock')).body).toEqual({ now: iso(yesterday), nowMs: yesterday });
    expect((await admin.put('/clock', { now: 'soon' })).status).toBe(400);
  });

  it('lists by creation date with both bounds inclusive, page by page with the X-* headers', async () => {
    const from = DAY;
    const to = DAY + 86_400_000;
    const dates = [
      from - 1,
      from,
      ...Array.from({ length: 117 }, (_, index) => from + 1 + index * 700_000),
      to,
      to + 1,
    ];
    dates.forEach((at, index) =>
      sim.injectTransaction({
        externalId: `list-${index}`,
        productId: 101,
        creditPartyMobileNumber: '+639170000100',
        status: 'COMPLETED',
        createdAtMs: at,
      }),
    );
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const answer = await dvs.get(`/transactions?from_date=${iso(from)}&to_date=${iso(to)}&page=${page}&per_page=50`);
      expect(answer.headers.get('x-total')).toBe('119');
      expect(answer.headers.get('x-total-pages')).toBe('3');
      expect(answer.headers.get('x-next-page')).toBe(page < 3 ? String(page + 1) : null);
      seen.push(...(answer.body as TransactionBody[]).map((transaction) => transaction.external_id));
    }
    expect(seen).toHaveLength(119);
    expect(new Set(seen)).toEqual(new Set(dates.slice(1, -1).map((_, index) => `list-${index + 1}`)));
  });
});
