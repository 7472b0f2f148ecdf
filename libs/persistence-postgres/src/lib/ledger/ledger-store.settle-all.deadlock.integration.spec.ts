// settleAll inside a unit of work locks the accounts first (sorted), then the
// holds; the single capture, voidHold and reverse must lock in the same order
// (the hold's account, then the hold), or two units of work, one with each,
// deadlock on the same hold: one batch is held between its two accounts
// while a single capture of its hold starts, and both must commit.
import { currencyOf, type LedgerStoreService, type UnitOfWorkService } from '@airtime/domain';
import { Deferred, Effect, Either } from 'effect';
import { journalBreaks, run, show } from '../../testing/ledger-runs.fixture';
import { LEDGER_STORES as STORES } from '../../testing/ledger-stores.fixture';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';

const KES = Either.getOrThrow(currencyOf('KES'));

describe.each(STORES)('settleAll and a single capture in two units of work (%s store)', (storeName, makeStore) => {
  let db: TestDatabase;
  let store: LedgerStoreService;
  let unit: UnitOfWorkService;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 8 });
    store = makeStore(db.dataSource);
    unit = makeUnitOfWork(db.dataSource);
  });
  afterAll(async () => db?.drop());

  /** Waits until `n` backends of this database wait for a lock (no time asserted: it polls PostgreSQL). */
  const lockWaiters = async (n: number) => {
    for (;;) {
      const [row] = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
        [db.name],
      )) as { n: number }[];
      if ((row?.n ?? 0) >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('both commit, and the hold is captured once', async () => {
    const prefix = `${storeName[0]}d.`;
    const [x, y] = [`${prefix}x`, `${prefix}y`];
    for (const accountId of [x, y]) {
      await Effect.runPromise(store.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }));
      await Effect.runPromise(
        store.deposit({ accountId, currency: KES, depositId: `${accountId}-fund`, amountMinor: 1_000n }),
      );
    }
    await Effect.runPromise(
      store.authorize({ accountId: x, currency: KES, transactionId: `${prefix}h1`, amountMinor: 100n }),
    );
    await Effect.runPromise(
      store.authorize({ accountId: y, currency: KES, transactionId: `${prefix}h2`, amountMinor: 100n }),
    );

    // a third unit holds account y's row lock until released
    const holding = Effect.runSync(Deferred.make<void>());
    const release = Effect.runSync(Deferred.make<void>());
    const blocker = run(
      unit.transactionally(
        Effect.gen(function* () {
          yield* store.deposit({ accountId: y, currency: KES, depositId: `${prefix}y-more`, amountMinor: 1n });
          yield* Deferred.succeed(holding, undefined);
          yield* Deferred.await(release);
        }),
      ),
    );
    await Effect.runPromise(Deferred.await(holding));
    // unit A: settleAll of both holds; it locks x, then waits for y
    const settled = run(
      unit.transactionally(
        store.settleAll([
          { kind: 'capture', input: { transactionId: `${prefix}h1`, amountMinor: 100n } },
          { kind: 'capture', input: { transactionId: `${prefix}h2`, amountMinor: 100n } },
        ]),
      ),
    );
    await lockWaiters(1);
    // unit B: the single capture of h1; it locks h1, then waits for x
    const single = run(unit.transactionally(store.capture({ transactionId: `${prefix}h1`, amountMinor: 100n })));
    await lockWaiters(2);
    await Effect.runPromise(Deferred.succeed(release, undefined));
    const [a, b, c] = await Promise.all([settled, single, blocker]);
    expect(Either.isRight(c)).toBe(true);
    expect(
      [Either.isLeft(a) ? show(a.left) : '', Either.isLeft(b) ? show(b.left) : ''].filter((failure) => failure !== ''),
    ).toEqual([]);
    expect(
      await db.dataSource.query(
        `SELECT count(*)::int AS n FROM ledger_journal WHERE reference = $1 AND kind = 'CAPTURE'`,
        [`${prefix}h1`],
      ),
    ).toEqual([{ n: 1 }]);
    expect(await journalBreaks(db, prefix)).toEqual([]);
  });
});
