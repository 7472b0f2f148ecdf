// Hostile checks of LedgerStore.settleAll on PostgreSQL, both stores, inside
// units of work: holds claimed earlier in the same unit, many units at once
// on shared holds (settleAll against the single capture, voidHold and
// reverse of other units: each hold settled at most once, balances the sums
// of their journal), a batch and a single capture of one hold in two units
// (no deadlock: both lock the account before the hold), and an account
// stored in a shape the domain refuses (the call fails as a whole, its unit
// keeps nothing even when the caller carries on).
import { currencyOf, type HoldSettlement, type LedgerStoreService, type UnitOfWorkService } from '@airtime/domain';
import { Deferred, Effect, Either } from 'effect';
import fc from 'fast-check';
import { journalBreaks, run, show, storedOf } from '../../testing/ledger-runs.fixture';
import { LEDGER_STORES as STORES } from '../../testing/ledger-stores.fixture';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';

const KES = Either.getOrThrow(currencyOf('KES'));

describe.each(STORES)('LedgerStore.settleAll against hostile callers (%s store)', (storeName, makeStore) => {
  let db: TestDatabase;
  let store: LedgerStoreService;
  let unit: UnitOfWorkService;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 8 });
    store = makeStore(db.dataSource);
    unit = makeUnitOfWork(db.dataSource);
  });
  afterAll(async () => db?.drop());

  let runs = 0;
  const nextPrefix = () => `${storeName[0]}h${++runs}.`;

  const fundedAccount = async (accountId: string, amountMinor = 10_000n) => {
    await Effect.runPromise(store.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(store.deposit({ accountId, currency: KES, depositId: `${accountId}-fund`, amountMinor }));
  };
  const hold = (accountId: string, transactionId: string, amountMinor: bigint) =>
    Effect.runPromise(store.authorize({ accountId, currency: KES, transactionId, amountMinor }));

  const settlementEntries = async (prefix: string) =>
    (await db.dataSource.query(
      `SELECT reference, kind, count(*)::int AS n FROM ledger_journal
        WHERE starts_with(reference, $1) AND kind IN ('CAPTURE', 'VOID', 'REVERSE')
        GROUP BY reference, kind ORDER BY reference, kind`,
      [prefix],
    )) as { reference: string; kind: string; n: number }[];

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

  // settleAll locks the accounts first (sorted), then the holds; a single capture, voidHold or reverse must lock
  // in the same order (the hold's account, then the hold), or the two deadlock on the same hold
  it('a batch held between its two accounts while a single capture of its hold starts: both commit, captured once', async () => {
    const prefix = nextPrefix();
    const [x, y] = [`${prefix}x`, `${prefix}y`];
    for (const accountId of [x, y]) await fundedAccount(accountId);
    await hold(x, `${prefix}h1`, 100n);
    await hold(y, `${prefix}h2`, 100n);

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
    // unit B: the single capture of h1; it waits for x before it locks h1
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

  it('settles holds claimed earlier in the same unit of work (authorize and authorizeAll), as one by one would', async () => {
    const prefix = nextPrefix();
    const account = `${prefix}acct`;
    await fundedAccount(account, 1_000n);
    const answers = await Effect.runPromise(
      unit.transactionally(
        Effect.gen(function* () {
          yield* store.authorize({
            accountId: account,
            currency: KES,
            transactionId: `${prefix}t1`,
            amountMinor: 300n,
          });
          yield* store.authorizeAll([
            { accountId: account, currency: KES, transactionId: `${prefix}t2`, amountMinor: 200n },
            { accountId: account, currency: KES, transactionId: `${prefix}t3`, amountMinor: 100n },
          ]);
          return yield* store.settleAll([
            { kind: 'capture', input: { transactionId: `${prefix}t1`, amountMinor: 300n } },
            { kind: 'voidHold', input: { transactionId: `${prefix}t2` } },
            { kind: 'capture', input: { transactionId: `${prefix}t3`, amountMinor: 60n } },
            { kind: 'reverse', input: { transactionId: `${prefix}t1` } },
            { kind: 'capture', input: { transactionId: `${prefix}t2`, amountMinor: 200n } },
          ]);
        }),
      ),
    );
    expect(answers.map((answer) => (Either.isRight(answer) ? answer.right.applied : answer.left._tag))).toEqual([
      true,
      true,
      true,
      true,
      'HoldAlreadySettled',
    ]);
    expect(await Effect.runPromise(store.account(account, 'KES'))).toMatchObject({
      availableMinor: 1_000n - 60n,
      holdingMinor: 0n,
      capturedMinor: 360n,
      reversedMinor: 300n,
    });
    expect(await journalBreaks(db, prefix)).toEqual([]);
  });

  it('an account stored in a shape the domain refuses fails the whole call, and its unit keeps nothing even when the caller carries on', async () => {
    const prefix = nextPrefix();
    const good = `${prefix}good`;
    const legacy = `${prefix}legacy`;
    await fundedAccount(good);
    // KES with exponent 3: the domain refuses to read it (the direct store's SQL still moves it)
    await db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent, available_minor, funded_minor)
       VALUES ($1, 'KES', 3, 1000, 1000)`,
      [legacy],
    );
    await db.dataSource.query(
      `WITH h AS (INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status)
                  VALUES ($2, $1, 'KES', 100, 'HELD'))
       , a AS (UPDATE ledger_accounts SET available_minor = available_minor - 100, holding_minor = holding_minor + 100
                WHERE account_id = $1)
       INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
       VALUES ($1, 'KES', $2, 'AUTHORIZE', 100, -100, 100)`,
      [legacy, `${prefix}old`],
    );
    await hold(good, `${prefix}new`, 100n);
    const settlements: HoldSettlement[] = [
      { kind: 'capture', input: { transactionId: `${prefix}new`, amountMinor: 100n } },
      { kind: 'capture', input: { transactionId: `${prefix}old`, amountMinor: 100n } },
    ];
    const before = await storedOf(db, prefix);
    const failed = await run(unit.transactionally(store.settleAll(settlements)));
    expect(Either.isLeft(failed) && failed.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    const carriedOn = await run(unit.transactionally(Effect.either(store.settleAll(settlements))));
    expect(Either.isLeft(carriedOn) && carriedOn.left).toMatchObject({ _tag: 'PersistenceFailure' });
    expect(await storedOf(db, prefix)).toEqual(before);
  });

  it('many units at once, settleAll against single captures, voids and reverses of the same holds: each hold settled at most once, every balance the sum of its journal (fast-check)', async () => {
    const kinds = ['capture', 'voidHold', 'reverse'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            batched: fc.boolean(),
            settlements: fc.array(fc.record({ hold: fc.nat(5), kind: fc.constantFrom(...kinds) }), {
              minLength: 1,
              maxLength: 6,
            }),
          }),
          { minLength: 2, maxLength: 6 },
        ),
        async (drawn) => {
          const prefix = nextPrefix();
          const accounts = [`${prefix}a`, `${prefix}b`, `${prefix}c`];
          for (const account of accounts) await fundedAccount(account);
          const holds = Array.from({ length: 6 }, (_, index) => `${prefix}t${index}`);
          for (const [index, transactionId] of holds.entries())
            await hold(accounts[index % accounts.length] as string, transactionId, 100n + BigInt(index));
          const settlementOf = ({ hold, kind }: { hold: number; kind: (typeof kinds)[number] }): HoldSettlement => {
            const transactionId = holds[hold] as string;
            return kind === 'capture'
              ? { kind, input: { transactionId, amountMinor: 100n + BigInt(hold) } }
              : { kind, input: { transactionId } };
          };
          const single = (settlement: HoldSettlement) =>
            settlement.kind === 'capture'
              ? store.capture(settlement.input)
              : settlement.kind === 'voidHold'
                ? store.voidHold(settlement.input)
                : store.reverse(settlement.input);
          const results = await Promise.all(
            drawn.map(({ batched, settlements }) => {
              const inputs = settlements.map(settlementOf);
              return run(
                unit.transactionally(
                  batched
                    ? Effect.map(store.settleAll(inputs), (answers) => answers.length)
                    : Effect.map(
                        Effect.forEach(inputs, (input) => Effect.either(single(input))),
                        (answers) => answers.length,
                      ),
                ),
              );
            }),
          );
          // no hold moved twice: one CAPTURE or VOID at most, one REVERSE at most, only after a CAPTURE
          const entries = await settlementEntries(prefix);
          expect(entries.filter((entry) => entry.n !== 1)).toEqual([]);
          const voided = new Set(entries.filter((e) => e.kind === 'VOID').map((e) => e.reference));
          const captured = new Set(entries.filter((e) => e.kind === 'CAPTURE').map((e) => e.reference));
          expect([...voided].filter((reference) => captured.has(reference))).toEqual([]);
          const reversed = entries.filter((e) => e.kind === 'REVERSE').map((e) => e.reference);
          expect(reversed.filter((reference) => !captured.has(reference))).toEqual([]);
          expect(await journalBreaks(db, prefix)).toEqual([]);
          // a unit fails as a whole only with a retryable PersistenceFailure (a deadlock between lock orders, reported
          // separately), and then keeps nothing: the invariants above hold either way
          for (const result of results)
            if (Either.isLeft(result))
              expect(result.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: true });
          // each committed unit answered every settlement it was given
          drawn.forEach(({ settlements }, index) => {
            const result = results[index];
            if (result !== undefined && Either.isRight(result)) expect(result.right).toBe(settlements.length);
          });
        },
      ),
      { numRuns: 20 },
    );
  });
});
