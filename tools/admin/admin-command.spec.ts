// The admin commands over the application's in-memory ports: each command's
// outcome, repeats that change nothing, and refusals as typed errors.
import { inMemoryLayers } from '@airtime/application/testing';
import { Either } from 'effect';
import { type AdminAction, runAdminCommand } from './admin-command.use-case';

const world = () => {
  const made = inMemoryLayers();
  return { ...made, admin: (action: AdminAction) => made.runEither(runAdminCommand(action)) };
};

const open = { kind: 'account-create', accountId: 'acme', name: 'Acme Ltd' } as const;

describe('runAdminCommand', () => {
  it('opens an account once: the same again changes nothing, another name is refused', async () => {
    const { admin } = world();
    expect(await admin(open)).toMatchObject({ right: { kind: 'account-created', created: true } });
    expect(await admin(open)).toMatchObject({ right: { created: false, account: { id: 'acme', name: 'Acme Ltd' } } });
    expect(await admin({ ...open, name: 'Other' })).toMatchObject({ left: { _tag: 'AccountAlreadyExists' } });
    expect(await admin({ ...open, accountId: ' ' })).toMatchObject({ left: { _tag: 'InvalidInput', field: 'id' } });
  });

  it('deposits under a deposit id once, or under a made one, and sets a credit limit', async () => {
    const { admin } = world();
    await admin(open);
    const deposit = {
      kind: 'account-deposit',
      accountId: 'acme',
      currency: 'USD',
      amount: '100.00',
      depositId: 'd-1',
    } as const;
    expect(await admin(deposit)).toMatchObject({
      right: { kind: 'deposited', deposited: true, depositIdMade: false, balance: { availableMinor: 10_000n } },
    });
    expect(await admin(deposit)).toMatchObject({ right: { deposited: false, balance: { availableMinor: 10_000n } } });
    const made = await admin({ ...deposit, depositId: undefined });
    expect(made).toMatchObject({
      right: { deposited: true, depositIdMade: true, balance: { availableMinor: 20_000n } },
    });
    expect(Either.getOrThrow(made)).toMatchObject({ depositId: expect.stringMatching(/^admin-deposit-/) });
    expect(await admin({ ...deposit, amount: '50.00' })).toMatchObject({ left: { _tag: 'IdempotencyConflict' } });
    expect(await admin({ ...deposit, amount: '0' })).toMatchObject({ left: { _tag: 'InvalidInput', field: 'amount' } });
    expect(await admin({ ...deposit, accountId: 'nobody' })).toMatchObject({
      left: { _tag: 'CustomerAccountNotFound' },
    });
    expect(
      await admin({ kind: 'account-credit-limit', accountId: 'acme', currency: 'USD', creditLimit: '25.50' }),
    ).toMatchObject({ right: { kind: 'credit-limit-set', balance: { creditLimitMinor: 2_550n } } });
  });

  it('creates a key for accounts of the directory, lists it, revokes it', async () => {
    const { admin } = world();
    await admin(open);
    await admin({ ...open, accountId: 'acme-eu' });
    const created = Either.getOrThrow(
      await admin({ kind: 'key-create', accountIds: ['acme', 'acme-eu'], label: 'billing' }),
    );
    if (created.kind !== 'key-created') throw new Error('expected a key');
    expect(created.key).toMatch(/^atk_[0-9a-f]{12}_/);
    expect(created.apiKey.accountIds).toEqual(['acme', 'acme-eu']);
    const listed = Either.getOrThrow(await admin({ kind: 'key-list', accountId: 'acme-eu' }));
    expect(listed).toMatchObject({ kind: 'key-list', keys: [{ id: created.apiKey.id, label: 'billing' }] });
    expect(await admin({ kind: 'key-revoke', keyId: created.apiKey.id })).toMatchObject({
      right: { kind: 'key-revoked', apiKey: { id: created.apiKey.id, revokedAt: expect.any(Date) } },
    });
    expect(await admin({ kind: 'key-revoke', keyId: 'no-such-key' })).toMatchObject({
      left: { _tag: 'ApiKeyNotFound' },
    });
    expect(await admin({ kind: 'key-create', accountIds: ['acme', 'nobody'], label: 'x' })).toMatchObject({
      left: { _tag: 'CustomerAccountNotFound' },
    });
    expect(await admin({ kind: 'key-list', accountId: 'nobody' })).toMatchObject({
      left: { _tag: 'CustomerAccountNotFound' },
    });
  });
});
