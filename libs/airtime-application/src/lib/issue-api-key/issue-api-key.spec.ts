import { Effect, Either } from 'effect';
import { inMemoryLayers, openFundedAccounts } from '../../testing';
import { hashSecret, parseApiKey } from '../api-access/api-key';
import { ApiKeyStore } from '../ports/api-keys.port';
import { issueApiKey } from './issue-api-key.use-case';

const setUp = async () => {
  const world = inMemoryLayers();
  await world.run(openFundedAccounts(['team-a', 'team-b']));
  return world;
};

describe('issueApiKey', () => {
  it('issues a key shown once: stored by prefix with the SHA-256 of its secret, scoped to its accounts', async () => {
    const world = await setUp();
    const issued = await world.run(
      issueApiKey({ label: ' payments team ', accountIds: ['team-a', 'team-b', 'team-a'] }),
    );
    const parts = parseApiKey(issued.key);
    expect(parts).toBeDefined();
    expect(issued.apiKey).toMatchObject({
      prefix: parts?.prefix,
      secretHash: hashSecret(parts?.secret ?? ''),
      label: 'payments team',
      accountIds: ['team-a', 'team-b'],
      createdAt: world.clock.current(),
    });
    expect(issued.apiKey.revokedAt).toBeUndefined();
    const stored = [...world.database.tables().apiKeys.values()];
    expect(stored).toEqual([issued.apiKey]);
    expect(JSON.stringify(stored)).not.toContain(parts?.secret);
    const found = await world.run(Effect.flatMap(ApiKeyStore, (store) => store.findByPrefix(parts?.prefix ?? '')));
    expect(found).toEqual(expect.objectContaining({ value: issued.apiKey }));
  });

  it('gives every key its own id, prefix and secret', async () => {
    const world = await setUp();
    const first = await world.run(issueApiKey({ label: 'one', accountIds: ['team-a'] }));
    const second = await world.run(issueApiKey({ label: 'two', accountIds: ['team-a'] }));
    expect(first.apiKey.id).not.toBe(second.apiKey.id);
    expect(first.apiKey.prefix).not.toBe(second.apiKey.prefix);
    expect(first.key).not.toBe(second.key);
  });

  it('refuses an account that is not in the directory, storing nothing', async () => {
    const world = await setUp();
    expect(await world.runEither(issueApiKey({ label: 'x', accountIds: ['team-a', 'team-z'] }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound', accountId: 'team-z' })),
    );
    expect(world.database.tables().apiKeys.size).toBe(0);
  });

  it('refuses bad input naming the field', async () => {
    const world = await setUp();
    for (const [input, field] of [
      [{ label: '', accountIds: ['team-a'] }, 'label'],
      [{ label: '   ', accountIds: ['team-a'] }, 'label'],
      [{ label: 'x', accountIds: [] }, 'accountIds'],
      [{ label: 'x', accountIds: [' team-a'] }, 'accountIds.0'],
      [{ label: 'x' }, 'accountIds'],
      ['not an object', 'input'],
    ] as const) {
      expect(await world.runEither(issueApiKey(input))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', code: 'INVALID_INPUT', field })),
      );
    }
  });
});
