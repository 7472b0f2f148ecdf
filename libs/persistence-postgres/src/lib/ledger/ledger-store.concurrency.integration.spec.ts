import { currencyOf, type LedgerStoreService } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { LEDGER_STORES as STORES } from '../../testing/ledger-stores.fixture';

const KES = Either.getOrThrow(currencyOf('KES'));

interface JournalSums {
  readonly available: string;
  readonly holding: string;
}

describe.each(STORES)('ledger store under concurrency (%s store)', (_store, makeStore) => {
  let db: TestDatabase;
  let ledger: LedgerStoreService;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 16 });
    ledger = makeStore(db.dataSource);
  });
  afterAll(async () => db.drop());

  const journalSums = async (accountId: string): Promise<JournalSums> => {
    const [row] = (await db.dataSource.query(
      `SELECT COALESCE(SUM(available_delta_minor), 0)::text AS available, COALESCE(SUM(holding_delta_minor), 0)::text AS holding
         FROM ledger_journal WHERE account_id = $1`,
      [accountId],
    )) as JournalSums[];
    return row as JournalSums;
  };

  it('64 concurrent authorizations on one account: exactly the affordable ones succeed', async () => {
    // 3,000 funded + 500 credit covers 35 holds of 100
    await Effect.runPromise(ledger.openAccount({ accountId: 'hot', currency: KES, creditLimitMinor: 500n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'hot', currency: KES, depositId: 'hot-dep', amountMinor: 3_000n }),
    );
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        Effect.runPromise(
          Effect.either(
            ledger.authorize({ accountId: 'hot', currency: KES, transactionId: `hot-${i}`, amountMinor: 100n }),
          ),
        ),
      ),
    );
    const succeeded = results.filter(Either.isRight);
    const refused = results.filter(Either.isLeft);
    expect(succeeded).toHaveLength(35);
    expect(refused.map((r) => r.left._tag)).toEqual(Array(29).fill('InsufficientFunds'));
    const account = await Effect.runPromise(ledger.account('hot', 'KES'));
    expect(account).toMatchObject({ availableMinor: -500n, holdingMinor: 3_500n });
    expect(account.availableMinor).toBeGreaterThanOrEqual(-account.creditLimitMinor);
    expect(await journalSums('hot')).toEqual({
      available: String(account.availableMinor),
      holding: String(account.holdingMinor),
    });
  });

  it('the same transaction id authorized 20 times at once: one hold, one journal entry', async () => {
    await Effect.runPromise(ledger.openAccount({ accountId: 'twins', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'twins', currency: KES, depositId: 'twins-dep', amountMinor: 10_000n }),
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        Effect.runPromise(
          ledger.authorize({ accountId: 'twins', currency: KES, transactionId: 'twin-tx', amountMinor: 700n }),
        ),
      ),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.sequence)).size).toBe(1);
    expect(await Effect.runPromise(ledger.account('twins', 'KES'))).toMatchObject({
      availableMinor: 9_300n,
      holdingMinor: 700n,
    });
    expect(
      await db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_journal WHERE reference = 'twin-tx'`),
    ).toEqual([{ n: 1 }]);
  });

  it('the same deposit sent 8 times at once: credited once, every caller answered', async () => {
    const before = await Effect.runPromise(ledger.account('twins', 'KES'));
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        Effect.runPromise(
          Effect.either(ledger.deposit({ accountId: 'twins', currency: KES, depositId: 'dep-dup', amountMinor: 500n })),
        ),
      ),
    );
    expect(results.every(Either.isRight)).toBe(true);
    expect(results.filter((r) => Either.isRight(r) && r.right.applied)).toHaveLength(1);
    const after = await Effect.runPromise(ledger.account('twins', 'KES'));
    expect(after.availableMinor - before.availableMinor).toBe(500n);
    expect(after.fundedMinor - before.fundedMinor).toBe(500n);
  });

  it('racing void and capture of one hold: exactly one settles it', async () => {
    await Effect.runPromise(
      ledger.authorize({ accountId: 'twins', currency: KES, transactionId: 'race-tx', amountMinor: 1_000n }),
    );
    const before = await Effect.runPromise(ledger.account('twins', 'KES'));
    const [voided, captured] = await Promise.all([
      Effect.runPromise(Effect.either(ledger.voidHold({ transactionId: 'race-tx' }))),
      Effect.runPromise(Effect.either(ledger.capture({ transactionId: 'race-tx', amountMinor: 1_000n }))),
    ]);
    expect([Either.isRight(voided), Either.isRight(captured)].filter(Boolean)).toHaveLength(1);
    const loser = Either.isLeft(voided) ? voided.left : Either.isLeft(captured) ? captured.left : undefined;
    expect(loser).toMatchObject({ _tag: 'HoldAlreadySettled' });
    const account = await Effect.runPromise(ledger.account('twins', 'KES'));
    expect(account.holdingMinor).toBe(before.holdingMinor - 1_000n);
    expect(account.capturedMinor - before.capturedMinor).toBe(Either.isRight(captured) ? 1_000n : 0n);
    expect(account.availableMinor - before.availableMinor).toBe(Either.isRight(voided) ? 1_000n : 0n);
    expect(await journalSums('twins')).toEqual({
      available: String(account.availableMinor),
      holding: String(account.holdingMinor),
    });
  });

  it('the same partial capture, then the same reverse, each sent 10 times at once: each settles once, every twin answered with its entry', async () => {
    await Effect.runPromise(
      ledger.authorize({ accountId: 'twins', currency: KES, transactionId: 'twin-settle', amountMinor: 700n }),
    );
    const before = await Effect.runPromise(ledger.account('twins', 'KES'));
    const captures = await Promise.all(
      Array.from({ length: 10 }, () =>
        Effect.runPromise(Effect.either(ledger.capture({ transactionId: 'twin-settle', amountMinor: 400n }))),
      ),
    );
    expect(captures.every(Either.isRight)).toBe(true);
    expect(captures.filter((r) => Either.isRight(r) && r.right.applied)).toHaveLength(1);
    // every twin answers with the one entry: 400 captured, the other 300 released
    for (const answer of captures) {
      expect(Either.getOrThrow(answer).entry).toMatchObject({
        kind: 'CAPTURE',
        amountMinor: 400n,
        availableDeltaMinor: 300n,
        holdingDeltaMinor: -700n,
      });
    }
    const reverses = await Promise.all(
      Array.from({ length: 10 }, () =>
        Effect.runPromise(Effect.either(ledger.reverse({ transactionId: 'twin-settle' }))),
      ),
    );
    expect(reverses.every(Either.isRight)).toBe(true);
    expect(reverses.filter((r) => Either.isRight(r) && r.right.applied)).toHaveLength(1);
    const after = await Effect.runPromise(ledger.account('twins', 'KES'));
    expect(after.holdingMinor - before.holdingMinor).toBe(-700n);
    expect(after.capturedMinor - before.capturedMinor).toBe(400n);
    expect(after.reversedMinor - before.reversedMinor).toBe(400n);
    expect(after.availableMinor - before.availableMinor).toBe(700n);
    expect(await journalSums('twins')).toEqual({
      available: String(after.availableMinor),
      holding: String(after.holdingMinor),
    });
  });
});
