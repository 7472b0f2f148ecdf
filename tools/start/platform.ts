// npm start — the platform on one machine, for a first top-up in minutes:
// migrates the database (DATABASE_URL), funds the demo account once (USD
// 1,000.00 under a fixed deposit id, so a second start adds nothing), starts
// the DVS simulator's HTTP server in this process with credentials made for
// this run (never printed), then runs the built consumer
// (dist/apps/consumer/main.js) as a child pointed at it, shows its logs,
// and prints the commands to publish a top-up and follow it. Ctrl-C or
// SIGTERM stops the consumer gracefully (it finishes its work in flight),
// then the simulator. Settings: tools/start/platform.config.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { currencyOf, formatMoney, LedgerStore, money } from '@airtime/domain';
import {
  DEFAULT_DATABASE_URL,
  databaseConfigFrom,
  makeDataSource,
  makeLedgerStore,
  redactUrl,
  runMigrationsExclusively,
} from '@airtime/persistence-postgres';
import { type SimulatorServer, startSimulatorServer } from '@airtime/provider-simulator';
import { Effect, Either } from 'effect';
import { fundAccount } from '../ledger/fund-account.use-case';
import { parseLogLine, prettyLogLine } from './consumer-log.format';
import { nextSteps, type RunningPlatform, statusEnvironmentOf } from './next-steps.format';
import { consumerEnvironment, type PlatformSettings, platformSettingsFrom } from './platform.config';

const servicesEnv = require('../ci/services-env.js') as {
  parseServicesEnv: (text: string) => Record<string, string>;
  defaultServicesEnvFile: () => string;
};

/** The DATABASE_URL the tools use when none is set: tmp/services.env's, else the default. */
const toolsDatabaseUrl = (): string => {
  try {
    const fromFile = servicesEnv.parseServicesEnv(readFileSync(servicesEnv.defaultServicesEnvFile(), 'utf8'))[
      'DATABASE_URL'
    ];
    return fromFile === undefined || fromFile === '' ? DEFAULT_DATABASE_URL : fromFile;
  } catch {
    return DEFAULT_DATABASE_URL;
  }
};

const DEMO_ACCOUNT = { accountId: 'demo', currencyCode: 'USD', amountMinor: 100_000n, depositId: 'start-demo-usd-1' };

/** Signals this soon after the first are copies of it, not a second Ctrl-C. */
const RELAYED_SIGNAL_WINDOW_MS = 1_500;

const BUILT_CONSUMER_MAIN = path.resolve(__dirname, '../../dist/apps/consumer/main.js');

const say = (line: string): void => void process.stdout.write(`[start] ${line}\n`);
const complain = (line: string): void => void process.stderr.write(`[start] ${line}\n`);

const messageOf = (error: unknown, secrets: readonly string[] = []): string => {
  const text = error instanceof Error ? error.message : String(error);
  return secrets.reduce((masked, secret) => (secret === '' ? masked : masked.split(secret).join('***')), text);
};

/** Migrates the database and funds the demo account; the account's state for the banner. */
const prepareDatabase = async (
  environment: NodeJS.ProcessEnv,
): Promise<RunningPlatform['account'] & { url: string; statusEnvironment: Record<string, string> }> => {
  const config = databaseConfigFrom(environment);
  if (Either.isLeft(config)) throw new Error(config.left.message);
  const url = redactUrl(config.right.url);
  const dataSource = makeDataSource({ ...config.right, poolSize: 2 });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(
      `cannot open the database ${url}: ${messageOf(error, [config.right.url])} (is PostgreSQL running? npm run services)`,
    );
  }
  try {
    const applied = await runMigrationsExclusively(dataSource);
    say(`database ${url}: ${applied.length === 0 ? 'schema up to date' : `migrations applied: ${applied.join(', ')}`}`);
    const currency = Either.getOrThrow(currencyOf(DEMO_ACCOUNT.currencyCode));
    const funded = await Effect.runPromise(
      fundAccount({
        accountId: DEMO_ACCOUNT.accountId,
        currency,
        amountMinor: DEMO_ACCOUNT.amountMinor,
        depositId: DEMO_ACCOUNT.depositId,
      }).pipe(Effect.provideService(LedgerStore, makeLedgerStore(dataSource))),
    );
    const of = (minor: bigint) => formatMoney(money(minor, currency));
    say(
      `account ${DEMO_ACCOUNT.accountId}: ${funded.opened ? 'opened, ' : ''}${
        funded.deposited
          ? `deposited ${currency.code} ${of(DEMO_ACCOUNT.amountMinor)}`
          : `deposit ${DEMO_ACCOUNT.depositId} already made (nothing added)`
      }; available ${currency.code} ${of(funded.account.availableMinor)}`,
    );
    return {
      url,
      statusEnvironment: statusEnvironmentOf(config.right.url, toolsDatabaseUrl()),
      accountId: DEMO_ACCOUNT.accountId,
      currency: currency.code,
      available: of(funded.account.availableMinor),
      funded: of(DEMO_ACCOUNT.amountMinor),
      depositedNow: funded.deposited,
    };
  } finally {
    await dataSource.destroy();
  }
};

