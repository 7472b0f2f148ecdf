// The demo account over the application's in-memory ports: opened and
// funded once over many starts, a new key each start with the earlier
// starts' keys revoked, keys made by others left alone; an account with
// the id npm start did not open is refused, untouched.
import { authenticateApiKey, issueApiKey, openCustomerAccount } from '@airtime/application';
import { inMemoryLayers } from '@airtime/application/testing';
import { Either } from 'effect';
import { DEMO_ACCOUNT, DEMO_ACCOUNT_ID_MAX_LENGTH, depositIdOf, prepareDemoAccount } from './demo-account.use-case';

describe('prepareDemoAccount', () => {
  it('opens and funds the account once, and makes a new key each start, revoking the last', async () => {
    const world = inMemoryLayers();
    const first = await world.run(prepareDemoAccount());
    expect(first).toMatchObject({
      accountId: 'demo',
      currency: 'USD',
      opened: true,
      deposited: true,
      funded: '1000.00',
      available: '1000.00',
      revokedKeys: 0,
    });
    expect(first.key).toMatch(/^atk_[0-9a-f]{12}_[A-Za-z0-9_-]+$/);
    const other = await world.run(issueApiKey({ label: 'billing', accountIds: ['demo'] }));

    const second = await world.run(prepareDemoAccount());
    expect(second).toMatchObject({ opened: false, deposited: false, available: '1000.00', revokedKeys: 1 });
    expect(second.key).not.toBe(first.key);

    expect(await world.runEither(authenticateApiKey(first.key))).toMatchObject({ left: { _tag: 'ApiKeyRefused' } });
    expect(Either.getOrThrow(await world.runEither(authenticateApiKey(second.key)))).toMatchObject({
      keyId: second.keyId,
      accountIds: ['demo'],
    });
    // a key someone else made for the account stays valid
    expect(Either.isRight(await world.runEither(authenticateApiKey(other.key)))).toBe(true);

    const third = await world.run(prepareDemoAccount());
    expect(third).toMatchObject({ deposited: false, revokedKeys: 1 });
  });

  it('touches nothing of an account demo npm start did not open (another name): DemoAccountTaken', async () => {
    const world = inMemoryLayers();
    await world.run(openCustomerAccount({ id: DEMO_ACCOUNT.id, name: 'Opened by hand' }));
    const before = world.database.tables();
    expect(await world.runEither(prepareDemoAccount())).toEqual(
      Either.left(expect.objectContaining({ _tag: 'DemoAccountTaken', code: 'DEMO_ACCOUNT_TAKEN' })),
    );
    const after = world.database.tables();
    expect(after.ledger.accounts.size).toBe(0);
    expect(after.ledger.deposits.size).toBe(0);
    expect(after.apiKeys).toEqual(before.apiKeys);
    expect(after.apiKeys.size).toBe(0);
    expect(Either.isLeft(await world.runEither(prepareDemoAccount()))).toBe(true);
  });

  it('prepares another id (START_DEMO_ACCOUNT) as its own, with a deposit id of its own', async () => {
    const world = inMemoryLayers();
    await world.run(openCustomerAccount({ id: DEMO_ACCOUNT.id, name: 'Opened by hand' }));
    const first = await world.run(prepareDemoAccount('demo-2'));
    expect(first).toMatchObject({ accountId: 'demo-2', opened: true, deposited: true, available: '1000.00' });
    expect(await world.run(prepareDemoAccount('demo-2'))).toMatchObject({ opened: false, deposited: false });
    expect([...world.database.tables().ledger.deposits.keys()]).toEqual([depositIdOf('demo-2')]);
    expect(depositIdOf('d'.repeat(DEMO_ACCOUNT_ID_MAX_LENGTH)).length).toBeLessThanOrEqual(100);
  });
});
