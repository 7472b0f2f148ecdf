// npm start end to end, as a new user runs it, on a database and a topology
// of this file's own (real PostgreSQL and RabbitMQ, free ports): the
// platform starts and prints the commands; the printed publish command's
// top-up is COMPLETED (topup:status --watch), charged once; SIGTERM stops
// the consumer gracefully, then the simulator; a second start adds no money.
// The consumer runs from an esbuild bundle of its main.ts (START_CONSUMER_MAIN),
// so this spec does not depend on (or rewrite) the build in dist/.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeBrokerConnection, topologyFor } from '@airtime/messaging-rabbitmq';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { Effect } from 'effect';
import { statusEnvironmentOf } from './next-steps.format';

const workspaceRoot = path.resolve(__dirname, '../..');
const run = promisify(execFile);

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

let database: TestDatabase;
let bundleDir: string;
let consumerMain: string;
const prefix = `start-spec-${process.pid}-${Date.now().toString(36)}`;
const amqpUrl = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

const environment = (): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: database.config.url,
  AMQP_URL: amqpUrl,
  AMQP_TOPOLOGY_PREFIX: prefix,
  SIMULATOR_PORT: '0',
  METRICS_PORT: '0',
  START_CONSUMER_MAIN: consumerMain,
  TSX_TSCONFIG_PATH: 'tools/tsconfig.json',
});

/** Bundles the consumer's main.ts with esbuild (tsx's own copy). */
const bundleConsumer = async (outfile: string): Promise<void> => {
  const esbuild = createRequire(require.resolve('tsx/package.json', { paths: [workspaceRoot] }))('esbuild') as {
    build: (options: Record<string, unknown>) => Promise<unknown>;
  };
  await esbuild.build({
    entryPoints: [path.join(workspaceRoot, 'apps/consumer/src/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    tsconfig: path.join(workspaceRoot, 'apps/consumer/tsconfig.app.json'),
    external: ['pg-native'],
    logLevel: 'error',
  });
};

/** `npm start`'s last step: node with tsx's loader on tools/start/platform.ts. */
const startPlatform = (): Running => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/start/platform.ts'], {
    cwd: workspaceRoot,
    env: environment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
};

const waitFor = async (running: Running, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline || running.child.exitCode !== null) {
      throw new Error(`no ${pattern} in the output of npm start:\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Runs `npm run <script> -- <args>` as printed, through the tool the script runs. */
const runPrinted = async (line: string, tool: string) => {
  const [assignments = '', args = ''] = line.split(/ npm run [a-z:]+ -- /);
  const env: NodeJS.ProcessEnv = { ...environment() };
  // a placeholder (<your DATABASE_URL>) stays the run's own value
  for (const assignment of assignments.split(' ').filter((part) => /^[A-Z_]+=[^<]/.test(part))) {
    const equals = assignment.indexOf('=');
    env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return run(process.execPath, ['--import', 'tsx', tool, ...args.split(' ')], {
    cwd: workspaceRoot,
    env,
    timeout: 120_000,
  });
};

const stop = async (running: Running): Promise<number | null> => {
  running.child.kill('SIGTERM');
  return running.exited;
};

beforeAll(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'airtime-start-spec-'));
  consumerMain = path.join(bundleDir, 'main.js');
  [database] = await Promise.all([createTestDatabase({ migrate: false }), bundleConsumer(consumerMain)]);
}, 120_000);

afterAll(async () => {
  await database?.drop();
  rmSync(bundleDir, { recursive: true, force: true });
  const connection = makeBrokerConnection({
    url: amqpUrl,
    connectionName: 'start-spec-cleanup',
    connectTimeoutMs: 10_000,
    heartbeatSeconds: 15,
    reconnectMinDelayMs: 100,
    reconnectMaxDelayMs: 1_000,
  });
  await Effect.runPromise(connection.start);
  const topology = topologyFor(prefix);
  for (const queue of Object.values(topology.queues)) {
    await connection.withChannel(10_000, (channel) => channel.deleteQueue(queue.name)).catch(() => undefined);
  }
  for (const exchange of Object.values(topology.exchanges)) {
    await connection.withChannel(10_000, (channel) => channel.deleteExchange(exchange.name)).catch(() => undefined);
  }
  await connection.close();
}, 60_000);

it('starts, completes the printed top-up, stops gracefully, and funds the account once over two starts', async () => {
  const first = startPlatform();
  try {
    await waitFor(first, /The platform is running/, 90_000);
    const output = first.output();
    expect(output).toContain('account demo: opened, deposited USD 1000.00; available USD 1000.00');
    const publish = (await waitFor(first, /^ {2}(AMQP_TOPOLOGY_PREFIX=\S+ npm run topup:publish -- .*)$/m, 1_000))[1];
    const status = (
      await waitFor(first, /^ {2}(AMQP_TOPOLOGY_PREFIX=\S+ DATABASE_URL=.+? npm run topup:status -- .*)$/m, 1_000)
    )[1];
    // the run's own database: the status command names it (a placeholder if its URL has a password)
    expect(status).toContain(`DATABASE_URL=${statusEnvironmentOf(database.config.url, '')['DATABASE_URL']} npm run `);
    expect(publish).toMatch(
      new RegExp(
        `^AMQP_TOPOLOGY_PREFIX=${prefix} npm run topup:publish -- --account demo --phone \\+639171234100 --currency PHP --max 30 --external-id demo-\\S+$`,
      ),
    );
    // the credentials made for the run are never printed
    expect(output).not.toMatch(/DTONE_API_(KEY|SECRET)=|apiSecret/);

    const published = await runPrinted(publish ?? '', 'tools/topup/publish.ts');
    expect(published.stdout).toContain('1 of 1 commands published and confirmed');
    const watched = await runPrinted(status ?? '', 'tools/topup/status.ts');
    expect(watched.stdout).toMatch(/^ {2}status +COMPLETED$/m);
    expect(watched.stdout).toMatch(/^ {2}phone +\+\*{8}4100 \(PH\)$/m);
    expect(watched.stdout).toMatch(/^ {2}CAPTURE +0\.55 USD/m);
    expect(watched.stdout).toContain('account demo USD now: available 999.45, holding 0.00, captured 0.55');
    expect(watched.stdout).not.toContain('9171234100');
  } finally {
    expect(await stop(first)).toBe(0);
  }
  expect(first.output()).toContain('consumer stopped unfinished=0 failures=[]');
  expect(first.output()).toContain('[start] consumer stopped (exit code 0); simulator stopped');

  const second = startPlatform();
  try {
    await waitFor(second, /The platform is running/, 90_000);
    expect(second.output()).toContain(
      'account demo: deposit start-demo-usd-1 already made (nothing added); available USD 999.45',
    );
  } finally {
    expect(await stop(second)).toBe(0);
  }
  const deposits = (await database.dataSource.query(
    `SELECT count(*)::int AS n FROM ledger_journal WHERE account_id = 'demo' AND kind = 'DEPOSIT'`,
  )) as { n: number }[];
  expect(deposits).toEqual([{ n: 1 }]);
}, 240_000);
