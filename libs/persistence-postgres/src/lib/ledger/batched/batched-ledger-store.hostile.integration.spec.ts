// Hostile cases of the batched ledger store (group commit), from an
// adversarial review. The first four were defects, fixed since:
// - lock order: the copy path's one statement (`ledger_batch_write`) locked
//   a settled hold's row before its account's, where the direct store's
//   settlement and the locked path lock the account first, so a unit of work
//   holding the account and settling the same hold deadlocked with it; and
//   it moved accounts in the batch's order, not sorted, so two processes'
//   batches naming two accounts in opposite orders deadlocked (PostgreSQL
//   aborted one: a failed batch, or a caller's unit of work failing with
//   40P01). Migration 1765200000000 locks the batch's accounts first, sorted;
// - an operation whose caller was interrupted while it still waited in its
//   lane's queue was committed anyway; it now leaves the queue;
// - a lane copy with limits below a batch's keys answered HoldNotFound for a
//   hold it read and dropped in the same fill; such a batch now goes under
//   locks.
// The others are hostile cases that held: ABA on balances, a refusal after
// funds arrive, a transaction id refused for an unknown account then
// authorized (two lanes), amounts at the ledger's bound.
import {
  currencyOf,
  type LedgerError,
  type LedgerStoreService,
  MAX_LEDGER_AMOUNT_MINOR,
  type PersistenceFailure,
  type StoredMovement,
} from '@airtime/domain';
import { Cause, Deferred, Effect, Either, Exit, Fiber } from 'effect';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import { journalBreaks } from '../../../testing/ledger-runs.fixture';
import { makeUnitOfWork } from '../../unit-of-work/unit-of-work.adapter';
import { poolOf, sql } from '../../unit-of-work/sql';
import { makeLedgerStore } from '../ledger-store.adapter';
import { type BatchedLedgerStore, makeBatchedLedgerStore } from './batched-ledger-store.adapter';
import { emptyLedgerBatchStats, runBatchTransaction } from './ledger-batch-transaction';
import { makeLaneCache } from './ledger-lane-copy';

