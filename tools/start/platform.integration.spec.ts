// npm start's embedded mode end to end, as a new user runs it: from a clean
// state (a data folder that does not exist yet, no DATABASE_URL or
// AMQP_URL, free ports) its command starts the embedded PostgreSQL, the
// simulator and the API with its workers on the in-process bus; it prints
// a key and the curl commands, and its demo top-up reaches COMPLETED
// through the provider callback. The printed curl's request, sent with
// fetch, reaches COMPLETED too, charged once. SIGTERM stops everything with
// exit code 0. A second start on the same folder adds no money, prints a
// new key, and the first key is refused.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isFinal, send, topUpSeenOf } from './demo-top-up.client';
import {
  freePort,
  printedCurls,
  type RunningStart,
  runStart,
  startEnvironment,
  stopStart,
  waitFor,
} from './platform-process.fixture';

const dataDir = path.join(tmpdir(), `airtime-start-spec-${process.pid}-${Date.now().toString(36)}`);
const running = new Set<RunningStart>();

const start = async (environment: Record<string, string> = {}): Promise<RunningStart> => {
  const [apiPort, simulatorPort] = [await freePort(), await freePort()];
  const started = runStart(
    startEnvironment({
      START_DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      SIMULATOR_PORT: String(simulatorPort),
      ...environment,
    }),
  );
  running.add(started);
  return started;
};

const stop = async (started: RunningStart): Promise<number | null> => {
  running.delete(started);
  return stopStart(started);
};

const balanceOf = async (apiUrl: string, key: string) =>
  send({ method: 'GET', url: `${apiUrl}/v1/accounts/demo/balance`, headers: { Authorization: `Bearer ${key}` } });

/** Reads GET /v1/topups/{id} until the status class is final; answers it. */
const finalStatusOf = async (apiUrl: string, key: string, id: string): Promise<string> => {
  for (let waited = 0; waited < 60_000; waited += 200) {
    const seen = topUpSeenOf(
      (await send({ method: 'GET', url: `${apiUrl}/v1/topups/${id}`, headers: { Authorization: `Bearer ${key}` } }))
        .body,
    );
    if (seen !== undefined && isFinal(seen.statusClass)) return seen.statusClass;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 'not final';
};

afterAll(async () => {
  for (const started of running) await stopStart(started);
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

it('starts from a clean state, completes the demo and the printed top-up, stops, and keeps the money over a second start', async () => {
  expect(existsSync(dataDir)).toBe(false);
  const first = await start();
  let firstKey: string;
  let apiUrl: string;
  try {
    await waitFor(first, /demo top-up COMPLETED .* after npm start began/, 240_000);
    const output = first.output();
    firstKey = (await waitFor(first, /^ {2}API key {9}(atk_\S+)$/m, 1_000))[1] ?? '';
    apiUrl = (await waitFor(first, /^ {2}API {13}(http:\/\/\S+) /m, 1_000))[1] ?? '';
    expect(output).toContain('embedded PostgreSQL: making the cluster (first run)');
    expect(output).toContain('account demo: opened, deposited USD 1000.00; USD 1000.00 available');
    expect(output).toMatch(/demo top-up \S+: COMPLETED after \d+\.\d s/);
    // nothing secret is printed: neither the simulator's credentials nor the embedded server's password
    const password = readFileSync(path.join(dataDir, 'password'), 'utf8').trim();
    expect(output).not.toContain(password);
    expect(output).not.toMatch(/DTONE_API_(KEY|SECRET)=|apiSecret/);

    // the printed curls, sent with fetch: a new top-up under the printed idempotency key, then read back
    const [post, get] = printedCurls(output);
    if (post === undefined || get === undefined) throw new Error(`no curl commands printed:\n${output}`);
    expect(post).toMatchObject({ method: 'POST', url: `${apiUrl}/v1/topups` });
    const sent = await send(post);
    expect(sent.status).toBe(202);
    const topUp = topUpSeenOf(sent.body);
    if (topUp === undefined) throw new Error(`not a top-up: ${JSON.stringify(sent.body)}`);
    expect(await finalStatusOf(apiUrl, firstKey, topUp.id)).toBe('COMPLETED');
    const read = await send(get);
    expect(read.status).toBe(200);
    expect(read.body).toEqual([
      expect.objectContaining({ id: topUp.id, status: expect.objectContaining({ class: 'COMPLETED' }) }),
    ]);
    // the same request again is the same top-up; the account was charged once for each of the two top-ups
    const repeated = await send(post);
    expect([repeated.status, topUpSeenOf(repeated.body)?.id]).toEqual([202, topUp.id]);
    const balance = await balanceOf(apiUrl, firstKey);
    expect(balance.body).toMatchObject({
      account_id: 'demo',
      balances: [
        {
          currency: 'USD',
          available: { amount: '998.90', currency: 'USD' },
          holding: { amount: '0.00', currency: 'USD' },
        },
      ],
    });
  } finally {
    expect(await stop(first)).toBe(0);
  }
  expect(first.output()).toContain('[start] API stopped (exit code 0); simulator stopped, embedded PostgreSQL stopped');

  const second = await start({ START_DEMO: 'false' });
  try {
    await waitFor(second, /\[start\] ready /, 180_000);
    const output = second.output();
    expect(output).toContain('account demo: funded by an earlier start (nothing added); USD 998.90 available');
    expect(output).not.toContain('making the cluster');
    const secondKey = (await waitFor(second, /^ {2}API key {9}(atk_\S+)$/m, 1_000))[1] ?? '';
    const secondUrl = (await waitFor(second, /^ {2}API {13}(http:\/\/\S+) /m, 1_000))[1] ?? '';
    expect(secondKey).not.toBe(firstKey);
    expect((await balanceOf(secondUrl, firstKey)).status).toBe(401);
    const balance = await balanceOf(secondUrl, secondKey);
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({ balances: [{ available: { amount: '998.90' } }] });
  } finally {
    expect(await stop(second)).toBe(0);
  }
}, 600_000);
