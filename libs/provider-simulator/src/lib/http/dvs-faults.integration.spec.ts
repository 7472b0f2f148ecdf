import type { DetailedStatus } from '@airtime/domain';
import { performance } from 'node:perf_hooks';
import { type DvsSimulatorTestServer, startCallbackReceiver, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient } from '../../testing/dvs-http.client';

const globe = (externalId: string, extra: Record<string, unknown> = {}) => ({
  external_id: externalId,
  product_id: 101,
  auto_confirm: true,
  credit_party_identifier: { mobile_number: '+639170000100' },
  ...extra,
});

describe('DVS simulator over HTTP: fault knobs', () => {
  let sim: DvsSimulatorTestServer;
  let dvs: DvsHttpClient;

  beforeAll(async () => {
    sim = await startDvsSimulatorServer({ autoRun: false, seed: 42 });
    dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  /**
   * POSTs and gives up 200 ms after the simulator processed it (it holds `externalId`, in `status` when given):
   * the client never gives up before the request reached the simulator, however long that takes.
   */
  const postUnanswered = async (path: string, body: unknown, externalId: string, status?: DetailedStatus) => {
    const giveUp = new AbortController();
    const answer = fetch(`${sim.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: sim.authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: giveUp.signal,
    });
    await sim.untilTransaction(externalId, status);
    setTimeout(() => giveUp.abort(), 200);
    return answer;
  };

  it('latencyMs delays every answer: a client with a shorter timeout gives up, a patient one gets the answer', async () => {
    sim.setFaults({ latencyMs: 150 });
    await expect(
      fetch(`${sim.baseUrl}/products`, {
        headers: { authorization: sim.authorization },
        signal: AbortSignal.timeout(30),
      }),
    ).rejects.toThrow();
    const started = performance.now();
    const answer = await dvs.get('/services');
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('errorRate 1 answers 503 (1009503) before processing: nothing is created', async () => {
    sim.setFaults({ errorRate: 1 });
    const answer = await dvs.post('/async/transactions', globe('e-1'));
    expect(answer).toEqual(
      expect.objectContaining({
        status: 503,
        body: { errors: [{ code: 1009503, message: 'Service unavailable, please retry later' }] },
      }),
    );
    expect(sim.transactionByExternalId('e-1')).toBeUndefined();
    sim.setFaults({ errorStatus: 500 });
    expect(await dvs.get('/balances')).toMatchObject({ status: 500, body: { errors: [{ code: 1009001 }] } });
  });

  it('a partial errorRate fails a share of requests, the same ones for the same seed', async () => {
    const statuses = async () => {
      sim.reset();
      sim.engine.setFaults({ errorRate: 0.5 });
      const seen: number[] = [];
      for (let index = 0; index < 20; index++) seen.push((await dvs.get('/services')).status);
      return seen;
    };
    const first = await statuses();
    expect(first.filter((status) => status === 503).length).toBeGreaterThan(2);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(2);
    expect(await statuses()).toEqual(first);
  });

  it('timeoutAfterAccept: the send is processed but never answered; the transaction exists afterwards', async () => {
    sim.setFaults({ timeoutAfterAccept: true });
    await expect(postUnanswered('/async/transactions', globe('lost-1'), 'lost-1')).rejects.toThrow();
    // reads still answer; the client settles the unknown outcome by external id
    const found = await dvs.get('/transactions?external_id=lost-1');
    expect(found.status).toBe(200);
    expect(found.body).toEqual([
      expect.objectContaining({ external_id: 'lost-1', status: expect.objectContaining({ message: 'CONFIRMED' }) }),
    ]);
    await sim.flush();
    expect((await dvs.get('/transactions?external_id=lost-1')).body).toEqual([
      expect.objectContaining({ status: expect.objectContaining({ message: 'COMPLETED' }) }),
    ]);
    // resending the same external id is then refused as a duplicate (the fault off)
    sim.setFaults({ timeoutAfterAccept: false });
    expect(await dvs.post('/async/transactions', globe('lost-1'))).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1007001 }] },
    });
  });

  it('timeoutAfterAccept also applies to confirmations', async () => {
    const created = await dvs.post('/async/transactions', globe('lost-2', { auto_confirm: false }));
    const { id } = created.body as { id: number };
    sim.setFaults({ timeoutAfterAccept: true });
    await expect(
      postUnanswered(`/async/transactions/${id}/confirm`, undefined, 'lost-2', 'CONFIRMED'),
    ).rejects.toThrow();
    expect(sim.transactionByExternalId('lost-2')?.status).toBe('CONFIRMED');
  });

  it('refused sends are answered even with timeoutAfterAccept (only accepted sends hang)', async () => {
    sim.setFaults({ timeoutAfterAccept: true });
    expect(await dvs.post('/async/transactions', globe('bad', { product_id: 999 }))).toMatchObject({ status: 404 });
  });

  it('rateLimitPerSecond answers 429 (1000429) with Retry-After and the X-Ratelimit headers', async () => {
    sim.setFaults({ rateLimitPerSecond: 1 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => dvs.get('/services')));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(2);
    expect(limited.length).toBeGreaterThanOrEqual(6);
    const [first] = limited;
    expect(first?.body).toEqual({ errors: [{ code: 1000429, message: 'Too many requests' }] });
    expect(first?.headers.get('retry-after')).toBe('1');
    expect(first?.headers.get('x-ratelimit-limit')).toBe('1');
    expect(first?.headers.get('x-ratelimit-remaining')).toBe('0');
    sim.setFaults({ rateLimitPerSecond: null });
    expect((await dvs.get('/services')).headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('dropCallbacks: callbacks are recorded as dropped and never arrive', async () => {
    const receiver = await startCallbackReceiver();
    try {
      sim.setFaults({ dropCallbacks: true });
      await dvs.post('/async/transactions', globe('quiet', { callback_url: receiver.url }));
      await sim.flush();
      expect(receiver.received()).toEqual([]);
      expect(sim.callbacks().map((attempt) => [attempt.status, attempt.outcome])).toEqual([
        ['CONFIRMED', 'DROPPED'],
        ['SUBMITTED', 'DROPPED'],
        ['COMPLETED', 'DROPPED'],
      ]);
    } finally {
      await receiver.close();
    }
  });
});