const KES = Either.getOrThrow(currencyOf('KES'));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batched ledger store: adversarial review', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 6 });
  });
  afterAll(async () => db.drop());

  const open = (store: LedgerStoreService, accountId: string, creditLimitMinor = 0n) =>
    Effect.runPromise(store.openAccount({ accountId, currency: KES, creditLimitMinor }));

  /** Deadlocks PostgreSQL detected in this database so far. */
  const deadlocks = async () =>
    Number(
      (
        (await db.dataSource.query(
          `SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
        )) as { n: number }[]
      )[0]?.n,
    );

  /** Waits until `count` sessions of this database wait for a lock in a statement like `pattern`. */
  const waitUntilBlocked = async (pattern: string, count = 1) => {
    for (let tries = 0; ; tries++) {
      if (tries > 1_000) throw new Error(`no session waited for a lock in ${pattern}`);
      const rows = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [pattern],
      )) as { n: number }[];
      if ((rows[0]?.n ?? 0) >= count) return;
      await sleep(10);
    }
  };

  /** A session of its own (another process), in a transaction holding the lock of `accountId`'s row. */
  const lockAccount = async (accountId: string) => {
    const client = new Client({ connectionString: db.config.url });
    await client.connect();
    await client.query(`BEGIN`);
    await client.query(`SELECT 1 FROM ledger_accounts WHERE account_id = $1 FOR UPDATE`, [accountId]);
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  };

  const references = async (accountId: string) =>
    (
      (await db.dataSource.query(`SELECT reference FROM ledger_journal WHERE account_id = $1 ORDER BY sequence`, [
        accountId,
      ])) as { reference: string }[]
    ).map((row) => row.reference);

  describe('lock order of the copy path', () => {
    /**
     * A lane whose copy knows hold `<prefix>-t` (100 held on `<prefix>`); a unit of work that first
     * moves the account (its row locked until commit), waits, then captures the same hold, while the
     * lane captures it too (a twin settlement, as two writers of one top-up's final status). The
     * lane's statement is let run until it waits for the account; only then does the unit capture.
     */
    const twinSettlement = async (prefix: string, unitDeadlockTimeout?: string) => {
      const store = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
      const unitOfWork = makeUnitOfWork(db.dataSource);
      await open(store, prefix);
      await Effect.runPromise(
        store.deposit({ accountId: prefix, currency: KES, depositId: `${prefix}-fund`, amountMinor: 1_000n }),
      );
      await Effect.runPromise(
        store.authorize({ accountId: prefix, currency: KES, transactionId: `${prefix}-t`, amountMinor: 100n }),
      );
      const failedBefore = store.stats().failed;
      const deadlocksBefore = await deadlocks();
      const locked = Effect.runSync(Deferred.make<void>());
      const go = Effect.runSync(Deferred.make<void>());
      const inUnit = run(
        unitOfWork.transactionally(
          Effect.gen(function* () {
            if (unitDeadlockTimeout) yield* sql(db.dataSource, `SET LOCAL deadlock_timeout = '${unitDeadlockTimeout}'`);
            yield* store.deposit({ accountId: prefix, currency: KES, depositId: `${prefix}-more`, amountMinor: 5n });
            yield* Deferred.succeed(locked, undefined);
            yield* Deferred.await(go);
            return yield* store.capture({ transactionId: `${prefix}-t`, amountMinor: 100n });
          }),
        ),
      );
      await Effect.runPromise(Deferred.await(locked));
      const onLane = run(store.capture({ transactionId: `${prefix}-t`, amountMinor: 100n }));
      // the lane's statement waits for the account, which the unit holds (it locks the accounts first; the first
      // version of the write had locked the hold by then)
      await waitUntilBlocked('%ledger_batch_write%');
      await Effect.runPromise(Deferred.succeed(go, undefined));
      const [unit, lane] = await Promise.all([inUnit, onLane]);
      return {
        unit,
        lane,
        deadlocks: (await deadlocks()) - deadlocksBefore,
        failedBatches: store.stats().failed - failedBefore,
      };
    };

    it('a lane settling a hold and a unit of work holding its account and settling it too: no deadlock', async () => {
      const { unit, lane, deadlocks, failedBatches } = await twinSettlement('dl-lane');
      // both are answered right ...
      expect(Either.isRight(unit) && unit.right.applied).toBe(true);
      expect(Either.isRight(lane) && lane.right.applied).toBe(false);
      // ... with no deadlock and no batch failed as a whole (before: a deadlock after deadlock_timeout, 1 s)
      expect({ deadlocks, failedBatches }).toEqual({ deadlocks: 0, failedBatches: 0 });
    });

    it("the unit of work is not the one aborted for the lane's lock order (its caller gets no 40P01)", async () => {
      // the same race, where the unit's session is the one that detects the deadlock (it waited last,
      // with a shorter deadlock_timeout): the top-up change's unit fails, through no fault of its own
      const { unit, lane } = await twinSettlement('dl-unit', '100ms');
      expect(Either.isRight(lane)).toBe(true);
      expect(Either.isLeft(unit) ? unit.left : 'committed').toBe('committed');
    });

    it('two processes whose batches name two accounts in opposite orders do not deadlock', async () => {
      // two stores on one database: two processes. An authorization under a transaction id held on the
      // other account is a conflict that names both accounts (zero deltas, each row still updated by
      // the guard), in the order (input's account, hold's account): opposite in the two processes
      const p1: BatchedLedgerStore = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
      const p2: BatchedLedgerStore = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
      await open(p1, 'ox', 1_000n);
      await open(p1, 'oy', 1_000n);
      await Effect.runPromise(p1.authorize({ accountId: 'oy', currency: KES, transactionId: 'on-y', amountMinor: 1n }));
      await Effect.runPromise(p2.authorize({ accountId: 'ox', currency: KES, transactionId: 'on-x', amountMinor: 1n }));
      const viaP1 = () => run(p1.authorize({ accountId: 'ox', currency: KES, transactionId: 'on-y', amountMinor: 1n })); // ox, oy
      const viaP2 = () => run(p2.authorize({ accountId: 'oy', currency: KES, transactionId: 'on-x', amountMinor: 1n })); // oy, ox
      // each lane's copy now knows both accounts and its hold: the next ones go the copy path
      await viaP1();
      await viaP2();
      const failedBefore = p1.stats().failed + p2.stats().failed;
      const deadlocksBefore = await deadlocks();
      const blocker = await lockAccount('oy');
      const second = viaP2(); // waits for oy behind the blocker
      await waitUntilBlocked('%ledger_batch_write%');
      const first = viaP1(); // locks ox, then waits for oy behind p2
      await waitUntilBlocked('%ledger_batch_write%', 2);
      await blocker.release(); // p2 gets oy and waits for ox, which p1 holds while it waits for oy
      const answers = await Promise.all([first, second]);
      expect(answers.map((answer) => Either.isLeft(answer) && answer.left._tag)).toEqual([
        'IdempotencyConflict',
        'IdempotencyConflict',
      ]);
      expect({
        deadlocks: (await deadlocks()) - deadlocksBefore,
        failedBatches: p1.stats().failed + p2.stats().failed - failedBefore,
      }).toEqual({ deadlocks: 0, failedBatches: 0 });
    });
  });

  it('an operation whose caller is interrupted while it waits in the queue is not committed', async () => {
    const store = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
    await open(store, 'busy');
    await open(store, 'victim');
    // the lane is busy: its batch waits for a row another session holds
    const blocker = await lockAccount('busy');
    const first = run(store.deposit({ accountId: 'busy', currency: KES, depositId: 'busy-1', amountMinor: 5n }));
    await waitUntilBlocked('%ledger_batch_write%');
    // queued behind it, then given up by its caller (a timeout, a client gone) before its batch started
    const fiber = Effect.runFork(
      store.deposit({ accountId: 'victim', currency: KES, depositId: 'victim-1', amountMinor: 7n }),
    );
    await sleep(20);
    const given = await Effect.runPromise(Fiber.interrupt(fiber));
    expect(Exit.isInterrupted(given)).toBe(true);
    await blocker.release();
    await first;
    // a later operation of the lane: every batch queued before it is done by then
    await Effect.runPromise(
      store.deposit({ accountId: 'victim', currency: KES, depositId: 'victim-2', amountMinor: 1n }),
    );
    // the direct store writes nothing for a call interrupted before its statement, nor does the lane now
    expect(await references('victim')).toEqual(['victim-2']);
  });

  it("a lane copy smaller than a batch's keys still finds the holds it just read (no HoldNotFound for a stored hold)", async () => {
    const store = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
    await open(store, 'small', 1_000n);
    for (const id of ['small-1', 'small-2'])
      await Effect.runPromise(
        store.authorize({ accountId: 'small', currency: KES, transactionId: id, amountMinor: 10n }),
      );
    // a copy of one claim at most: filling it with the batch's two holds drops the first one, which the
    // batch once took as absent; now the batch goes under locks
    const exits = await Effect.runPromise(
      runBatchTransaction(poolOf(db.dataSource), makeLaneCache({ accounts: 10, claims: 1 }), emptyLedgerBatchStats(), [
        { kind: 'capture', input: { transactionId: 'small-1', amountMinor: 10n } },
        { kind: 'capture', input: { transactionId: 'small-2', amountMinor: 10n } },
      ]),
    );
    const outcome = (exit: (typeof exits)[number]) =>
      Exit.match(exit, {
        onSuccess: (movement) => movement.applied,
        onFailure: (cause) => String(Cause.squash(cause)),
      });
    expect(exits.map(outcome)).toEqual([true, true]);
  });

  describe('hostile cases that hold', () => {
    let lane: BatchedLedgerStore;
    let other: LedgerStoreService;
    beforeAll(() => {
      lane = makeBatchedLedgerStore(db.dataSource, { lanes: 2, maxBatch: 4 });
      other = makeLedgerStore(db.dataSource);
    });

    it("ABA on an account's balances: a hold voided and another of the same amount authorized elsewhere", async () => {
      await open(other, 'aba');
      await Effect.runPromise(
        lane.deposit({ accountId: 'aba', currency: KES, depositId: 'aba-fund', amountMinor: 1_000n }),
      );
      await Effect.runPromise(
        lane.authorize({ accountId: 'aba', currency: KES, transactionId: 'aba-t', amountMinor: 100n }),
      );
      // the account's five balances and credit limit end as the lane's copy has them; the hold does not
      await Effect.runPromise(other.voidHold({ transactionId: 'aba-t' }));
      await Effect.runPromise(
        other.authorize({ accountId: 'aba', currency: KES, transactionId: 'aba-u', amountMinor: 100n }),
      );
      const [captured, repeat, reversed] = await Promise.all([
        run(lane.capture({ transactionId: 'aba-t', amountMinor: 100n })),
        run(lane.authorize({ accountId: 'aba', currency: KES, transactionId: 'aba-t', amountMinor: 100n })),
        run(lane.reverse({ transactionId: 'aba-t' })),
      ]);
      expect(Either.isLeft(captured) && captured.left).toMatchObject({
        _tag: 'HoldAlreadySettled',
        settledAs: 'VOID',
      });
      expect(Either.isRight(repeat) && repeat.right.applied).toBe(false);
      expect(Either.isLeft(reversed) && reversed.left).toMatchObject({ _tag: 'HoldNotCaptured', status: 'VOIDED' });
      expect(await journalBreaks(db, 'aba')).toEqual([]);
      expect(await Effect.runPromise(lane.account('aba', 'KES'))).toMatchObject({
        availableMinor: 900n,
        holdingMinor: 100n,
      });
    });

    it('a refusal stays a refusal after funds arrive, on the lane, on a fresh lane and on the direct store', async () => {
      await open(lane, 'rf');
      await Effect.runPromise(
        lane.deposit({ accountId: 'rf', currency: KES, depositId: 'rf-fund', amountMinor: 100n }),
      );
      const input = { accountId: 'rf', currency: KES, transactionId: 'rf-t', amountMinor: 500n };
      const refused = await run(lane.authorize(input));
      await Effect.runPromise(
        other.deposit({ accountId: 'rf', currency: KES, depositId: 'rf-more', amountMinor: 1_000n }),
      );
      const fresh = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
      const again = await Promise.all([
        run(lane.authorize(input)),
        run(fresh.authorize(input)),
        run(other.authorize(input)),
      ]);
      expect(Either.isLeft(refused) && refused.left).toMatchObject({ _tag: 'InsufficientFunds', availableMinor: 100n });
      for (const answer of again) expect(answer).toEqual(refused);
      expect(await Effect.runPromise(lane.account('rf', 'KES'))).toMatchObject({
        availableMinor: 1_100n,
        holdingMinor: 0n,
      });
    });

    it('a transaction id first refused for an unknown account, then authorized once the account opens (two lanes)', async () => {
      const input = { accountId: 'late', currency: KES, transactionId: 'late-t', amountMinor: 10n };
      const unknown = await run(lane.authorize(input));
      const noHold = await run(lane.capture({ transactionId: 'late-t', amountMinor: 10n }));
      await open(other, 'late', 50n);
      const held = await run(lane.authorize(input));
      const [captured, repeat] = await Promise.all([
        run(lane.capture({ transactionId: 'late-t', amountMinor: 4n })),
        run(lane.capture({ transactionId: 'late-t', amountMinor: 4n })),
      ]);
      expect(Either.isLeft(unknown) && unknown.left._tag).toBe('AccountNotFound');
      expect(Either.isLeft(noHold) && noHold.left._tag).toBe('HoldNotFound');
      expect(Either.isRight(held) && held.right.applied).toBe(true);
      expect([captured, repeat].map((answer) => Either.isRight(answer) && answer.right.applied)).toEqual([true, false]);
      expect(await Effect.runPromise(lane.account('late', 'KES'))).toMatchObject({
        availableMinor: -4n,
        capturedMinor: 4n,
      });
    });

    it('amounts at the ledger bound, through a batch and through the direct store, end alike', async () => {
      const max = MAX_LEDGER_AMOUNT_MINOR;
      const flow = async (store: LedgerStoreService, accountId: string) => {
        await open(store, accountId, max);
        // the lane decides in arrival order (the first alone, the rest as one batch); the direct store one by one
        const calls = [
          () => store.deposit({ accountId, currency: KES, depositId: `${accountId}-d`, amountMinor: max }),
          () => store.authorize({ accountId, currency: KES, transactionId: `${accountId}-a`, amountMinor: max }),
          () => store.authorize({ accountId, currency: KES, transactionId: `${accountId}-b`, amountMinor: max }),
          () => store.authorize({ accountId, currency: KES, transactionId: `${accountId}-c`, amountMinor: 1n }),
        ];
        const answers: Either.Either<StoredMovement, LedgerError | PersistenceFailure>[] = [];
        if (store === lane) answers.push(...(await Promise.all(calls.map((call) => run(call())))));
        else for (const call of calls) answers.push(await run(call()));
        answers.push(await run(store.capture({ transactionId: `${accountId}-a`, amountMinor: max })));
        answers.push(await run(store.reverse({ transactionId: `${accountId}-a` })));
        answers.push(await run(store.voidHold({ transactionId: `${accountId}-b` })));
        return {
          answers: answers.map((answer) =>
            Either.isRight(answer) ? [answer.right.entry.kind, answer.right.entry.amountMinor] : answer.left._tag,
          ),
          account: await Effect.runPromise(store.account(accountId, 'KES')),
        };
      };
      const batched = await flow(lane, 'edge-b');
      const direct = await flow(other, 'edge-d');
      expect(batched.answers).toEqual(direct.answers);
      expect({ ...batched.account, accountId: '' }).toEqual({ ...direct.account, accountId: '' });
      expect(await journalBreaks(db, 'edge-')).toEqual([]);
    });
  });
});
