// The batched ledger store's own promises: a bad operation never fails its
// neighbours, an idle lane adds no wait, the bounds are checked, and inside
// a unit of work it writes in the caller's transaction and never commits.
import { currencyOf, type LedgerStoreService } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import { makeUnitOfWork } from '../../unit-of-work/unit-of-work.adapter';
import { makeLedgerStore } from '../ledger-store.adapter';
import { makeBatchedLedgerStore } from './batched-ledger-store.adapter';

const KES = Either.getOrThrow(currencyOf('KES'));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));

/** The longest linger the store takes (1 s): an operation that waited for it would take at least that long. */
const LINGER_MS = 1_000;

describe('batched ledger store', () => {
  let db: TestDatabase;
  let store: LedgerStoreService;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 8 });
    store = makeBatchedLedgerStore(db.dataSource, { lanes: 1, maxBatch: 16, lingerMs: LINGER_MS });
    await Effect.runPromise(store.openAccount({ accountId: 'acme', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      store.deposit({ accountId: 'acme', currency: KES, depositId: 'acme-fund', amountMinor: 10_000n }),
    );
  });
  afterAll(async () => db.drop());

  const journalCount = async (reference: string) =>
    (
      (await db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_journal WHERE reference = $1`, [
        reference,
      ])) as {
        n: number;
      }[]
    )[0]?.n;

  it('one operation the database refuses fails alone: the batch is run again operation by operation', async () => {
    // an account funded up to 50 below bigint's end (written by hand: no deposit is that large), so that a
    // deposit of 100 passes the pure rules but overflows the column: the whole batch fails at the database
    const nearEnd = String(2n ** 63n - 1n - 50n);
    await db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent, credit_limit_minor, available_minor, funded_minor)
       VALUES ('full', 'KES', 2, 0, $1, $1)`,
      [nearEnd],
    );
    const [first, good, bad, alsoGood] = await Promise.all([
      run(store.authorize({ accountId: 'acme', currency: KES, transactionId: 'warm', amountMinor: 10n })),
      run(store.authorize({ accountId: 'acme', currency: KES, transactionId: 'good', amountMinor: 100n })),
      run(store.deposit({ accountId: 'full', currency: KES, depositId: 'huge', amountMinor: 100n })),
      run(store.deposit({ accountId: 'acme', currency: KES, depositId: 'small', amountMinor: 5n })),
    ]);
    expect([first, good, alsoGood].every(Either.isRight)).toBe(true);
    expect(Either.isLeft(bad) && bad.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    expect(await journalCount('good')).toBe(1);
    expect(await journalCount('small')).toBe(1);
    expect(await journalCount('huge')).toBe(0);
    expect(await Effect.runPromise(store.account('acme', 'KES'))).toMatchObject({
      availableMinor: 10_000n - 110n + 5n,
      holdingMinor: 110n,
    });
  });

  it('an operation arriving at an idle lane starts at once (the linger bound applies only to a busy lane)', async () => {
    const started = Date.now();
    await Effect.runPromise(store.capture({ transactionId: 'good', amountMinor: 100n }));
    // done before a linger could have ended: it never waited for one (the capture's own transaction has the rest)
    expect(Date.now() - started).toBeLessThan(LINGER_MS);
  });

  it('refuses bounds out of range', () => {
    expect(() => makeBatchedLedgerStore(db.dataSource, { lanes: 0 })).toThrow(/lanes an integer from 1 to 256/);
    expect(() => makeBatchedLedgerStore(db.dataSource, { maxBatch: 1.5 })).toThrow(/maxBatch/);
  });

  it("inside a unit of work it writes in the caller's transaction and leaves the commit to it", async () => {
    const unitOfWork = makeUnitOfWork(db.dataSource);
    // an account opened in the same transaction is seen: the movement runs there, not in a lane's own transaction
    const inside = Effect.gen(function* () {
      yield* store.openAccount({ accountId: 'fresh', currency: KES, creditLimitMinor: 500n });
      return yield* store.authorize({ accountId: 'fresh', currency: KES, transactionId: 'in-uow', amountMinor: 300n });
    });
    const rolledBack = await run(unitOfWork.transactionally(Effect.zipRight(inside, Effect.fail('caller gives up'))));
    expect(rolledBack).toEqual(Either.left('caller gives up'));
    expect(await journalCount('in-uow')).toBe(0);
    const committed = await Effect.runPromise(unitOfWork.transactionally(inside));
    expect(committed.applied).toBe(true);
    expect(await journalCount('in-uow')).toBe(1);
    expect(await Effect.runPromise(store.account('fresh', 'KES'))).toMatchObject({ availableMinor: -300n });
  });

  describe("a lane's copy that another writer made stale", () => {
    // the lane decided on its copy of 'shared' and of 'stale-hold'; the direct store (another process, or a
    // top-up's unit of work) then writes the same rows: the batched store's next answers must be the stored truth
    let lane: LedgerStoreService;
    let other: LedgerStoreService;
    beforeAll(async () => {
      lane = makeBatchedLedgerStore(db.dataSource, { lanes: 1 });
      other = makeLedgerStore(db.dataSource);
      await Effect.runPromise(other.openAccount({ accountId: 'shared', currency: KES, creditLimitMinor: 0n }));
      await Effect.runPromise(
        lane.deposit({ accountId: 'shared', currency: KES, depositId: 'shared-fund', amountMinor: 1_000n }),
      );
      await Effect.runPromise(
        lane.authorize({ accountId: 'shared', currency: KES, transactionId: 'stale-hold', amountMinor: 100n }),
      );
    });

    it('an authorization the copy would allow is refused when the stored balance no longer covers it', async () => {
      await Effect.runPromise(
        other.authorize({ accountId: 'shared', currency: KES, transactionId: 'drain', amountMinor: 850n }),
      );
      const refused = await run(
        lane.authorize({ accountId: 'shared', currency: KES, transactionId: 'too-much', amountMinor: 100n }),
      );
      expect(Either.isLeft(refused) && refused.left).toMatchObject({ _tag: 'InsufficientFunds' });
      expect(await Effect.runPromise(lane.account('shared', 'KES'))).toMatchObject({
        availableMinor: 50n,
        holdingMinor: 950n,
      });
    });

    it('a hold settled by another writer answers as stored, not as the copy says', async () => {
      await Effect.runPromise(other.capture({ transactionId: 'stale-hold', amountMinor: 100n }));
      const voided = await run(lane.voidHold({ transactionId: 'stale-hold' }));
      expect(Either.isLeft(voided) && voided.left).toMatchObject({ _tag: 'HoldAlreadySettled' });
      const again = await Effect.runPromise(lane.capture({ transactionId: 'stale-hold', amountMinor: 100n }));
      expect(again.applied).toBe(false);
      expect(again.entry.kind).toBe('CAPTURE');
    });

    it('a claim taken by another writer is answered as the stored one (applied: false)', async () => {
      const stored = await Effect.runPromise(
        other.deposit({ accountId: 'shared', currency: KES, depositId: 'twice', amountMinor: 7n }),
      );
      const repeat = await Effect.runPromise(
        lane.deposit({ accountId: 'shared', currency: KES, depositId: 'twice', amountMinor: 7n }),
      );
      expect(repeat).toEqual({ entry: stored.entry, applied: false });
      expect(await journalCount('twice')).toBe(1);
      expect(await Effect.runPromise(lane.account('shared', 'KES'))).toMatchObject({ availableMinor: 57n });
    });

    it('a credit limit changed by another writer is the one a later authorization is decided on', async () => {
      await Effect.runPromise(other.setCreditLimit({ accountId: 'shared', currency: KES, creditLimitMinor: 1_000n }));
      const allowed = await Effect.runPromise(
        lane.authorize({ accountId: 'shared', currency: KES, transactionId: 'on-credit', amountMinor: 500n }),
      );
      expect(allowed.applied).toBe(true);
      expect(await Effect.runPromise(lane.account('shared', 'KES'))).toMatchObject({ availableMinor: -443n });
    });
  });
});
