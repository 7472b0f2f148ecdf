import { Either } from 'effect';
import { inMemoryLayers } from '../../testing';
import { depositFunds } from '../deposit-funds/deposit-funds.use-case';
import { openCustomerAccount } from '../open-customer-account/open-customer-account.use-case';
import { setAccountCreditLimit } from './set-account-credit-limit.use-case';

const setUp = async () => {
  const world = inMemoryLayers();
  await world.run(openCustomerAccount({ id: 'team-a', name: 'Team A' }));
  return world;
};

describe('setAccountCreditLimit', () => {
  it('opens the ledger account with the limit when missing, then changes it', async () => {
    const world = await setUp();
    expect(
      await world.run(setAccountCreditLimit({ accountId: 'team-a', currency: 'USD', creditLimit: '250.00' })),
    ).toMatchObject({ currency: { code: 'USD' }, creditLimitMinor: 25_000n, availableMinor: 0n });
    expect(
      await world.run(setAccountCreditLimit({ accountId: 'team-a', currency: 'USD', creditLimit: '0' })),
    ).toMatchObject({ creditLimitMinor: 0n });
    expect(
      await world.run(setAccountCreditLimit({ accountId: 'team-a', currency: 'USD', creditLimit: '0' })),
    ).toMatchObject({ creditLimitMinor: 0n });
  });

  it('keeps the deposits of an account already funded', async () => {
    const world = await setUp();
    await world.run(depositFunds({ accountId: 'team-a', currency: 'USD', amount: '5', depositId: 'w' }));
    expect(
      await world.run(setAccountCreditLimit({ accountId: 'team-a', currency: 'USD', creditLimit: '1.25' })),
    ).toMatchObject({ creditLimitMinor: 125n, availableMinor: 500n });
  });

  it('refuses an account not in the directory and a limit not exact in the currency', async () => {
    const world = await setUp();
    expect(
      await world.runEither(setAccountCreditLimit({ accountId: 'team-z', currency: 'USD', creditLimit: '1' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound' })));
    expect(
      await world.runEither(setAccountCreditLimit({ accountId: 'team-a', currency: 'USD', creditLimit: '1.001' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'creditLimit' })));
    expect(
      await world.runEither(setAccountCreditLimit({ accountId: 'team-a', currency: 'USD', creditLimit: '-1' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'creditLimit' })));
  });
});
