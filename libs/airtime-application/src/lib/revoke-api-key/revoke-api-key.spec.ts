import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts } from '../../testing';
import { authenticateApiKey } from '../authenticate-api-key/authenticate-api-key.use-case';
import { issueApiKey } from '../issue-api-key/issue-api-key.use-case';
import { revokeApiKey } from './revoke-api-key.use-case';

describe('revokeApiKey', () => {
  it('revokes a key (then refused); revoking again keeps the first time', async () => {
    const world = inMemoryLayers();
    await world.run(openFundedAccounts(['team-a']));
    const issued = await world.run(issueApiKey({ label: 'k', accountIds: ['team-a'] }));
    const revokedAt = world.clock.current();
    expect(await world.run(revokeApiKey(issued.apiKey.id))).toMatchObject({ id: issued.apiKey.id, revokedAt });
    expect(await world.runEither(authenticateApiKey(issued.key))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ApiKeyRefused' })),
    );
    world.clock.advance(60_000);
    expect(await world.run(revokeApiKey(issued.apiKey.id))).toMatchObject({ revokedAt });
  });

  it('answers ApiKeyNotFound for an unknown id and InvalidInput for an empty one', async () => {
    const world = inMemoryLayers();
    expect(await world.runEither(revokeApiKey('key-unknown'))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ApiKeyNotFound', code: 'API_KEY_NOT_FOUND' })),
    );
    expect(await world.runEither(revokeApiKey(''))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'keyId' })),
    );
  });
});
