// npm run bench:ledger — authorize+capture pairs per second on the
// PostgreSQL ledger store against real pgbench measured in the same run, on
// the same server and database, at the same client count (issue 12).
//
// Cells (tools/bench/ledger/cells.ts): one hot account at 1, 8 and 64
// clients; 1,000 accounts uniform at 1, 8 and 64; Zipf s=2 over the 1,000
// accounts (rank k with probability ∝ 1/k², seeded, through a fixed
// permutation of the accounts) at 8 and 64. Each cell runs the store for
// BENCH_SECONDS (each client: authorize then capture 100 minor units on an
// account its seeded picker draws, over and over), then pgbench for
// BENCH_SECONDS while node does nothing else.
//
// Baseline: pgbench -n -M prepared -c CLIENTS -j min(CLIENTS, 2) -T
// BENCH_SECONDS -f <script>, one single-row UPDATE commit per transaction on
// bench_counters (1,000 rows): row 0 for the hot cells, `random(0, 999)` for
// the uniform ones, `random_zipfian(0, 999, 2.0)` for the Zipf ones. Two
// threads at most: one per core of the 2-core machine, one alone at 1 client.
// Its TPS is the `without initial connection time` figure; the store's pool
// is connected before its clock starts too.
//
// Prints a table (cell, clients, pairs/s, pgbench TPS, ratio, target, met;
// a Zipf cell's target is its pairs/s against the uniform cell at the same
// clients), peak and final RSS (sampled every 100 ms), and whether the
// journal agrees with the balances on every account. Exit 0 whether targets
// are met or not; 1 when the journal check fails or a pair fails; 2 on usage.
//
// Options: `--store batched|direct` (default batched: group commit, lanes
// by account), `--compare` (batched only: also measures the direct store in
// each cell, a column beside; doubles the store's time; a usage error with
// `--store direct`).
// Settings: DATABASE_URL (server), BENCH_SECONDS (whole seconds ≥ 2 per cell and
// side, default 3), PGBENCH (program, default `pgbench` on the PATH), and the
// batched store's bounds as the apps read them (LEDGER_BATCH_LANES,
// LEDGER_BATCH_MAX, LEDGER_BATCH_LINGER_MS). The last column gives the
// batched store's mean operations per batch and the share of batches
// written on a lane's copy (one statement) rather than under row locks.
import { cpus } from 'node:os';
import { currencyOf, type LedgerStoreService } from '@airtime/domain';
import {
  type BatchedLedgerStore,
  type DatabaseConfig,
  ledgerBatchConfigFromEnv,
  makeBatchedLedgerStore,
  makeDataSource,
  makeLedgerStore,
} from '@airtime/persistence-postgres';
import { createTestDatabase } from '@airtime/persistence-postgres/testing';
import { Effect, Either } from 'effect';
import type { DataSource } from 'typeorm';
import { makeAccountPicker } from './ledger/account-picker';
import { ACCOUNTS, CELLS, type Cell, targetText } from './ledger/cells';
import { BENCH_COUNTERS_DDL, pgbenchVersion, runPgbench } from './ledger/pgbench';
import { startRssSampler } from './ledger/rss-sampler';

const KES = Either.getOrThrow(currencyOf('KES'));
/** Seed of the account pickers (and the Zipf permutation): the same accounts every run. */
const SEED = 12;
/** Pool of each store's data source: 64 clients plus a few; with pgbench's 64 never open at once. */
const POOL_SIZE = 70;

const USAGE =
  'usage: npm run bench:ledger -- [--store batched|direct] [--compare]   (BENCH_SECONDS: whole seconds ≥ 2: pgbench counts its connecting time in -T)';

const usageError = (): never => {
  console.error(USAGE);
  process.exit(2);
};

/** The command line: `--store batched|direct` (default batched) and `--compare`; anything else is a usage error. */
const parseOptions = (argv: readonly string[]): { readonly store: 'direct' | 'batched'; readonly compare: boolean } => {
  let store: 'direct' | 'batched' = 'batched';
  let compare = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--compare') compare = true;
    else if (argument === '--store') {
      const value = argv[++index];
      if (value !== 'direct' && value !== 'batched') return usageError();
      store = value;
    } else return usageError();
  }
  // the direct store beside itself would say nothing
  if (compare && store === 'direct') return usageError();
  return { store, compare };
};

