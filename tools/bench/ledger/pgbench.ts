// The pgbench baseline of the ledger benchmark: runs real pgbench (a child
// process) with a custom script of single-row UPDATE commits on
// bench_counters, and reads its TPS (without initial connection time).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The pgbench program: PGBENCH, else `pgbench` on the PATH (Debian's /usr/bin/pgbench). */
const PGBENCH = process.env['PGBENCH'] ?? 'pgbench';

/** bench_counters' rows: ids 0..ROWS-1. */
export const COUNTER_ROWS = 1_000;

/** The table pgbench updates, created (with its rows, n = 0) in the bench database. */
export const BENCH_COUNTERS_DDL = [
  `CREATE TABLE bench_counters (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`,
  `INSERT INTO bench_counters (id) SELECT generate_series(0, ${COUNTER_ROWS - 1})`,
] as const;

/** pgbench scripts: one UPDATE commit per transaction, on row 0, a uniform row, or a Zipf(s)-drawn row. */
export type PgbenchRows =
  { readonly kind: 'hot' } | { readonly kind: 'uniform' } | { readonly kind: 'zipf'; readonly s: number };

const UPDATE_BY_ID = 'UPDATE bench_counters SET n = n + 1 WHERE id = :id;';

/** The script file's text for `rows`. */
export const pgbenchScript = (rows: PgbenchRows): string => {
  switch (rows.kind) {
    case 'hot':
      return 'UPDATE bench_counters SET n = n + 1 WHERE id = 0;\n';
    case 'uniform':
      return `\\set id random(0, ${COUNTER_ROWS - 1})\n${UPDATE_BY_ID}\n`;
    case 'zipf':
      return `\\set id random_zipfian(0, ${COUNTER_ROWS - 1}, ${rows.s.toFixed(1)})\n${UPDATE_BY_ID}\n`;
  }
};

/** pgbench threads (-j) for `clients`: one per core of a 2-core machine, never more than the clients. */
export const pgbenchThreads = (clients: number): number => Math.min(clients, 2);

/**
 * The TPS pgbench printed, from its `tps = N (without initial connection
 * time)` line (PostgreSQL 14+) or `tps = N (excluding connections
 * establishing)` (before 14); undefined when there is neither.
 */
export const parseTps = (output: string): number | undefined => {
  const match =
    /^tps = ([0-9]+(?:\.[0-9]+)?) \((?:without initial connection time|excluding connections establishing)\)\s*$/m.exec(
      output,
    );
  return match ? Number(match[1]) : undefined;
};

/** The URL without its password, and the password (for PGPASSWORD), so it never shows on a command line. */
const splitPassword = (url: string): { readonly url: string; readonly password: string | undefined } => {
  const parsed = new URL(url);
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
};

/**
 * Runs `pgbench -n -M prepared -c clients -j pgbenchThreads(clients) -T
 * seconds -f <script>` against the database at `url` (a libpq connection
 * URI; its password goes through PGPASSWORD). Resolves to the TPS; rejects
 * when pgbench fails or prints no TPS (the message holds pgbench's output,
 * never the password).
 */
export const runPgbench = async (options: {
  readonly url: string;
  readonly rows: PgbenchRows;
  readonly clients: number;
  readonly seconds: number;
}): Promise<number> => {
  const folder = await mkdtemp(join(tmpdir(), 'bench-ledger-'));
  try {
    const script = join(folder, `${options.rows.kind}.sql`);
    await writeFile(script, pgbenchScript(options.rows));
    const { url, password } = splitPassword(options.url);
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(options.clients),
      '-j',
      String(pgbenchThreads(options.clients)),
      '-T',
      String(options.seconds),
      '-f',
      script,
      url,
    ];
    const env = password === undefined ? process.env : { ...process.env, PGPASSWORD: password };
    const output = await run(PGBENCH, args, { env, timeout: (options.seconds + 120) * 1_000 }).catch(
      (error: { stdout?: string; stderr?: string; code?: unknown }) => {
        throw new Error(
          `pgbench failed (exit ${String(error.code)}):\n${error.stderr ?? ''}${error.stdout ?? ''}`.replaceAll(
            password ?? '\u0000',
            '***',
          ),
        );
      },
    );
    const tps = parseTps(output.stdout);
    if (tps === undefined)
      throw new Error(
        `pgbench printed no tps line (-T counts its connecting time too: with ${options.clients} clients ` +
          `${options.seconds}s may be too short):\n${output.stdout}${output.stderr}`,
      );
    return tps;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};

/** `pgbench --version`'s line, e.g. `pgbench (PostgreSQL) 15.20 (Debian ...)`. */
export const pgbenchVersion = async (): Promise<string> => (await run(PGBENCH, ['--version'])).stdout.trim();
