// npm start — the whole platform on one machine with nothing else
// installed, for a first top-up within a minute:
//   0. the data folder claimed (its lock file holds this pid: a second
//      start on a folder whose npm start runs is refused, changing
//      nothing); the API's port checked and the simulator's port bound
//      (step 3) before anything is written, so a start that fails on a port
//      changes nothing (the running instance's key stays valid); with
//      AMQP_URL, RabbitMQ reached too (waited for START_BROKER_TIMEOUT_MS,
//      else one line naming AMQP_URL, its password masked);
//   1. the database: DATABASE_URL's PostgreSQL, else an embedded PostgreSQL
//      (its data in START_DATA_DIR, default tmp/embedded-postgres, kept
//      between runs; its URL in <START_DATA_DIR>/database.url, 0600, for
//      the admin CLI); migrated;
//   2. the demo account: `demo`, funded USD 1,000.00 once (a fixed deposit
//      id), and a new API key for it on every start (the last one revoked);
//   3. the DT One DVS simulator's HTTP server, in this process, with
//      credentials made for this run (never printed);
//   4. the API as a child process (apps/api through tsx, or START_API_MAIN),
//      with the consumer's workers in it (API_WORKERS=true), the in-process
//      bus unless AMQP_URL is set (then RabbitMQ), the simulator as its
//      provider and its own URL as the provider callbacks' base; its logs
//      shown here;
//   5. once /readyz answers: the URLs, the key, the balance, the curl
//      commands; then the demo top-up, followed to its final status
//      (unless START_DEMO=false).
// Ctrl-C or SIGTERM stops the API gracefully (it finishes its work in
// flight), then the simulator, then the embedded PostgreSQL; a second
// Ctrl-C kills the API. Settings: tools/start/platform.config.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type SimulatorServer, startSimulatorServer } from '@airtime/provider-simulator';
import { Either } from 'effect';
import { prettyLogLine } from './api-log.format';
import { availableOf, followTopUp, send, topUpSeenOf, waitUntilReady } from './demo-top-up.client';
import { demoStatusLine, nextSteps, topUpRequestOf } from './next-steps.format';
import {
  apiEnvironment,
  apiRuntimeProblems,
  type PlatformSettings,
  platformBackendsOf,
  platformSettingsFrom,
  reachableHost,
} from './platform.config';
import { type PlatformDatabase, preparePlatformDatabase } from './platform-database';
import { waitForBroker } from './broker-probe.client';
import { dataDirFailure, errorCodeOf, listenFailure } from './start-failure.format';
import { claimStartLock } from './start-lock';

const workspaceRoot = path.resolve(__dirname, '../..');
const API_MAIN_SOURCE = 'apps/api/src/main.ts';
const API_TSCONFIG = 'apps/api/tsconfig.app.json';

/** Signals this soon after the first are copies of it (the terminal's and npm's relay), not a second Ctrl-C. */
const RELAYED_SIGNAL_WINDOW_MS = 1_500;
/** How long the API may take to answer /readyz (tsx compiles it on the way). */
const READY_TIMEOUT_MS = 180_000;
/** How long the demo top-up is followed before the launcher stops watching. */
const DEMO_WATCH_MS = 120_000;

const say = (line: string): void => void process.stdout.write(`[start] ${line}\n`);
const complain = (line: string): void => void process.stderr.write(`[start] ${line}\n`);

/** A path as the user reads it: relative to the working folder when under it. */
const shownPath = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};