const OPTIONS = parseOptions(process.argv.slice(2));
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
if (!Number.isInteger(SECONDS) || SECONDS < 2) usageError();
const COMPARE = OPTIONS.compare;

type StoreKind = 'direct' | 'batched';

/** A data source of its own on the bench database for `work`, destroyed after (its connections closed). */
const withDataSource = async <A>(config: DatabaseConfig, work: (dataSource: DataSource) => Promise<A>): Promise<A> => {
  const dataSource = makeDataSource({ ...config, poolSize: POOL_SIZE });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
};

/** The batched store's bounds: LEDGER_BATCH_LANES, LEDGER_BATCH_MAX, LEDGER_BATCH_LINGER_MS (as the apps read them). */
const BOUNDS = Either.getOrElse(ledgerBatchConfigFromEnv(process.env), (invalid) => {
  console.error(invalid.message);
  return process.exit(2);
});

const storeOf = (kind: StoreKind, dataSource: DataSource): LedgerStoreService | BatchedLedgerStore =>
  kind === 'batched' ? makeBatchedLedgerStore(dataSource, BOUNDS) : makeLedgerStore(dataSource);

/** A batched store's batches in a cell: operations per batch, and the share written on a lane's copy. */
const batchesText = (ledger: LedgerStoreService | BatchedLedgerStore): string => {
  if (!('stats' in ledger)) return '-';
  const { batches, operations, onCopy } = ledger.stats();
  return batches === 0
    ? '-'
    : `${(operations / batches).toFixed(1)} ops, ${((onCopy / batches) * 100).toFixed(0)}% copy`;
};

/** Opens acct-0..acct-999 and funds each with 10^15 minor units (direct store, 50 at a time). */
const seedAccounts = (config: DatabaseConfig) =>
  withDataSource(config, async (dataSource) => {
    const ledger = makeLedgerStore(dataSource);
    for (let start = 0; start < ACCOUNTS; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, ACCOUNTS - start) }, async (_, offset) => {
          const accountId = `acct-${start + offset}`;
          await Effect.runPromise(ledger.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }));
          await Effect.runPromise(
            ledger.deposit({ accountId, currency: KES, depositId: `fund-${accountId}`, amountMinor: 10n ** 15n }),
          );
        }),
      );
    }
  });

/**
 * Pairs per second of `kind` in `cell`: `cell.clients` loops, each drawing
 * its accounts from its own seeded stream, for SECONDS; transaction ids
 * start with `prefix` (unique per cell and store). A failing pair rejects.
 */
const measureStore = (
  config: DatabaseConfig,
  kind: StoreKind,
  cell: Cell,
  prefix: string,
): Promise<{ readonly pairs: number; readonly batches: string }> =>
  withDataSource(config, async (dataSource) => {
    const ledger = storeOf(kind, dataSource);
    const picker = makeAccountPicker(cell.accounts, SEED);
    // connected before the clock starts, as pgbench's TPS excludes its connection time
    await Promise.all(Array.from({ length: cell.clients }, () => dataSource.query('SELECT 1')));
    const pair = (accountId: string, transactionId: string) =>
      Effect.runPromise(
        Effect.zipRight(
          ledger.authorize({ accountId, currency: KES, transactionId, amountMinor: 100n }),
          ledger.capture({ transactionId, amountMinor: 100n }),
        ),
      );
    const deadline = Date.now() + SECONDS * 1_000;
    let done = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: cell.clients }, async (_, client) => {
        const next = picker.forClient(client);
        for (let iteration = 0; Date.now() < deadline; iteration++) {
          await pair(`acct-${next()}`, `${prefix}-c${client}-i${iteration}`);
          done++;
        }
      }),
    );
    return { pairs: done / (Number(process.hrtime.bigint() - started) / 1e9), batches: batchesText(ledger) };
  });

interface Column {
  readonly header: string;
  readonly width: number;
  readonly left?: boolean;
}

