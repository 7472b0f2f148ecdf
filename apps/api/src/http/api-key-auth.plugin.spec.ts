import { ApiKeyStore, issueApiKey, openCustomerAccount, revokeApiKey } from '@airtime/application';
import { inMemoryLayers } from '@airtime/application/testing';
import { Effect, Layer, ManagedRuntime } from 'effect';
import Fastify, { type FastifyRequest } from 'fastify';
import { bearerKeyOf, makeApiKeyAuthenticator } from './api-key-auth.plugin';
import { makeAuthFailureLimit, rateLimitPlugin } from './rate-limit.plugin';

const requestWith = (authorization: string | undefined, ip = '127.0.0.1') =>
  ({
    headers: authorization === undefined ? {} : { authorization },
    principal: null,
    ip,
    routeOptions: { config: {} },
  }) as unknown as FastifyRequest;

const WRONG = `atk_000000000000_${'A'.repeat(43)}`;

describe('API-key authentication', () => {
  it('reads the key of a Bearer header, and nothing else', () => {
    expect(bearerKeyOf('Bearer atk_abc_def')).toBe('atk_abc_def');
    expect(bearerKeyOf('bearer \t atk_abc_def ')).toBe('atk_abc_def');
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic atk_abc', 'Bearer a b', 'atk_abc_def', 42]) {
      expect(bearerKeyOf(header)).toBeUndefined();
    }
    expect(bearerKeyOf(`Bearer ${'a'.repeat(513)}`)).toBeUndefined();
  });

  it('sets the principal of a valid key; remembers it for the cache time only', async () => {
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

  it('limits failed authentications per client: past the limit, 429 without a look-up until the window ends; other clients and verified keys unaffected', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const world = inMemoryLayers();
      await world.run(openCustomerAccount({ id: 'team-growth', name: 'Growth' }));
      const issued = await world.run(issueApiKey({ label: 'ci', accountIds: ['team-growth'] }));
      const fresh = await world.run(issueApiKey({ label: 'ci-2', accountIds: ['team-growth'] }));
      const store = await world.run(ApiKeyStore);
      let lookups = 0;
      const counted = ManagedRuntime.make(
        Layer.succeed(ApiKeyStore, {
          ...store,
          findByPrefix: (prefix) => Effect.suspend(() => ((lookups += 1), store.findByPrefix(prefix))),
        }),
      );
      const app = Fastify();
      await app.register(rateLimitPlugin, { perMinute: 1_000 });
      const failures = makeAuthFailureLimit(app, { perMinute: 3 });
      const authenticate = makeApiKeyAuthenticator({ runtime: counted, cacheMs: 5_000, failures });

      await authenticate(requestWith(`Bearer ${issued.key}`));
      for (let i = 0; i < 3; i += 1) {
        await expect(authenticate(requestWith(`Bearer ${WRONG}${i}`))).rejects.toMatchObject({
          _tag: 'ApiKeyRefused',
        });
      }
      expect(lookups).toBe(4);
      await expect(authenticate(requestWith(`Bearer ${WRONG}x`))).rejects.toMatchObject({
        _tag: 'AuthFailuresLimited',
        code: 'RATE_LIMITED',
        retryAfterSeconds: 60,
      });
      // a key not verified lately is refused too, without a look-up; a verified one passes
      await expect(authenticate(requestWith(`Bearer ${fresh.key}`))).rejects.toMatchObject({
        _tag: 'AuthFailuresLimited',
      });
      const verified = requestWith(`Bearer ${issued.key}`);
      await authenticate(verified);
      expect(verified.principal).toEqual({ keyId: issued.apiKey.id, accountIds: ['team-growth'] });
      expect(lookups).toBe(4);
      // a request with no key is not counted: 401
      await expect(authenticate(requestWith(undefined))).rejects.toMatchObject({ _tag: 'ApiKeyRefused' });
      // another client is not limited
      const other = requestWith(`Bearer ${fresh.key}`, '192.0.2.9');
      await authenticate(other);
      expect(other.principal).toMatchObject({ keyId: fresh.apiKey.id });

      jest.setSystemTime(1_000_000 + 60_001);
      const later = requestWith(`Bearer ${fresh.key}`);
      await authenticate(later);
      expect(later.principal).toMatchObject({ keyId: fresh.apiKey.id });
      await app.close();
      await counted.dispose();
      await world.runtime.dispose();
    } finally {
      jest.useRealTimers();
    }
  });

  it('remembers a refused key for the cache time: the same wrong key again costs no look-up', async () => {
    const world = inMemoryLayers();
    const store = await world.run(ApiKeyStore);
    let lookups = 0;
    const counted = ManagedRuntime.make(
      Layer.succeed(ApiKeyStore, {
        ...store,
        findByPrefix: (prefix) => Effect.suspend(() => ((lookups += 1), store.findByPrefix(prefix))),
      }),
    );
    let now = 0;
    const authenticate = makeApiKeyAuthenticator({ runtime: counted, cacheMs: 2_000, now: () => now });
    for (let i = 0; i < 5; i += 1) {
      await expect(authenticate(requestWith(`Bearer ${WRONG}`))).rejects.toMatchObject({ _tag: 'ApiKeyRefused' });
    }
    expect(lookups).toBe(1);
    now = 2_001;
    await expect(authenticate(requestWith(`Bearer ${WRONG}`))).rejects.toMatchObject({ _tag: 'ApiKeyRefused' });
    expect(lookups).toBe(2);
    await counted.dispose();
    await world.runtime.dispose();
  });
});
