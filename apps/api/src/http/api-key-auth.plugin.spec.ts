import { issueApiKey, openCustomerAccount, revokeApiKey } from '@airtime/application';
import { inMemoryLayers } from '@airtime/application/testing';
import type { FastifyRequest } from 'fastify';
import { bearerKeyOf, makeApiKeyAuthenticator } from './api-key-auth.plugin';

const requestWith = (authorization: string | undefined) =>
  ({ headers: authorization === undefined ? {} : { authorization }, principal: null }) as unknown as FastifyRequest;

describe('API-key authentication', () => {
  it('reads the key of a Bearer header, and nothing else', () => {
    expect(bearerKeyOf('Bearer atk_abc_def')).toBe('atk_abc_def');
    expect(bearerKeyOf('bearer \t atk_abc_def ')).toBe('atk_abc_def');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic atk_abc', 'Bearer a b', 'atk_abc_def', 42]) {
      expect(bearerKeyOf(header)).toBeUndefined();
    }
    expect(bearerKeyOf(`Bearer ${'a'.repeat(513)}`)).toBeUndefined();
  });

  it('sets the principal of a valid key; remembers it for the cache time only; never remembers a refusal', async () => {
    const world = inMemoryLayers();
    await world.run(openCustomerAccount({ id: 'team-growth', name: 'Growth' }));
    const issued = await world.run(issueApiKey({ label: 'ci', accountIds: ['team-growth'] }));
    let now = 1_000;
    const authenticate = makeApiKeyAuthenticator({ runtime: world.runtime, cacheMs: 5_000, now: () => now });

    const first = requestWith(`Bearer ${issued.key}`);
    await authenticate(first);
    expect(first.principal).toEqual({ keyId: issued.apiKey.id, accountIds: ['team-growth'] });

    await world.run(revokeApiKey(issued.apiKey.id));
    now += 4_999;
    const cached = requestWith(`Bearer ${issued.key}`);
    await authenticate(cached);
    expect(cached.principal).toEqual(first.principal);

    now += 2;
    await expect(authenticate(requestWith(`Bearer ${issued.key}`))).rejects.toMatchObject({
      _tag: 'ApiKeyRefused',
      code: 'UNAUTHENTICATED',
    });
    await expect(authenticate(requestWith(undefined))).rejects.toMatchObject({ _tag: 'ApiKeyRefused' });
    await expect(authenticate(requestWith('Bearer atk_000000000000_nope'))).rejects.toMatchObject({
      _tag: 'ApiKeyRefused',
    });
    await world.runtime.dispose();
  });

  it('caps the cache at 5 s and can do without it', async () => {
    const world = inMemoryLayers();
    await world.run(openCustomerAccount({ id: 'team-growth', name: 'Growth' }));
    const issued = await world.run(issueApiKey({ label: 'ci', accountIds: ['team-growth'] }));
    let now = 0;
    const capped = makeApiKeyAuthenticator({ runtime: world.runtime, cacheMs: 60_000, now: () => now });
    const uncached = makeApiKeyAuthenticator({ runtime: world.runtime, cacheMs: 0 });
    await capped(requestWith(`Bearer ${issued.key}`));
    await uncached(requestWith(`Bearer ${issued.key}`));
    await world.run(revokeApiKey(issued.apiKey.id));
    await expect(uncached(requestWith(`Bearer ${issued.key}`))).rejects.toMatchObject({ _tag: 'ApiKeyRefused' });
    now = 5_001;
    await expect(capped(requestWith(`Bearer ${issued.key}`))).rejects.toMatchObject({ _tag: 'ApiKeyRefused' });
    await world.runtime.dispose();
  });
});