const COLUMNS: readonly Column[] = [
  { header: 'cell', width: 16, left: true },
  { header: 'clients', width: 7 },
  { header: `pairs/s (${OPTIONS.store})`, width: 17 },
  ...(COMPARE ? [{ header: 'pairs/s (direct)', width: 16 }] : []),
  { header: 'pgbench tps', width: 11 },
  { header: 'ratio', width: 6 },
  { header: 'of uniform', width: 10 },
  { header: 'target', width: 18, left: true },
  { header: 'met', width: 3, left: true },
  { header: 'batches (mean size, on copy)', width: 20, left: true },
];

const line = (cells: readonly string[]) =>
  COLUMNS.map((column, index) => {
    const text = cells[index] ?? '';
    return column.left ? text.padEnd(column.width) : text.padStart(column.width);
  })
    .join('  ')
    .trimEnd();

const main = async (): Promise<number> => {
  const db = await createTestDatabase({ poolSize: 4 });
  const rss = startRssSampler(100);
  try {
    for (const statement of BENCH_COUNTERS_DDL) await db.dataSource.query(statement);
    await seedAccounts(db.config);
    const [server] = (await db.dataSource.query('SHOW server_version')) as { server_version: string }[];
    console.log(
      `ledger benchmark: ${OPTIONS.store} store${COMPARE ? ' (direct beside)' : ''}, ${SECONDS}s per cell and side; ` +
        `PostgreSQL ${server?.server_version ?? '?'}; ${await pgbenchVersion()} -M prepared -j min(clients, 2); ` +
        `node ${process.version}, ${cpus().length} CPUs`,
    );
    console.log(
      'ratio = store pairs/s ÷ pgbench tps (one UPDATE commit per transaction); of uniform = pairs/s ÷ the uniform cell at the same clients',
    );
    console.log(line(COLUMNS.map((column) => column.header)));

    const uniformPairs = new Map<number, number>();
    let index = 0;
    for (const cell of CELLS) {
      index++;
      const { pairs, batches } = await measureStore(db.config, OPTIONS.store, cell, `p${index}`);
      const direct = COMPARE ? (await measureStore(db.config, 'direct', cell, `d${index}`)).pairs : undefined;
      const tps = await runPgbench({ url: db.config.url, rows: cell.pgbench, clients: cell.clients, seconds: SECONDS });
      if (cell.accounts.kind === 'uniform') uniformPairs.set(cell.clients, pairs);
      const ratio = pairs / tps;
      const uniform = uniformPairs.get(cell.clients);
      const ofUniform = cell.accounts.kind === 'zipf' && uniform !== undefined ? pairs / uniform : undefined;
      const measured = cell.target?.of === 'pgbench' ? ratio : ofUniform;
      const met =
        cell.target === undefined || measured === undefined ? '-' : measured >= cell.target.atLeast ? 'yes' : 'no';
      console.log(
        line([
          cell.label,
          String(cell.clients),
          pairs.toFixed(0),
          ...(COMPARE ? [direct === undefined ? '-' : direct.toFixed(0)] : []),
          tps.toFixed(0),
          ratio.toFixed(3),
          ofUniform === undefined ? '' : `${(ofUniform * 100).toFixed(0)}%`,
          targetText(cell.target),
          met,
          batches,
        ]),
      );
    }
    rss.stop();

    const [check] = (await db.dataSource.query(
      `SELECT count(*)::int AS broken FROM ledger_accounts a
         JOIN (SELECT account_id, SUM(available_delta_minor) av, SUM(holding_delta_minor) ho FROM ledger_journal GROUP BY account_id) j USING (account_id)
        WHERE j.av <> a.available_minor OR j.ho <> a.holding_minor`,
    )) as { broken: number }[];
    const agrees = check?.broken === 0;
    console.log(`journal agrees with balances on every account: ${agrees ? 'yes' : `NO (${check?.broken} accounts)`}`);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `memory: RSS peak ${mib(rss.peak())} (sampled every 100 ms through the cells), at the end ${mib(process.memoryUsage().rss)}`,
    );
    return agrees ? 0 : 1;
  } finally {
    rss.stop();
    await db.drop();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
