import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient } from '../../testing/dvs-http.client';

describe('simulator test controls over HTTP (/__simulator/)', () => {
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

  it('needs no credentials', async () => {
    expect(await admin.get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('reads and merges the faults, and refuses unknown or invalid ones', async () => {
    expect((await admin.get('/faults')).body).toEqual({
      latencyMs: 0,
      errorRate: 0,
      errorStatus: 503,
      timeoutAfterAccept: false,
      dropCallbacks: false,
      rateLimitPerSecond: null,
    });
    expect((await admin.post('/faults', { errorRate: 0.25, rateLimitPerSecond: 10 })).body).toMatchObject({
      errorRate: 0.25,
      rateLimitPerSecond: 10,
      latencyMs: 0,
    });
    expect((await admin.post('/faults', { rateLimitPerSecond: null })).body).toMatchObject({
      errorRate: 0.25,
      rateLimitPerSecond: null,
    });
    for (const bad of [{ errorRate: 2 }, { latencyMs: -1 }, { errorStatus: 502 }, { surprise: true }, 'text']) {
      expect(await admin.post('/faults', bad)).toMatchObject({ status: 400, body: { errors: [{ code: 1000400 }] } });
    }
    expect(await admin.postRaw('/faults', '{nope')).toMatchObject({ status: 400 });
  });

  it('sets a balance in major units', async () => {
    const answer = await admin.post('/balances/USD', { available: '12.34', creditLimit: 5 });
    expect(answer.body).toEqual({
      id: 1,
      unit_type: 'CURRENCY',
      unit: 'USD',
      available: 12.34,
      holding: 0,
      credit_limit: 5,
    });
    expect((await admin.post('/balances/EUR', { available: 100 })).body).toMatchObject({
      id: 2,
      unit: 'EUR',
      available: 100,
    });
    expect((await dvs.get('/balances')).body).toHaveLength(2);
    expect(await admin.post('/balances/USD', { available: '1.234' })).toMatchObject({ status: 400 });
    expect(await admin.post('/balances/XYZ', { available: 1 })).toMatchObject({ status: 400 });
  });

  it('drives the scheduler: advance and flush', async () => {
    await dvs.post('/async/transactions', {
      external_id: 'adm-1',
      product_id: 101,
      auto_confirm: true,
      credit_party_identifier: { mobile_number: '+639170000200' },
    });
    const state = await admin.get('/scheduler');
    expect(state.body).toEqual({
      nowMs: 0,
      pending: [expect.objectContaining({ dueAtMs: 10_000 }), expect.objectContaining({ dueAtMs: 20_000 })],
    });
    expect((await admin.post('/scheduler/advance', { ms: 10_000 })).body).toMatchObject({
      nowMs: 10_000,
      pending: [expect.objectContaining({ dueAtMs: 20_000 })],
    });
    expect(sim.transactionByExternalId('adm-1')?.status).toBe('SUBMITTED');
    expect((await admin.post('/scheduler/flush')).body).toEqual({ nowMs: 20_000, pending: [] });
    expect(sim.transactionByExternalId('adm-1')?.status).toBe('COMPLETED');
    expect(await admin.post('/scheduler/advance', { ms: -5 })).toMatchObject({ status: 400 });
  });

  it('reverses a completed transaction, lists callbacks and resets', async () => {
    const created = await dvs.post('/async/transactions', {
      external_id: 'adm-2',
      product_id: 101,
      auto_confirm: true,
      credit_party_identifier: { mobile_number: '+639171234567' },
      callback_url: 'http://127.0.0.1:9/unreachable',
    });
    const { id } = created.body as { id: number };
    await sim.advance(0);
    expect(await admin.post(`/transactions/${id}/reverse`)).toMatchObject({
      status: 200,
      body: { status: { message: 'REVERSED' } },
    });
    expect(await admin.post(`/transactions/${id}/reverse`)).toMatchObject({ status: 400 });
    expect(await admin.post('/transactions/1/reverse')).toMatchObject({
      status: 404,
      body: { errors: [{ code: 1008004 }] },
    });
    expect(((await admin.get('/callbacks')).body as unknown[]).length).toBeGreaterThan(0);
    expect(await admin.post('/reset')).toMatchObject({ status: 200 });
    expect((await admin.get('/callbacks')).body).toEqual([]);
    expect(await dvs.get(`/transactions/${id}`)).toMatchObject({ status: 404 });
  });

  it('sets and clears operator outages; the DVS routes answer as usual and the transaction declines', async () => {
    expect((await admin.get('/outages')).body).toEqual({ operatorIds: [] });
    expect(await admin.put('/operators/2/outage', { down: true })).toMatchObject({
      status: 200,
      body: { operatorIds: [2] },
    });
    expect((await admin.put('/operators/1/outage', { down: true })).body).toEqual({ operatorIds: [1, 2] });
    const created = await dvs.post('/async/transactions', {
      external_id: 'adm-outage',
      product_id: 101,
      auto_confirm: true,
      credit_party_identifier: { mobile_number: '+639170000100' },
    });
    expect(created).toMatchObject({ status: 201, body: { status: { message: 'CONFIRMED' } } });
    await sim.flush();
    expect(sim.transactionByExternalId('adm-outage')?.status).toBe('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    expect((await admin.put('/operators/1/outage', { down: false })).body).toEqual({ operatorIds: [2] });
    for (const bad of [{}, { down: 'yes' }, { down: true, extra: 1 }]) {
      expect(await admin.put('/operators/1/outage', bad)).toMatchObject({ status: 400 });
    }
    expect(await admin.put('/operators/x/outage', { down: true })).toMatchObject({ status: 404 });
    expect(await admin.post('/reset')).toMatchObject({ status: 200 });
    expect((await admin.get('/outages')).body).toEqual({ operatorIds: [] });
  });

  it('the test server sets and clears an outage', async () => {
    sim.setOperatorOutage(1, true);
    expect(sim.engine.operatorOutages()).toEqual([1]);
    sim.setOperatorOutage(1, false);
    expect(sim.engine.operatorOutages()).toEqual([]);
  });

  it('an unknown admin path is 404', async () => {
    expect(await admin.get('/nothing')).toMatchObject({ status: 404 });
  });
});
