import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts, principalOf } from '../../testing';
import { depositFunds } from '../deposit-funds/deposit-funds.use-case';
import { accountJournal } from './account-journal.use-case';

const setUp = async () => {
  const world = inMemoryLayers();
  await world.run(openFundedAccounts(['account-1', 'account-2'], 0n));
  for (const [index, accountId] of ['account-1', 'account-2', 'account-1', 'account-1'].entries())
    await world.run(depositFunds({ accountId, currency: 'USD', amount: `${index + 1}`, depositId: `d-${index}` }));
  return world;
};

describe('accountJournal', () => {
  it("pages the account's own entries newest first, with their total", async () => {
    const world = await setUp();
    const principal = principalOf('account-1');
    const first = await world.run(accountJournal({ principal, accountId: 'account-1', perPage: 2 }));
    expect(first).toMatchObject({ total: 3, page: 1, perPage: 2 });
    expect(first.items.map((entry) => entry.reference)).toEqual(['d-3', 'd-2']);
    const second = await world.run(accountJournal({ principal, accountId: 'account-1', page: '2', perPage: '2' }));
    expect(second.items.map((entry) => entry.reference)).toEqual(['d-0']);
    const past = await world.run(accountJournal({ principal, accountId: 'account-1', page: 3, perPage: 2 }));
    expect(past).toMatchObject({ items: [], total: 3 });
    expect(await world.run(accountJournal({ principal, accountId: 'account-1' }))).toMatchObject({
      page: 1,
      perPage: 20,
      total: 3,
    });
  });

  it('refuses an account out of scope and bad pages', async () => {
    const world = await setUp();
    const principal = principalOf('account-1');
    expect(await world.runEither(accountJournal({ principal, accountId: 'account-2' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound' })),
    );
    for (const [change, field] of [
      [{ page: 0 }, 'page'],
      [{ page: 1.5 }, 'page'],
      [{ page: '-1' }, 'page'],
      [{ perPage: 0 }, 'perPage'],
      [{ perPage: 101 }, 'perPage'],
      [{ perPage: '1e2' }, 'perPage'],
    ] as const)
      expect(await world.runEither(accountJournal({ principal, accountId: 'account-1', ...change }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field })),
      );
  });
});
