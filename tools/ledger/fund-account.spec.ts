// fundAccount on the in-memory ledger (the pure ledger's rules): opens the
// account once, credits a deposit id once, and keeps what others set.
import { currencyOf, LedgerStore } from '@airtime/domain';
import { makeInMemoryDatabase, makeInMemoryLedgerStore } from '@airtime/application/testing';
import { Effect, Either } from 'effect';
import { fundAccount, type FundAccountInput } from './fund-account.use-case';

const USD = Either.getOrThrow(currencyOf('USD'));

const demo: FundAccountInput = { accountId: 'demo', currency: USD, amountMinor: 100_000n, depositId: 'demo-usd-1' };

const setUp = () => {
  const ledger = makeInMemoryLedgerStore(makeInMemoryDatabase());
  const run = (input: FundAccountInput = demo) =>
    Effect.runPromise(Effect.either(fundAccount(input).pipe(Effect.provideService(LedgerStore, ledger))));
  return { ledger, run };
};

describe('fundAccount', () => {
  it('opens a missing account and deposits the amount', async () => {
    const { run } = setUp();
    const result = Either.getOrThrow(await run());
    expect(result).toMatchObject({ opened: true, deposited: true });
    expect(result.account).toMatchObject({ availableMinor: 100_000n, fundedMinor: 100_000n, creditLimitMinor: 0n });
  });

  it('adds nothing when run again with the same deposit id', async () => {
    const { run } = setUp();
    await run();
    const again = Either.getOrThrow(await run());
    expect(again).toMatchObject({ opened: false, deposited: false });
    expect(again.account).toMatchObject({ availableMinor: 100_000n, fundedMinor: 100_000n });
  });

  it('does not top the account back up after money was spent', async () => {
    const { ledger, run } = setUp();
    await run();
    await Effect.runPromise(
      ledger.authorize({ accountId: 'demo', currency: USD, transactionId: 'top-up-1', amountMinor: 2_500n }),
    );
    const again = Either.getOrThrow(await run());
    expect(again.deposited).toBe(false);
    expect(again.account).toMatchObject({ availableMinor: 97_500n, holdingMinor: 2_500n, fundedMinor: 100_000n });
  });

  it('keeps an account opened by someone else with a credit limit', async () => {
    const { ledger, run } = setUp();
    await Effect.runPromise(ledger.openAccount({ accountId: 'demo', currency: USD, creditLimitMinor: 5_000n }));
    const result = Either.getOrThrow(await run());
    expect(result).toMatchObject({ opened: false, deposited: true });
    expect(result.account).toMatchObject({ creditLimitMinor: 5_000n, availableMinor: 100_000n });
  });

  it('funds another deposit id again, and refuses a known id with another amount', async () => {
    const { run } = setUp();
    await run();
    const second = Either.getOrThrow(await run({ ...demo, depositId: 'demo-usd-2' }));
    expect(second.account.fundedMinor).toBe(200_000n);
    const conflict = await run({ ...demo, amountMinor: 1n });
    expect(Either.isLeft(conflict) && conflict.left._tag).toBe('IdempotencyConflict');
  });

  it('refuses an invalid account id with the ledger error, before opening anything', async () => {
    const { ledger, run } = setUp();
    const refused = await run({ ...demo, accountId: ' ' });
    expect(Either.isLeft(refused) && refused.left._tag).toBe('InvalidIdentifier');
    const lookup = await Effect.runPromise(Effect.either(ledger.account('demo', 'USD')));
    expect(Either.isLeft(lookup) && lookup.left._tag).toBe('AccountNotFound');
  });
});

describe('fundAccount with a credit limit', () => {
  it('opens a missing account with the credit limit asked for', async () => {
    const { run } = setUp();
    const result = Either.getOrThrow(await run({ ...demo, creditLimitMinor: 5_000n }));
    expect(result).toMatchObject({ opened: true, deposited: true, creditLimitChanged: false });
    expect(result.account).toMatchObject({ creditLimitMinor: 5_000n, availableMinor: 100_000n });
  });

  it('sets it on an account already open with another, and changes nothing the second time', async () => {
    const { run } = setUp();
    await run();
    const raised = Either.getOrThrow(await run({ ...demo, depositId: 'demo-usd-2', creditLimitMinor: 7_000n }));
    expect(raised).toMatchObject({ opened: false, deposited: true, creditLimitChanged: true });
    expect(raised.account).toMatchObject({ creditLimitMinor: 7_000n, fundedMinor: 200_000n });
    const again = Either.getOrThrow(await run({ ...demo, depositId: 'demo-usd-2', creditLimitMinor: 7_000n }));
    expect(again).toMatchObject({ deposited: false, creditLimitChanged: false });
    expect(again.account).toMatchObject({ creditLimitMinor: 7_000n, fundedMinor: 200_000n });
  });

  it('keeps the limit of an open account when none is asked for', async () => {
    const { run } = setUp();
    await run({ ...demo, creditLimitMinor: 7_000n });
    const result = Either.getOrThrow(await run({ ...demo, depositId: 'demo-usd-2' }));
    expect(result).toMatchObject({ creditLimitChanged: false, account: { creditLimitMinor: 7_000n } });
  });

  it('refuses a limit that does not cover what the account draws on, the deposit made', async () => {
    const { ledger, run } = setUp();
    await run({ ...demo, amountMinor: 1_000n, creditLimitMinor: 10_000n });
    await Effect.runPromise(
      ledger.authorize({ accountId: 'demo', currency: USD, transactionId: 'top-up-1', amountMinor: 6_000n }),
    );
    const refused = await run({ ...demo, depositId: 'demo-usd-2', amountMinor: 2_000n, creditLimitMinor: 0n });
    expect(Either.isLeft(refused) && refused.left._tag).toBe('CreditLimitInUse');
    const account = await Effect.runPromise(ledger.account('demo', 'USD'));
    expect(account).toMatchObject({ creditLimitMinor: 10_000n, availableMinor: -3_000n, fundedMinor: 3_000n });
  });
});
