import { Either } from 'effect';
import fc from 'fast-check';
import { inMemoryLayers, openFundedAccounts } from '../../testing';
import { issueApiKey } from '../issue-api-key/issue-api-key.use-case';
import { revokeApiKey } from '../revoke-api-key/revoke-api-key.use-case';
import { authenticateApiKey } from './authenticate-api-key.use-case';

const setUp = async () => {
  const world = inMemoryLayers();
  await world.run(openFundedAccounts(['team-a', 'team-b']));
  const live = await world.run(issueApiKey({ label: 'live', accountIds: ['team-a', 'team-b'] }));
  const revoked = await world.run(issueApiKey({ label: 'revoked', accountIds: ['team-a'] }));
  await world.run(revokeApiKey(revoked.apiKey.id));
  return { world, live, revoked };
};

const refused = Either.left(
  expect.objectContaining({
    _tag: 'ApiKeyRefused',
    code: 'UNAUTHENTICATED',
    message: 'the API key is missing or not valid',
  }),
);

describe('authenticateApiKey', () => {
  it('answers the principal of an issued, unrevoked key', async () => {
    const { world, live } = await setUp();
    expect(await world.run(authenticateApiKey(live.key))).toEqual({
      keyId: live.apiKey.id,
      accountIds: ['team-a', 'team-b'],
    });
  });

  it('refuses a revoked key, a wrong secret, an unknown prefix and non-keys alike', async () => {
    const { world, live, revoked } = await setUp();
    const [, prefix] = live.key.split('_');
    for (const text of [
      revoked.key,
      `${live.key}x`,
      live.key.slice(0, -1),
      `atk_${prefix}_${revoked.key.split('_').slice(2).join('_')}`,
      `atk_ffffffffffff_${live.key.split('_').slice(2).join('_')}`,
      '',
      undefined,
      `Bearer ${live.key}`,
    ])
      expect(await world.runEither(authenticateApiKey(text))).toEqual(refused);
  });

  it('refuses any text other than the issued, unrevoked key', async () => {
    const { world, live, revoked } = await setUp();
    const nearKeys = fc
      .tuple(fc.nat({ max: live.key.length - 1 }), fc.stringMatching(/^[A-Za-z0-9_-]$/))
      .map(([at, character]) => `${live.key.slice(0, at)}${character}${live.key.slice(at + 1)}`);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^atk_[0-9a-f]{12}_[A-Za-z0-9_-]{1,60}$/),
          nearKeys,
          fc.constant(revoked.key),
        ),
        async (text) => {
          fc.pre(text !== live.key);
          expect(await world.runEither(authenticateApiKey(text))).toEqual(refused);
        },
      ),
      { numRuns: 300 },
    );
  });
});
