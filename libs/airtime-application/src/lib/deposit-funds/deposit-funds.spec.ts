import { Either } from 'effect';
import { inMemoryLayers } from '../../testing';
import { openCustomerAccount } from '../open-customer-account/open-customer-account.use-case';
import { depositFunds } from './deposit-funds.use-case';

const setUp = async () => {
  const world = inMemoryLayers();
  await world.run(openCustomerAccount({ id: 'team-a', name: 'Team A' }));
  return world;
};

describe('depositFunds', () => {
  it('opens the ledger account in the currency and deposits the exact amount; a repeat adds nothing', async () => {
    const world = await setUp();
    const input = { accountId: 'team-a', currency: 'USD', amount: '100.50', depositId: 'wire-1' };
    const first = await world.run(depositFunds(input));
    expect(first).toMatchObject({
      deposited: true,
      entry: { kind: 'DEPOSIT', reference: 'wire-1', amountMinor: 10_050n },
      account: { accountId: 'team-a', currency: { code: 'USD' }, availableMinor: 10_050n, creditLimitMinor: 0n },
    });
    expect(await world.run(depositFunds({ ...input, amount: '100.5000' }))).toMatchObject({
      deposited: false,
      account: { availableMinor: 10_050n },
    });
    expect(await world.run(depositFunds({ ...input, currency: 'KES', depositId: 'wire-2' }))).toMatchObject({
      account: { currency: { code: 'KES' }, availableMinor: 10_050n },
    });
  });

  it("keeps every digit of a large amount (no float on the way), up to the ledger's largest", async () => {
    const world = await setUp();
    const answer = await world.run(
      depositFunds({ accountId: 'team-a', currency: 'USD', amount: '22517998136852.48', depositId: 'big' }),
    );
    expect(answer.account.availableMinor).toBe(2_251_799_813_685_248n);
    // 2^53 + 1 minor units: a float would read 9007199254740992; the refusal names the amount as given
    expect(
      await world.runEither(
        depositFunds({ accountId: 'team-a', currency: 'USD', amount: '90071992547409.93', depositId: 'bigger' }),
      ),
    ).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidLedgerAmount', amountMinor: 9_007_199_254_740_993n })),
    );
  });

  it('refuses the same deposit id with another amount (the ledger conflict)', async () => {
    const world = await setUp();
    await world.run(depositFunds({ accountId: 'team-a', currency: 'USD', amount: '10', depositId: 'wire-1' }));
    expect(
      await world.runEither(depositFunds({ accountId: 'team-a', currency: 'USD', amount: '11', depositId: 'wire-1' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'IdempotencyConflict' })));
  });

  it('opens no ledger account for a refused deposit (one unit of work)', async () => {
    const world = await setUp();
    await world.run(depositFunds({ accountId: 'team-a', currency: 'USD', amount: '10', depositId: 'wire-1' }));
    expect(
      await world.runEither(depositFunds({ accountId: 'team-a', currency: 'KES', amount: '10', depositId: 'wire-1' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'IdempotencyConflict' })));
    expect([...world.database.tables().ledger.accounts.values()].map((account) => account.currency.code)).toEqual([
      'USD',
    ]);
  });

  it('refuses an account not in the directory, opening nothing', async () => {
    const world = await setUp();
    expect(
      await world.runEither(depositFunds({ accountId: 'team-z', currency: 'USD', amount: '10', depositId: 'w' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound', code: 'ACCOUNT_NOT_FOUND' })));
    expect(world.database.tables().ledger.accounts.size).toBe(0);
  });

  it('refuses bad fields by name: amounts not exact, zero, numbers; unknown currencies', async () => {
    const world = await setUp();
    const valid = { accountId: 'team-a', currency: 'USD', amount: '10', depositId: 'w' };
    for (const [change, field] of [
      [{ amount: '10.001' }, 'amount'],
      [{ amount: '0' }, 'amount'],
      [{ amount: '0.00' }, 'amount'],
      [{ amount: 10 }, 'amount'],
      [{ amount: '-1' }, 'amount'],
      [{ amount: '1e3' }, 'amount'],
      [{ currency: 'usd' }, 'currency'],
      [{ currency: 'XXX' }, 'currency'],
      [{ depositId: '' }, 'depositId'],
      [{ accountId: undefined }, 'accountId'],
    ] as const) {
      expect(await world.runEither(depositFunds({ ...valid, ...change }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field })),
      );
    }
    expect(world.database.tables().ledger.journal).toEqual([]);
  });
});
