// npm run bench:ledger — authorize+capture pairs per second on the
// PostgreSQL ledger store, for one hot account and for 1,000 accounts, at
// 1, 8 and 64 concurrent clients, next to a raw `pg` baseline of single-row
// UPDATE commits measured in the same run on the same server.
// `--store batched` measures the batched store (group commit, lanes by
// account) and prints the direct store's pairs/s beside it; `--store direct`
// (the default) measures the direct store alone.
// Settings: DATABASE_URL (server), BENCH_SECONDS (per cell, default 3).
import { currencyOf, type LedgerStoreService } from '@airtime/domain';
import { makeBatchedLedgerStore, makeLedgerStore } from '@airtime/persistence-postgres';
import { createTestDatabase } from '@airtime/persistence-postgres/testing';
import { Effect, Either } from 'effect';
import type { Pool } from 'pg';

const KES = Either.getOrThrow(currencyOf('KES'));
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const CLIENTS = [1, 8, 64];
const ACCOUNTS = 1_000;

/** `--store direct|batched` (default direct); anything else is a usage error. */
const storeOption = (argv: readonly string[]): 'direct' | 'batched' => {
  const at = argv.indexOf('--store');
  const value = at === -1 ? 'direct' : argv[at + 1];
  if (value === 'direct' || value === 'batched') return value;
  console.error('usage: npm run bench:ledger -- [--store direct|batched]');
  process.exit(2);
};
const STORE = storeOption(process.argv.slice(2));

/** Runs `clients` loops of `work` for SECONDS; returns completed iterations per second. */
const measure = async (
  clients: number,
  work: (client: number, iteration: number) => Promise<unknown>,
): Promise<number> => {
  const deadline = Date.now() + SECONDS * 1_000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let iteration = 0; Date.now() < deadline; iteration++) {
        await work(client, iteration);
        done++;
      }
    }),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return done / elapsedSeconds;
};

/** Which of the accounts (or the one hot account, 0) a client's iteration works on. */
const accountIndex = (hot: boolean, client: number, iteration: number) =>
  hot ? 0 : (client * 7919 + iteration * 104_729) % ACCOUNTS;

const pair = (ledger: LedgerStoreService, accountId: string, transactionId: string) =>
  Effect.runPromise(
    Effect.zipRight(
      ledger.authorize({ accountId, currency: KES, transactionId, amountMinor: 100n }),
      ledger.capture({ transactionId, amountMinor: 100n }),
    ),
  );

const main = async () => {
  const db = await createTestDatabase({ poolSize: 70 });
  // the baseline borrows the same pg pool TypeORM uses: same connections, same server, no extra clients
  const baseline = (db.dataSource.driver as unknown as { master: Pool }).master;
  try {
    const direct = makeLedgerStore(db.dataSource);
    const ledger = STORE === 'batched' ? makeBatchedLedgerStore(db.dataSource) : direct;
    for (let start = 0; start < ACCOUNTS; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, offset) => {
          const accountId = `acct-${start + offset}`;
          await Effect.runPromise(ledger.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }));
          await Effect.runPromise(
            ledger.deposit({ accountId, currency: KES, depositId: `fund-${accountId}`, amountMinor: 10n ** 15n }),
          );
        }),
      );
    }
    await baseline.query(`CREATE TABLE bench_counters (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
    await baseline.query(`INSERT INTO bench_counters (id) SELECT generate_series(0, ${ACCOUNTS - 1})`);

    console.log(
      `ledger benchmark (${STORE} store): ${SECONDS}s per cell, PostgreSQL ${(await baseline.query('SHOW server_version')).rows[0].server_version}`,
    );
    console.log(
      `accounts   clients   pairs/s (${STORE.padEnd(7)})${STORE === 'batched' ? '   pairs/s (direct)' : ''}   commits/s (raw pg UPDATE)   ratio`,
    );
    let run = 0;
    for (const hot of [true, false]) {
      for (const clients of CLIENTS) {
        run++;
        const pairs = await measure(clients, (client, iteration) =>
          pair(ledger, `acct-${accountIndex(hot, client, iteration)}`, `r${run}-c${client}-i${iteration}`),
        );
        const directPairs =
          STORE === 'batched'
            ? await measure(clients, (client, iteration) =>
                pair(direct, `acct-${accountIndex(hot, client, iteration)}`, `d${run}-c${client}-i${iteration}`),
              )
            : undefined;
        const commits = await measure(clients, async (client, iteration) => {
          await baseline.query('UPDATE bench_counters SET n = n + 1 WHERE id = $1', [
            accountIndex(hot, client, iteration),
          ]);
        });
        console.log(
          `${(hot ? '1 (hot)' : String(ACCOUNTS)).padEnd(10)} ${String(clients).padStart(7)}   ${pairs.toFixed(0).padStart(17)}${directPairs === undefined ? '' : `   ${directPairs.toFixed(0).padStart(16)}`}   ${commits.toFixed(0).padStart(25)}   ${(pairs / commits).toFixed(3).padStart(5)}`,
        );
      }
    }
    const [check] = (await db.dataSource.query(
      `SELECT count(*)::int AS broken FROM ledger_accounts a
         JOIN (SELECT account_id, SUM(available_delta_minor) av, SUM(holding_delta_minor) ho FROM ledger_journal GROUP BY account_id) j USING (account_id)
        WHERE j.av <> a.available_minor OR j.ho <> a.holding_minor`,
    )) as { broken: number }[];
    console.log(
      `journal agrees with balances on every account: ${check?.broken === 0 ? 'yes' : `NO (${check?.broken} accounts)`}`,
    );
    console.log(`memory: RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await db.drop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
