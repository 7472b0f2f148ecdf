// Kill -9 of a process using the batched ledger store in the middle of its
// batches (issue 12): nothing partial and nothing answered that was not
// committed. Each of 20 seeds runs the child program
// (batched-ledger-crash-child.fixture.ts, bundled once for the file: one
// plain node process) with
// seeded bounds (lanes, maxBatch, lingerMs) and 32 to 64 concurrent callers
// on four accounts, and SIGKILLs it after a seeded number of answers (plus
// a seeded delay of 0 to 20 ms). Once the server has ended the child's
// sessions, the run's rows are read in one snapshot and checked: balances
// against the journal and the CHECK rules, holds against their journal
// entries, the domain's ledger invariants, and every answer the child wrote
// against what was stored. Then a store started afresh on the same database
// repeats some answered movements (same answers, applied: false), settles
// the holds the crash left and moves on, and the rows are checked again.
// The seeds run two at a time, on one database (each seed its own ids).
import { checkInvariants, type InvariantViolation, type LedgerStoreService } from '@airtime/domain';
import { Effect } from 'effect';
import type { BundledEntry } from '../../../testing/entry-bundle.fixture';
import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import { makeBatchedLedgerStore } from './batched-ledger-store.adapter';
import {
  answerViolations,
  bundleCrashWorker,
  type CrashRun,
  readStoredRows,
  repeatAnswered,
  rowViolations,
  runCrashWorker,
  type StoredRows,
  storedLedgerOf,
  waitForSessionsGone,
} from './batched-ledger-crash.fixture';
import {
  answerOf,
  between,
  crashAccounts,
  type CrashOperation,
  type CrashWorkerSettings,
  runOperation,
  seededRandom,
} from './batched-ledger-crash-child.fixture';

const SEEDS = Array.from({ length: 20 }, (_, index) => index + 1);
/** Seeds run at once. */
const PARALLEL = 2;
/** Movements planned per run: far more than are answered before the kill. */
const OPERATIONS = 1_000;

interface Found {
  readonly rows: readonly string[];
  readonly answers: readonly string[];
  readonly invariants: readonly InvariantViolation[];
}

interface SeedOutcome {
  readonly settings: Omit<CrashWorkerSettings, 'url'>;
  readonly killAfter: number;
  readonly killDelayMs: number;
  readonly run: Pick<CrashRun, 'signal' | 'code' | 'header'> & { readonly answered: number };
  readonly afterKill: Found;
  readonly repeats: readonly string[];
  readonly carryOn: readonly string[];
  readonly afterCarryOn: Omit<Found, 'answers'>;
}

const pick = <A>(random: () => number, values: readonly A[]): A => values[between(random, 0, values.length - 1)] as A;

const checked = async (rows: StoredRows) => ({
  rows: rowViolations(rows),
  invariants: checkInvariants(await storedLedgerOf(rows)),
});

/**
 * With a store started after the kill: voids every hold the crash left HELD
 * (each applied once), then deposits, authorizes and captures anew on the
 * hot account. What did not answer so, one sentence each.
 */
const carryOn = async (store: LedgerStoreService, rows: StoredRows, prefix: string): Promise<string[]> => {
  const hot = crashAccounts(prefix).hot;
  const held: CrashOperation[] = rows.holds
    .filter((hold) => hold.status === 'HELD')
    .map((hold) => ({ kind: 'voidHold', input: { transactionId: hold.transaction_id } }));
  const fresh: CrashOperation[] = [
    { kind: 'deposit', input: { accountId: hot, depositId: `${prefix}after-d`, amountMinor: '500' } },
    { kind: 'authorize', input: { accountId: hot, transactionId: `${prefix}after-t`, amountMinor: '100' } },
    { kind: 'capture', input: { transactionId: `${prefix}after-t`, amountMinor: '60' } },
  ];
  const send = (operation: CrashOperation) =>
    Effect.map(Effect.exit(runOperation(store, operation)), (exit) => {
      const answer = answerOf(exit);
      return answer.ok && answer.applied
        ? []
        : [`${operation.kind} ${JSON.stringify(operation.input)}: ${JSON.stringify(answer)}`];
    });
  const settled = await Effect.runPromise(Effect.forEach(held, send, { concurrency: 'unbounded' }));
  const moved = await Effect.runPromise(Effect.forEach(fresh, send));
  return [...settled, ...moved].flat();
};