/** A path as the user's shell reaches it: relative to the folder npm was run from (INIT_CWD) when under it. */
const shellPath = (file: string): string => {
  const relative = path.relative(process.env['INIT_CWD'] ?? process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Why `port` cannot be bound on `host` now (node's error code, `unknown` without one); undefined when it can. */
const bindProblem = (port: number, host: string): Promise<string | undefined> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(errorCodeOf(error) ?? 'unknown'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });

/** A port the system has free on `host`. */
const anyFreePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/**
 * The API's port: API_PORT when it can be bound on API_HOST, a free one for
 * 0; else one line naming the variable to change (API_HOST for an address
 * that is not of this machine, API_PORT for a port in use).
 */
const apiPortOf = async (settings: PlatformSettings): Promise<number> => {
  const listener = { hostSetting: 'API_HOST', portSetting: 'API_PORT', host: settings.apiHost, port: settings.apiPort };
  if (settings.apiPort === 0) {
    return anyFreePort(settings.apiHost).catch((error: unknown) => {
      throw new Error(listenFailure(errorCodeOf(error), listener));
    });
  }
  const problem = await bindProblem(settings.apiPort, settings.apiHost);
  if (problem === undefined) return settings.apiPort;
  throw new Error(listenFailure(problem, listener));
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
      onError: (error) =>
        complain(
          `simulator: ${messageOf(error).split(credentials.apiKey).join('***').split(credentials.apiSecret).join('***')}`,
        ),
    });
  } catch (error) {
    const code = errorCodeOf(error);
    throw new Error(
      code === 'EADDRINUSE'
        ? `port ${settings.simulatorPort} is in use (another npm start or npm run simulator?): set SIMULATOR_PORT to another port, or 0 for any free one`
        : code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? listenFailure(code, {
              hostSetting: 'SIMULATOR_HOST',
              portSetting: 'SIMULATOR_PORT',
              host: settings.simulatorHost,
              port: settings.simulatorPort,
            })
          : `the simulator did not start: ${messageOf(error)}`,
    );
  }
};

/** The API's command: the built entry with node, or the sources through tsx. */
const apiCommandOf = (settings: PlatformSettings): { args: string[]; env: Record<string, string> } =>
  settings.apiMain === undefined
    ? { args: ['--import', 'tsx', API_MAIN_SOURCE], env: { TSX_TSCONFIG_PATH: API_TSCONFIG } }
    : { args: [path.resolve(settings.apiMain)], env: {} };

/** Shows the API's lines, prefixed, pretty unless START_LOG_FORMAT=json. */
const forwardLogs = (child: ChildProcess, settings: PlatformSettings): void => {
  const forward = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    if (stream === null) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(`api | ${settings.logFormat === 'json' ? line : prettyLogLine(line)}\n`);
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
};

interface Stopping {
  readonly signal: NodeJS.Signals;
  readonly atMs: number;
}

/** The demo: sends the printed request under its own key and follows the top-up to its final status. */
const runDemo = async (options: {
  readonly apiUrl: string;
  readonly key: string;
  readonly accountId: string;
  readonly currency: string;
  readonly signal: AbortSignal;
  readonly startedAtMs: number;
}): Promise<void> => {
  const idempotencyKey = `demo-${Date.now().toString(36)}`;
  const sentAtMs = Date.now();
  const answer = await send(topUpRequestOf(options.apiUrl, options.key, idempotencyKey), options.signal);
  const topUp = topUpSeenOf(answer.body);
  if (answer.status !== 202 || topUp === undefined) {
    complain(`the demo top-up was refused (HTTP ${answer.status}): ${JSON.stringify(answer.body)}`);
    return;
  }
  say(`demo top-up sent: POST /v1/topups with Idempotency-Key ${idempotencyKey} answered 202, id ${topUp.id}`);
  const last = await followTopUp({
    apiUrl: options.apiUrl,
    key: options.key,
    id: topUp.id,
    intervalMs: 200,
    timeoutMs: DEMO_WATCH_MS,
    signal: options.signal,
    onChange: (seen) => say(demoStatusLine({ ...seen, elapsedMs: Date.now() - sentAtMs })),
  });
  if (options.signal.aborted) return;
  if (last?.statusClass === 'COMPLETED') {
    const available = await availableOf(options.apiUrl, options.key, options.accountId, options.currency).catch(
      () => undefined,
    );
    say(
      `demo top-up COMPLETED ${((Date.now() - sentAtMs) / 1000).toFixed(1)} s after it was sent, ` +
        `${((Date.now() - options.startedAtMs) / 1000).toFixed(1)} s after npm start began` +
        (available === undefined ? '' : `; account ${options.accountId}: ${options.currency} ${available} available`),
    );
  } else {
    say(
      `the demo top-up is ${last?.statusClass ?? 'unknown'} after ${DEMO_WATCH_MS / 1000} s; read it with the second curl above`,
    );
  }
};

