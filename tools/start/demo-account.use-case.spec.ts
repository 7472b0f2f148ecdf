// The demo account over the application's in-memory ports: opened and
// funded once over many starts, a new key each start with the earlier
// starts' keys revoked, keys made by others left alone.
import { authenticateApiKey, issueApiKey, openCustomerAccount } from '@airtime/application';
import { inMemoryLayers } from '@airtime/application/testing';
import { Either } from 'effect';
import { DEMO_ACCOUNT, prepareDemoAccount } from './demo-account.use-case';

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

  it('uses an account demo opened under another name as it is', async () => {
    const world = inMemoryLayers();
    await world.run(openCustomerAccount({ id: DEMO_ACCOUNT.id, name: 'Opened by hand' }));
    expect(await world.run(prepareDemoAccount())).toMatchObject({ opened: false, deposited: true });
  });
});
