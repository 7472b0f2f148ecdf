// The simulator's dates agree with its Date header (and the real clock) at any time scale.
import { realTimer, type SimulatorTimer } from '../engine/simulation-scheduler';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient, type HttpAnswer } from '../../testing/dvs-http.client';

const HOUR_MS = 3_600_000;

const dateHeaderMs = (answer: HttpAnswer): number => {
  const header = answer.headers.get('date');
  if (header === null) throw new Error('no Date header');
  return Date.parse(header);
};

const globe = (externalId: string) => ({
  external_id: externalId,
  product_id: 101,
  auto_confirm: true,
  credit_party_identifier: { mobile_number: '+639170000100' },
});

const windowQuery = (nowMs: number): string =>
  `from_date=${encodeURIComponent(new Date(nowMs - HOUR_MS).toISOString())}` +
  `&to_date=${encodeURIComponent(new Date(nowMs + HOUR_MS).toISOString())}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DVS simulator over HTTP: dates and the Date header', () => {
  describe('at time scale 0.01 on the real clock', () => {
    let sim: DvsSimulatorTestServer;
    let dvs: DvsHttpClient;

    beforeAll(async () => {
      sim = await startDvsSimulatorServer({ timeScale: 0.01 });
      dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
    });
    afterAll(() => sim.close());

    it('a transaction created now is listed by from_date=now-1h&to_date=now+1h, now read from the Date header', async () => {
      // 1.5 s of real time is 150 s at this scale: the dates must not run ahead by it
      await sleep(1_500);
      const created = await dvs.post('/async/transactions', globe('clock-1'));
      expect(created.status).toBe(201);
      const nowMs = dateHeaderMs(created);
      const creationMs = Date.parse((created.body as { creation_date: string }).creation_date);
      expect(Math.abs(creationMs - nowMs)).toBeLessThan(5_000);
      expect(Math.abs(creationMs - Date.now())).toBeLessThan(5_000);

      const listed = await dvs.get(`/transactions?${windowQuery(nowMs)}`);
      expect(listed.status).toBe(200);
      expect((listed.body as { external_id: string }[]).map((transaction) => transaction.external_id)).toEqual([
        'clock-1',
      ]);
      const listedCreationMs = Date.parse((listed.body as { creation_date: string }[])[0]?.creation_date ?? '');
      expect(listedCreationMs).toBeGreaterThanOrEqual(nowMs - HOUR_MS);
      expect(listedCreationMs).toBeLessThanOrEqual(nowMs + HOUR_MS);
    });

    it('every answer carries the Date header of the simulation clock, the admin API included', async () => {
      const before = Date.now();
      const answer = await dvs.get('/services');
      const health = await fetch(`${sim.url}/__simulator/health`);
      for (const header of [answer.headers.get('date'), health.headers.get('date')]) {
        expect(header).not.toBeNull();
        expect(Math.abs(Date.parse(header ?? '') - before)).toBeLessThan(5_000);
      }
    });
  });

  describe('at time scale 0.01 after a minute of real time', () => {
    // a real clock that can be moved on, so the test need not wait a minute (old dates ran 100 min ahead by then)
    let skewMs = 0;
    const timer: SimulatorTimer = { ...realTimer, nowMs: () => Date.now() + skewMs };
    let sim: DvsSimulatorTestServer;
    let dvs: DvsHttpClient;

    beforeAll(async () => {
      sim = await startDvsSimulatorServer({ timeScale: 0.01, timer });
      dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
    });
    afterAll(() => sim.close());

    it('creation_date and the list filters stay with the Date header', async () => {
      skewMs = 60_000;
      const created = await dvs.post('/async/transactions', globe('clock-2'));
      const nowMs = dateHeaderMs(created);
      const creationMs = Date.parse((created.body as { creation_date: string }).creation_date);
      expect(Math.abs(creationMs - nowMs)).toBeLessThan(2_000);
      expect(Math.abs(nowMs - (Date.now() + skewMs))).toBeLessThan(5_000);
      const listed = await dvs.get(`/transactions?${windowQuery(nowMs)}`);
      expect((listed.body as { external_id: string }[]).map((transaction) => transaction.external_id)).toEqual([
        'clock-2',
      ]);
    });

    it('time moved on by hand (advance) moves the dates and the Date header together', async () => {
      await sim.advance(2 * HOUR_MS);
      const created = await dvs.post('/async/transactions', globe('clock-3'));
      const nowMs = dateHeaderMs(created);
      expect(nowMs - (Date.now() + skewMs)).toBeGreaterThan(2 * HOUR_MS - 5_000);
      const creationMs = Date.parse((created.body as { creation_date: string }).creation_date);
      expect(Math.abs(creationMs - nowMs)).toBeLessThan(2_000);
      const listed = await dvs.get(`/transactions?${windowQuery(nowMs)}`);
      expect((listed.body as { external_id: string }[]).map((transaction) => transaction.external_id)).toEqual([
        'clock-3',
      ]);
    });
  });
});
