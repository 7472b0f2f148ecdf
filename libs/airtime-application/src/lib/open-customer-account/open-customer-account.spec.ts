import { Either } from 'effect';
import { inMemoryLayers } from '../../testing';
import { openCustomerAccount } from './open-customer-account.use-case';

describe('openCustomerAccount', () => {
  it('adds the account to the directory; again with the same name changes nothing', async () => {
    const world = inMemoryLayers();
    const opened = await world.run(openCustomerAccount({ id: 'team-a', name: ' Team A ' }));
    expect(opened).toEqual({
      account: { id: 'team-a', name: 'Team A', createdAt: world.clock.current() },
      created: true,
    });
    world.clock.advance(1000);
    expect(await world.run(openCustomerAccount({ id: 'team-a', name: 'Team A' }))).toEqual({
      account: opened.account,
      created: false,
    });
    expect([...world.database.tables().accounts.values()]).toEqual([opened.account]);
  });

  it('refuses the same id with another name', async () => {
    const world = inMemoryLayers();
    await world.run(openCustomerAccount({ id: 'team-a', name: 'Team A' }));
    expect(await world.runEither(openCustomerAccount({ id: 'team-a', name: 'Team B' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'AccountAlreadyExists', code: 'ACCOUNT_ALREADY_EXISTS' })),
    );
  });

  it('refuses an id that breaks the identifier rule or is not NFC, and an empty name', async () => {
    const world = inMemoryLayers();
    for (const [input, field] of [
      [{ id: '', name: 'x' }, 'id'],
      [{ id: ' team', name: 'x' }, 'id'],
      [{ id: 'a'.repeat(101), name: 'x' }, 'id'],
      [{ id: 'e\u0301quipe', name: 'x' }, 'id'],
      [{ id: 'team\u202e', name: 'x' }, 'id'],
      [{ id: 'team-a', name: ' ' }, 'name'],
      [{ id: 'team-a' }, 'name'],
    ] as const) {
      expect(await world.runEither(openCustomerAccount(input))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field })),
      );
    }
    expect(world.database.tables().accounts.size).toBe(0);
  });
});
