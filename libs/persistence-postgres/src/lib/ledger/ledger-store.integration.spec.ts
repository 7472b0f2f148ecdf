import { type Currency, currencyOf, type LedgerStoreService } from '@airtime/domain';
import { Effect, Either, Exit } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { LEDGER_STORES as STORES } from '../../testing/ledger-stores.fixture';

const KES = Either.getOrThrow(currencyOf('KES'));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));
const failureTag = async <A, E extends { _tag: string }>(effect: Effect.Effect<A, E>) => {
  const result = await run(effect);
  return Either.isLeft(result) ? result.left._tag : 'Right';
};

describe.each(STORES)('ledger store on PostgreSQL (%s store)', (_store, makeStore) => {
  let db: TestDatabase;
  let ledger: LedgerStoreService;
  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = makeStore(db.dataSource);
    await Effect.runPromise(ledger.openAccount({ accountId: 'team', currency: KES, creditLimitMinor: 500n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'team', currency: KES, depositId: 'dep-1', amountMinor: 10_000n }),
    );
  });
  afterAll(async () => db.drop());

  const balances = async () => {
    const account = await Effect.runPromise(ledger.account('team', 'KES'));
    return {
      available: account.availableMinor,
      holding: account.holdingMinor,
      captured: account.capturedMinor,
      reversed: account.reversedMinor,
    };
  };

  it('authorizes, captures part and releases the rest, then reverses', async () => {
    const authorized = await Effect.runPromise(
      ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'tx-1', amountMinor: 1_000n }),
    );
    expect(authorized).toMatchObject({
      applied: true,
      entry: { kind: 'AUTHORIZE', amountMinor: 1_000n, availableDeltaMinor: -1_000n, holdingDeltaMinor: 1_000n },
    });
    expect(await balances()).toEqual({ available: 9_000n, holding: 1_000n, captured: 0n, reversed: 0n });

    const captured = await Effect.runPromise(ledger.capture({ transactionId: 'tx-1', amountMinor: 800n }));
    expect(captured.entry).toMatchObject({
      kind: 'CAPTURE',
      amountMinor: 800n,
      availableDeltaMinor: 200n,
      holdingDeltaMinor: -1_000n,
    });
    expect(await balances()).toEqual({ available: 9_200n, holding: 0n, captured: 800n, reversed: 0n });

    await Effect.runPromise(ledger.reverse({ transactionId: 'tx-1' }));
    expect(await balances()).toEqual({ available: 10_000n, holding: 0n, captured: 800n, reversed: 800n });
  });

  it('is idempotent per transaction: repeats return the recorded entry, other arguments conflict', async () => {
    const first = await Effect.runPromise(
      ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'tx-2', amountMinor: 300n }),
    );
    const again = await Effect.runPromise(
      ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'tx-2', amountMinor: 300n }),
    );
    expect(again).toEqual({ entry: first.entry, applied: false });
    expect(
      await failureTag(
        ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'tx-2', amountMinor: 301n }),
      ),
    ).toBe('IdempotencyConflict');
    const voided = await Effect.runPromise(ledger.voidHold({ transactionId: 'tx-2' }));
    expect(await Effect.runPromise(ledger.voidHold({ transactionId: 'tx-2' }))).toEqual({
      entry: voided.entry,
      applied: false,
    });
    expect(await failureTag(ledger.capture({ transactionId: 'tx-2', amountMinor: 300n }))).toBe('HoldAlreadySettled');
    expect(await failureTag(ledger.reverse({ transactionId: 'tx-2' }))).toBe('HoldNotCaptured');
    expect(await failureTag(ledger.capture({ transactionId: 'nope', amountMinor: 1n }))).toBe('HoldNotFound');
  });

  it('refuses beyond available + credit limit, and the refusal stays after funds arrive', async () => {
    const before = await balances();
    const refused = await run(
      ledger.authorize({
        accountId: 'team',
        currency: KES,
        transactionId: 'tx-big',
        amountMinor: before.available + 501n,
      }),
    );
    expect(Either.isLeft(refused) && refused.left).toMatchObject({
      _tag: 'InsufficientFunds',
      code: 'INSUFFICIENT_FUNDS',
      availableMinor: before.available,
      creditLimitMinor: 500n,
    });
    expect(await balances()).toEqual(before);
    await Effect.runPromise(
      ledger.deposit({ accountId: 'team', currency: KES, depositId: 'dep-2', amountMinor: 1_000_000n }),
    );
    const retried = await run(
      ledger.authorize({
        accountId: 'team',
        currency: KES,
        transactionId: 'tx-big',
        amountMinor: before.available + 501n,
      }),
    );
    expect(retried).toEqual(refused);
    expect(await failureTag(ledger.voidHold({ transactionId: 'tx-big' }))).toBe('HoldNotFound');
  });

  it('lets available go down to minus the credit limit, not below', async () => {
    await Effect.runPromise(ledger.openAccount({ accountId: 'credit', currency: KES, creditLimitMinor: 200n }));
    await Effect.runPromise(
      ledger.authorize({ accountId: 'credit', currency: KES, transactionId: 'c-1', amountMinor: 200n }),
    );
    expect((await Effect.runPromise(ledger.account('credit', 'KES'))).availableMinor).toBe(-200n);
    expect(
      await failureTag(ledger.authorize({ accountId: 'credit', currency: KES, transactionId: 'c-2', amountMinor: 1n })),
    ).toBe('InsufficientFunds');
    expect(
      await failureTag(ledger.setCreditLimit({ accountId: 'credit', currency: KES, creditLimitMinor: 100n })),
    ).toBe('CreditLimitInUse');
  });

  it('answers bad input with typed errors and writes nothing', async () => {
    expect(
      await failureTag(ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'bad', amountMinor: 0n })),
    ).toBe('InvalidLedgerAmount');
    expect(
      await failureTag(ledger.authorize({ accountId: 'ghost', currency: KES, transactionId: 'bad', amountMinor: 5n })),
    ).toBe('AccountNotFound');
    expect(await failureTag(ledger.capture({ transactionId: 'tx-1', amountMinor: -1n }))).toBe('InvalidLedgerAmount');
    expect(await failureTag(ledger.openAccount({ accountId: 'team', currency: KES, creditLimitMinor: 1n }))).toBe(
      'AccountAlreadyOpen',
    );
    expect(await db.dataSource.query(`SELECT * FROM ledger_holds WHERE transaction_id = 'bad'`)).toEqual([]);
    const exit = await Effect.runPromiseExit(ledger.capture({ transactionId: 'tx-1', amountMinor: 1n }));
    expect(Exit.isFailure(exit)).toBe(true);
  });

  const errorOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E> => {
    const result = await run(effect);
    if (Either.isRight(result)) throw new Error('expected a failure, got a success');
    return result.left;
  };
  const count = async (sql: string, parameters: unknown[] = []) =>
    ((await db.dataSource.query(sql, parameters)) as { n: number }[])[0]?.n;

  it("refuses deposit id '' every time (before: applied, then applied: false, the second deposit silently lost)", async () => {
    const before = await balances();
    for (const _ of [1, 2]) {
      expect(
        await errorOf(ledger.deposit({ accountId: 'team', currency: KES, depositId: '', amountMinor: 100n })),
      ).toMatchObject({ _tag: 'InvalidIdentifier', kind: 'DEPOSIT_ID', problem: 'EMPTY' });
    }
    expect(await balances()).toEqual(before);
    expect(await count(`SELECT count(*)::int AS n FROM ledger_journal WHERE reference = ''`)).toBe(0);
  });

  it.each([100_000, 8_000])(
    'refuses a %i-character deposit id up front with a typed error (before: accepted, or PostgreSQL 54000)',
    async (length) => {
      const error = await errorOf(
        ledger.deposit({ accountId: 'team', currency: KES, depositId: 'd'.repeat(length), amountMinor: 100n }),
      );
      expect(error).toMatchObject({ _tag: 'InvalidIdentifier', kind: 'DEPOSIT_ID', problem: 'TOO_LONG', length });
      expect(JSON.stringify(error)).not.toContain('ddd');
    },
  );

  it.each([
    ['blank', '   '],
    ['with a right-to-left override', 'team\u202emaerT'],
    ['with a left-to-right mark', '\u200eteam'],
  ])('refuses an account id %s in openAccount (before: accepted)', async (_, accountId) => {
    expect(await errorOf(ledger.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }))).toMatchObject({
      _tag: 'InvalidIdentifier',
      kind: 'ACCOUNT_ID',
    });
    expect(await count(`SELECT count(*)::int AS n FROM ledger_accounts WHERE account_id = $1`, [accountId])).toBe(0);
  });

  it('refuses bad identifiers in every call, before the database', async () => {
    const bad = 'tx\u2066';
    expect(
      await failureTag(ledger.authorize({ accountId: 'team', currency: KES, transactionId: bad, amountMinor: 5n })),
    ).toBe('InvalidIdentifier');
    expect(await failureTag(ledger.voidHold({ transactionId: bad }))).toBe('InvalidIdentifier');
    expect(await failureTag(ledger.capture({ transactionId: bad, amountMinor: 1n }))).toBe('InvalidIdentifier');
    expect(await failureTag(ledger.reverse({ transactionId: bad }))).toBe('InvalidIdentifier');
    expect(await failureTag(ledger.setCreditLimit({ accountId: ' team', currency: KES, creditLimitMinor: 0n }))).toBe(
      'InvalidIdentifier',
    );
    expect(await failureTag(ledger.account('x'.repeat(101), 'KES'))).toBe('InvalidIdentifier');
  });

  it('refuses a forged KES (exponent 3) for the existing KES account (before: ok)', async () => {
    const forged: Currency = { code: 'KES', exponent: 3 };
    expect(
      await errorOf(ledger.openAccount({ accountId: 'team', currency: forged, creditLimitMinor: 500n })),
    ).toMatchObject({
      _tag: 'InvalidLedgerCurrency',
      currency: 'KES',
      exponent: 3,
      expectedExponent: 2,
    });
    expect(
      await failureTag(
        ledger.deposit({ accountId: 'team', currency: forged, depositId: 'dep-forged', amountMinor: 1n }),
      ),
    ).toBe('InvalidLedgerCurrency');
    expect(await count(`SELECT count(*)::int AS n FROM ledger_accounts WHERE currency_exponent <> 2`)).toBe(0);
  });

  it('refuses an account stored with another exponent than the one asked for, and will not read it', async () => {
    await db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent) VALUES ('legacy', 'KES', 3)`,
    );
    expect(
      await errorOf(ledger.openAccount({ accountId: 'legacy', currency: KES, creditLimitMinor: 0n })),
    ).toMatchObject({
      _tag: 'InvalidLedgerCurrency',
      currency: 'KES',
      exponent: 2,
      expectedExponent: 3,
    });
    expect(await errorOf(ledger.account('legacy', 'KES'))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
    });
  });
});