const main = async (): Promise<number> => {
  const startedAtMs = Date.now() - Math.round(process.uptime() * 1000);
  const parsed = platformSettingsFrom(process.env);
  if (Either.isLeft(parsed)) {
    complain(`invalid settings\n${parsed.left.map((problem) => `  ${problem}`).join('\n')}`);
    return 2;
  }
  // the API's own settings too, before anything is started or written (a bad one would stop the API later)
  const apiProblems = apiRuntimeProblems(process.env);
  if (apiProblems.length > 0) {
    complain(`invalid settings\n${apiProblems.map((problem) => `  ${problem}`).join('\n')}`);
    return 2;
  }
  const settings = parsed.right;
  const backends = platformBackendsOf(process.env);
  if (backends.databaseUrl === undefined) {
    const claim = await claimStartLock(settings.dataDir).catch((error: unknown) => {
      throw new Error(dataDirFailure(shownPath(settings.dataDir), error));
    });
    if (claim._tag === 'HeldBy') {
      complain(
        `another npm start (pid ${claim.pid}) uses ${shownPath(settings.dataDir)}; stop it or set START_DATA_DIR`,
      );
      return 1;
    }
    process.once('exit', claim.lock.release);
  }

  let child: ChildProcess | undefined = undefined;
  let stopping: Stopping | undefined;
  const demoAbort = new AbortController();
  /** SIGTERM to the API, SIGKILL if it is still running after START_STOP_TIMEOUT_MS. */
  const stopApi = (running: ChildProcess): void => {
    running.kill('SIGTERM');
    setTimeout(() => {
      if (running.exitCode === null && running.signalCode === null) {
        complain(`the API did not stop within ${settings.stopTimeoutMs} ms: killing it`);
        running.kill('SIGKILL');
      }
    }, settings.stopTimeoutMs).unref();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping !== undefined) {
      if (Date.now() - stopping.atMs < RELAYED_SIGNAL_WINDOW_MS) return;
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        complain(`${signal} again: killing the API`);
        child.kill('SIGKILL');
      } else {
        complain(`${signal} again: exiting now`);
        process.exit(130);
      }
      return;
    }
    stopping = { signal, atMs: Date.now() };
    demoAbort.abort();
    if (child === undefined) {
      say(`${signal}: stopping once the current step is done (Ctrl-C again exits now)`);
      return;
    }
    say(`${signal}: stopping the API (it finishes its work in flight; Ctrl-C again kills it)`);
    stopApi(child);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGHUP', () => onSignal('SIGHUP'));
  // never leave the API behind, whatever ends this process
  process.once('exit', () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const port = await apiPortOf(settings);
  const apiUrl = `http://${reachableHost(settings.apiHost)}:${port}`;
  // RabbitMQ too, before anything is written: a broker that stays down is one line, not an API never ready
  if (backends.amqpUrl !== undefined) {
    await waitForBroker({
      url: backends.amqpUrl,
      timeoutMs: settings.brokerTimeoutMs,
    });
  }
  // every port is taken before the database is written: a start that fails on one changes nothing
  const credentials = { apiKey: randomBytes(12).toString('hex'), apiSecret: randomBytes(24).toString('base64url') };
  const simulator: SimulatorServer = await startSimulator(settings, credentials);
  say(`DVS simulator listening on ${simulator.url}/v1 (time scale ${settings.simulatorTimeScale})`);
  if (stopping !== undefined) {
    await simulator.close();
    say('simulator stopped');
    return 0;
  }

  if (backends.databaseUrl === undefined) say(`database: embedded PostgreSQL, data in ${shownPath(settings.dataDir)}`);
  const database: PlatformDatabase = await preparePlatformDatabase({
    databaseUrl: backends.databaseUrl,
    dataDir: settings.dataDir,
    demoAccountId: settings.demoAccountId,
    environment: process.env,
    say,
  }).catch(async (error: unknown) => {
    await simulator.close();
    throw error;
  });
  const { demo } = database;
  say(
    `account ${demo.accountId}: ${demo.opened ? 'opened, ' : ''}${
      demo.deposited ? `deposited ${demo.currency} ${demo.funded}` : 'funded by an earlier start (nothing added)'
    }; ${demo.currency} ${demo.available} available; a new API key${
      demo.revokedKeys > 0 ? ` (the last start's key revoked)` : ''
    }`,
  );
  const closeRest = async (): Promise<string> => {
    await simulator.close();
    await database.stop();
    return `simulator stopped${database.description.kind === 'embedded' ? ', embedded PostgreSQL stopped' : ''}`;
  };
  if (stopping !== undefined) {
    say(await closeRest());
    return 0;
  }

  const command = apiCommandOf(settings);
  const started = spawn(process.execPath, command.args, {
    cwd: workspaceRoot,
    env: {
      ...apiEnvironment(process.env, {
        port,
        url: apiUrl,
        databaseUrl: database.url,
        rabbitmq: backends.rabbitmq,
        simulator: { baseUrl: `${simulator.url}/v1`, ...credentials },
      }),
      ...command.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // a process group of its own: only this launcher signals it (once), whatever signals the terminal's group
    detached: true,
  });
  child = started;
  say(
    `API starting on ${apiUrl} (pid ${started.pid ?? '?'}; ${backends.rabbitmq ? 'RabbitMQ' : 'in-process bus'}, workers in the API)`,
  );
  forwardLogs(started, settings);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    started.once('exit', (code, signal) => resolve({ code, signal })),
  );

  try {
    await waitUntilReady(apiUrl, {
      timeoutMs: READY_TIMEOUT_MS,
      gaveUp: () => {
        if (stopping !== undefined) return 'stopping';
        if (started.exitCode !== null || started.signalCode !== null) {
          return `the API exited (${started.exitCode ?? started.signalCode}) before it was ready: see its lines above`;
        }
        return undefined;
      },
    });
    process.stdout.write(
      nextSteps({
        apiUrl,
        key: demo.key,
        account: {
          accountId: demo.accountId,
          currency: demo.currency,
          available: demo.available,
          funded: demo.funded,
          depositedNow: demo.deposited,
        },
        simulatorUrl: simulator.url,
        database:
          database.description.kind === 'embedded'
            ? { ...database.description, urlFile: shellPath(database.description.urlFile) }
            : database.description,
        messaging: backends.rabbitmq ? 'rabbitmq' : 'in-process',
        idempotencyKey: `first-${Date.now().toString(36)}`,
      }),
    );
    say(`ready ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s after npm start began`);
    if (settings.demo) {
      void runDemo({
        apiUrl,
        key: demo.key,
        accountId: demo.accountId,
        currency: demo.currency,
        signal: demoAbort.signal,
        startedAtMs,
      }).catch((error: unknown) => {
        if (!demoAbort.signal.aborted) complain(`the demo top-up failed: ${messageOf(error)}`);
      });
    }
  } catch (error) {
    if (stopping === undefined) {
      complain(messageOf(error));
      if (started.exitCode === null && started.signalCode === null) stopApi(started);
      const { code, signal } = await exited;
      complain(
        `API stopped (${signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`}); ${await closeRest()}`,
      );
      return 1;
    }
  }

  const { code, signal } = await exited;
  demoAbort.abort();
  const outcome = signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`;
  const closed = await closeRest();
  if (stopping === undefined) {
    complain(`the API ended by itself (${outcome}); ${closed}`);
    return 1;
  }
  say(`API stopped (${outcome}); ${closed}`);
  return code === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    complain(messageOf(error));
    process.exit(1);
  },
);