const runSeed = async (db: TestDatabase, worker: BundledEntry, seed: number): Promise<SeedOutcome> => {
  const random = seededRandom(seed * 7_919 + 3);
  const settings: Omit<CrashWorkerSettings, 'url'> = {
    seed,
    prefix: `c${seed}-`,
    bounds: {
      lanes: pick(random, [1, 2, 4]),
      maxBatch: pick(random, [16, 64, 500]),
      lingerMs: pick(random, [0, 0, 1, 2]),
    },
    callers: between(random, 32, 64),
    operations: OPERATIONS,
  };
  const killAfter = between(random, 3, 300);
  const killDelayMs = random() < 0.5 ? 0 : between(random, 1, 20);
  // the child's sessions carry a name of their own: the check waits until the server has ended them all
  const applicationName = `ledger-crash-${process.pid}-${seed}`;
  const url = new URL(db.config.url);
  url.searchParams.set('application_name', applicationName);
  const run = await runCrashWorker({ worker, settings: { ...settings, url: url.toString() }, killAfter, killDelayMs });
  await waitForSessionsGone(db.dataSource, applicationName);

  const rows = await readStoredRows(db.dataSource, settings.prefix);
  const afterKill = { ...(await checked(rows)), answers: answerViolations(rows, run.lines) };
  const store = makeBatchedLedgerStore(db.dataSource, settings.bounds);
  const repeats = await repeatAnswered(store, run.lines, random, 12);
  const carriedOn = await carryOn(store, rows, settings.prefix);
  const afterCarryOn = await checked(await readStoredRows(db.dataSource, settings.prefix));
  return {
    settings,
    killAfter,
    killDelayMs,
    run: { signal: run.signal, code: run.code, header: run.header, answered: run.lines.length },
    afterKill,
    repeats,
    carryOn: carriedOn,
    afterCarryOn,
  };
};

describe('batched ledger store: kill -9 during batches', () => {
  let db: TestDatabase;
  let worker: BundledEntry | undefined;
  const outcomes = new Map<number, SeedOutcome | Error>();

  beforeAll(async () => {
    // the child is bundled once for all seeds, while the database is made
    const bundling = bundleCrashWorker().then((bundle) => (worker = bundle));
    db = await createTestDatabase({ poolSize: 12 });
    const bundled = await bundling;
    await Promise.all(
      Array.from({ length: PARALLEL }, async (_, lane) => {
        for (const seed of SEEDS.filter((_, position) => position % PARALLEL === lane)) {
          outcomes.set(
            seed,
            await runSeed(db, bundled, seed).catch((error: unknown) =>
              error instanceof Error ? error : new Error(String(error)),
            ),
          );
        }
      }),
    );
  }, 600_000);

  afterAll(async () => {
    worker?.dispose();
    await db?.drop();
  });

  it.each(SEEDS)(
    'seed %i: nothing partial, nothing answered that was not committed, a fresh store carries on',
    (seed) => {
      const outcome = outcomes.get(seed);
      if (outcome instanceof Error) throw new Error(`seed ${seed}: ${outcome.message}`);
      expect(outcome).toBeDefined();
      if (outcome === undefined) return;
      const { settings, killAfter, killDelayMs, run } = outcome;
      // the seed and its draw, in every failure message
      const replay = { seed, bounds: settings.bounds, callers: settings.callers, killAfter, killDelayMs };
      // killed (not exited) after the answers asked for, before the plan was done: in the middle of its batches
      expect({ ...replay, signal: run.signal, atLeastKillAfter: run.answered >= killAfter }).toEqual({
        ...replay,
        signal: 'SIGKILL',
        atLeastKillAfter: true,
      });
      expect({ ...replay, unanswered: run.header.planned - run.answered > 0 }).toEqual({ ...replay, unanswered: true });
      expect({ ...replay, ...outcome.afterKill }).toEqual({ ...replay, rows: [], answers: [], invariants: [] });
      expect({ ...replay, repeats: outcome.repeats, carryOn: outcome.carryOn }).toEqual({
        ...replay,
        repeats: [],
        carryOn: [],
      });
      expect({ ...replay, ...outcome.afterCarryOn }).toEqual({ ...replay, rows: [], invariants: [] });
    },
  );
});
