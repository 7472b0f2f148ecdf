import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts, principalOf, requestedTopUp, sampleCatalogue } from '../../testing';
import { depositFunds } from '../deposit-funds/deposit-funds.use-case';
import { accountBalances } from './account-balances.use-case';

describe('accountBalances', () => {
  it('answers the ledger accounts of an account of the scope, by currency, holds included', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(openFundedAccounts(['account-1', 'account-2'], 10_000n));
    await world.run(depositFunds({ accountId: 'account-1', currency: 'KES', amount: '50', depositId: 'kes-1' }));
    await world.run(requestedTopUp());
    const balances = await world.run(accountBalances({ principal: principalOf('account-1'), accountId: 'account-1' }));
    expect(balances.map((account) => account.currency.code)).toEqual(['KES', 'USD']);
    expect(balances[1]).toMatchObject({ availableMinor: 10_000n - 186n, holdingMinor: 186n, creditLimitMinor: 0n });
  });

  it('answers an empty list for an account of the scope never funded', async () => {
    const world = inMemoryLayers();
    expect(await world.run(accountBalances({ principal: principalOf('fresh'), accountId: 'fresh' }))).toEqual([]);
  });

  it('answers an account out of the scope, existing or not, CustomerAccountNotFound', async () => {
    const world = inMemoryLayers();
    await world.run(openFundedAccounts(['account-1', 'account-2']));
    for (const accountId of ['account-2', 'account-9'])
      expect(await world.runEither(accountBalances({ principal: principalOf('account-1'), accountId }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound', code: 'ACCOUNT_NOT_FOUND' })),
      );
    expect(await world.runEither(accountBalances({ principal: principalOf('account-1'), accountId: '' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'accountId' })),
    );
  });
});