const startSimulator = async (
  settings: PlatformSettings,
  credentials: { apiKey: string; apiSecret: string },
): Promise<SimulatorServer> => {
  try {
    return await startSimulatorServer({
      port: settings.simulatorPort,
      host: settings.simulatorHost,
      apiKey: credentials.apiKey,
      apiSecret: credentials.apiSecret,
      timeScale: settings.simulatorTimeScale,
      onError: (error) => complain(`simulator: ${messageOf(error, [credentials.apiKey, credentials.apiSecret])}`),
    });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new Error(
      inUse
        ? `port ${settings.simulatorPort} is in use (another npm start or npm run simulator?); set SIMULATOR_PORT to another port, or 0 for any free one`
        : `the simulator did not start: ${messageOf(error)}`,
    );
  }
};

/** Forwards the child's lines; calls `onStarted` with the metrics URL once the consumer says it started. */
const forwardLogs = (
  child: ChildProcess,
  settings: PlatformSettings,
  onStarted: (metricsUrl: string | undefined) => void,
): void => {
  let started = false;
  const forward = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    if (stream === null) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(`consumer | ${settings.logFormat === 'json' ? line : prettyLogLine(line)}\n`);
      const entry = parseLogLine(line);
      if (!started && entry?.['msg'] === 'consumer started') {
        started = true;
        onStarted(typeof entry['metrics'] === 'string' ? entry['metrics'] : undefined);
      }
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
};

/** Variables the printed commands need because this run set them (the defaults need none). */
const commandEnvironmentOf = (environment: NodeJS.ProcessEnv): Record<string, string> => {
  const prefix = environment['AMQP_TOPOLOGY_PREFIX'];
  return prefix === undefined || prefix === '' || prefix === 'airtime' ? {} : { AMQP_TOPOLOGY_PREFIX: prefix };
};

const main = async (): Promise<number> => {
  const settings = platformSettingsFrom(process.env);
  if (Either.isLeft(settings)) {
    complain(`invalid settings\n${settings.left.map((problem) => `  ${problem}`).join('\n')}`);
    return 2;
  }
  const consumerMain = settings.right.consumerMain ?? BUILT_CONSUMER_MAIN;
  if (!existsSync(consumerMain)) {
    complain(
      `${path.relative(process.cwd(), consumerMain)} is missing: build the consumer with npm run consumer:build`,
    );
    return 2;
  }
  const account = await prepareDatabase(process.env);

  const credentials = { apiKey: randomBytes(12).toString('hex'), apiSecret: randomBytes(24).toString('base64url') };
  const simulator = await startSimulator(settings.right, credentials);
  say(`DVS simulator listening on ${simulator.url}/v1 (time scale ${settings.right.simulatorTimeScale})`);

  const child = spawn(process.execPath, [consumerMain], {
    env: consumerEnvironment(process.env, { baseUrl: `${simulator.url}/v1`, ...credentials }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  say(`consumer starting (pid ${child.pid ?? '?'})`);
  const externalId = `demo-${Date.now().toString(36)}`;
  forwardLogs(child, settings.right, (metricsUrl) =>
    process.stdout.write(
      nextSteps({
        databaseUrl: account.url,
        simulatorUrl: simulator.url,
        metricsUrl,
        consumerPid: child.pid,
        account,
        externalId,
        commandEnvironment: commandEnvironmentOf(process.env),
        statusEnvironment: account.statusEnvironment,
      }),
    ),
  );
  // never leave the consumer behind, whatever ends this process
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stopping: { readonly signal: NodeJS.Signals; readonly atMs: number } | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping !== undefined) {
      // one Ctrl-C can arrive twice (the terminal's, and tsx's or npm's relay of it): only a later one forces
      if (Date.now() - stopping.atMs < RELAYED_SIGNAL_WINDOW_MS) return;
      complain(`${signal} again: killing the consumer`);
      child.kill('SIGKILL');
      return;
    }
    stopping = { signal, atMs: Date.now() };
    say(`${signal}: stopping the consumer (it finishes its work in flight; Ctrl-C again kills it)`);
    child.kill('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) {
        complain(`the consumer did not stop within ${settings.right.stopTimeoutMs} ms: killing it`);
        child.kill('SIGKILL');
      }
    }, settings.right.stopTimeoutMs).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const { code, signal } = await exited;
  const outcome = signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`;
  await simulator.close();
  if (stopping === undefined) {
    complain(`the consumer ended by itself (${outcome}); simulator stopped`);
    return 1;
  }
  say(`consumer stopped (${outcome}); simulator stopped`);
  return code === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    complain(messageOf(error));
    process.exit(1);
  },
);
