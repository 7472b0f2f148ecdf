// npm start's embedded mode end to end, as a new user runs it: from a clean
// state (a data folder that does not exist yet, no DATABASE_URL or
// AMQP_URL, free ports) its command starts the embedded PostgreSQL, the
// simulator and the API with its workers on the in-process bus; it prints
// a key and the curl commands, and its demo top-up reaches COMPLETED
// through the provider callback. The printed curl's request, sent with
// fetch, reaches COMPLETED too, charged once. SIGTERM stops everything with
// exit code 0. A second start on the same folder adds no money, prints a
// new key, and the first key is refused.
//
// The data folder's parents do not exist yet, under a base folder of mode
// 0755 (a clean clone has no tmp/; as root, a parent made 0700 shut the
// postgres user out). While the first start runs: the printed admin CLI
// command reaches its database through <START_DATA_DIR>/database.url (0600,
// removed at the stop), and a second start on the same folder is refused in
// one line, leaving the first's PostgreSQL and key alone.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  workspaceRoot,
} from './platform-process.fixture';

const base = mkdtempSync(path.join(tmpdir(), 'airtime-start-spec-'));
chmodSync(base, 0o755);
const dataDir = path.join(base, 'clone', 'tmp', 'embedded-postgres');
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

/** Runs a shell command line in the workspace, as a user pastes it; answers its exit code and output. */
const shell = (line: string): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn('sh', ['-c', line], { cwd: workspaceRoot, env: startEnvironment({}), stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => resolve({ code, output }));
  });

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
  rmSync(base, { recursive: true, force: true });
}, 120_000);

it('starts from a clean state, completes the demo and the printed top-up, stops, and keeps the money over a second start', async () => {
  expect(existsSync(path.dirname(dataDir))).toBe(false);
  const first = await start();
  const urlFile = path.join(dataDir, 'database.url');
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

    // the admin CLI, as printed, reaches the embedded database through the URL file (0600), the password unseen
    expect(statSync(urlFile).mode & 0o777).toBe(0o600);
    const admin =
      (
        await waitFor(first, /^ {2}(DATABASE_URL="\$\(cat \S+\)" npm run admin -- key list --account demo)$/m, 1_000)
      )[1] ?? '';
    expect(admin).toBe(`DATABASE_URL="$(cat ${urlFile})" npm run admin -- key list --account demo`);
    const listed = await shell(admin);
    expect(listed).toMatchObject({ code: 0, output: expect.stringContaining('API keys of account demo') });
    expect(listed.output).toContain(firstKey.split('_')[1]);
    expect(listed.output).not.toContain(password);

    // a second start on the same folder is refused in one line and leaves the running one alone
    const [apiPort, simulatorPort] = [await freePort(), await freePort()];
    const again = runStart(
      startEnvironment({ START_DATA_DIR: dataDir, API_PORT: String(apiPort), SIMULATOR_PORT: String(simulatorPort) }),
    );
    expect(await again.exited).toBe(1);
    expect(again.output()).toBe(
      `[start] another npm start (pid ${first.child.pid}) uses ${dataDir}; stop it or set START_DATA_DIR\n`,
    );
    expect((await balanceOf(apiUrl, firstKey)).status).toBe(200);
  } finally {
    expect(await stop(first)).toBe(0);
  }
  expect(first.output()).toContain('[start] API stopped (exit code 0); simulator stopped, embedded PostgreSQL stopped');
  expect([existsSync(urlFile), existsSync(path.join(dataDir, 'npm-start.pid'))]).toEqual([false, false]);

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
