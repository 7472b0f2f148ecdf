// API-key authentication: `Authorization: Bearer atk_<prefix>_<secret>` is
// checked by the authenticateApiKey use case (the key store, the secret's
// SHA-256 compared in constant time, revoked keys refused) and the request
// carries the key's principal (its id and accounts). A missing, malformed,
// unknown or revoked key is one answer: 401 UNAUTHENTICATED (ApiKeyRefused).
//
// A verified key is remembered for API_KEY_CACHE_MS (at most 5 s; 0: never),
// keyed by the SHA-256 of the whole key text (the text itself is not kept):
// a request within that time skips the key store, which is one database
// round trip less per request; a revoked key is refused at most that long
// after its revocation. A refused key text is remembered the same time (a
// refused key never becomes valid: keys are random and a revoked one stays
// revoked), so a flood of one wrong key costs one look-up per cache time.
//
// Failed authentications are counted per client (AuthFailureLimit, see
// rate-limit.plugin.ts): a client past its limit is answered 429
// RATE_LIMITED (AuthFailuresLimited, with Retry-After) for a key that is not
// in the verified cache, without a look-up. A request with no key (no
// Bearer header) costs nothing and is neither counted nor limited: 401.
import { type ApiKeyStore, type ApiPrincipal, ApiKeyRefused, authenticateApiKey } from '@airtime/application';
import type { ManagedRuntime } from 'effect';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AuthFailuresLimited } from './http.errors';
import { runUseCase } from './run-use-case';
import { unencapsulated } from './unencapsulated';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated API key's principal; null until (or unless) a route requires a key. */
    principal: ApiPrincipal | null;
  }
}

/** An onRequest hook that sets `request.principal`, or rejects with ApiKeyRefused (or the store's failure). */
export type Authenticate = (request: FastifyRequest) => Promise<void>;

/** The per-client limit on failed authentications (makeAuthFailureLimit). */
export interface AuthFailureLimit {
  /** Milliseconds until the request's client may present a key again; 0: it may now. */
  readonly refusedForMs: (request: FastifyRequest) => number;
  /** Counts a failed authentication of the request's client. */
  readonly recordFailure: (request: FastifyRequest) => Promise<void>;
}

export interface ApiKeyAuthenticatorOptions {
  readonly runtime: ManagedRuntime.ManagedRuntime<ApiKeyStore, never>;
  /** How long a verified key is remembered (0..5000 ms; 0: every request asks the key store). */
  readonly cacheMs: number;
  /** The most keys remembered at once (default 10000); the oldest is forgotten first. */
  readonly cacheSize?: number | undefined;
  /** The per-client limit on failed authentications (none: not limited). */
  readonly failures?: AuthFailureLimit | undefined;
  /** Milliseconds (default Date.now); tests move it. */
  readonly now?: (() => number) | undefined;
}

/** The longest a verified key may be remembered. */
export const MAX_API_KEY_CACHE_MS = 5_000;

const BEARER = /^Bearer[ \t]+([!-~]{1,512})[ \t]*$/i;

/** The key text of an Authorization header (`Bearer <key>`), if it holds one. */
export const bearerKeyOf = (header: unknown): string | undefined => {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header)?.[1];
};

/** The authenticate hook over the key store, with its caches of verified and refused keys. */
export const makeApiKeyAuthenticator = (options: ApiKeyAuthenticatorOptions): Authenticate => {
  const cacheMs = Math.min(Math.max(0, options.cacheMs), MAX_API_KEY_CACHE_MS);
  const cacheSize = options.cacheSize ?? 10_000;
  const now = options.now ?? Date.now;
  const failures = options.failures;
  const verified = new Map<string, { readonly principal: ApiPrincipal; readonly until: number }>();
  const refused = new Map<string, number>();
  const remember = <V>(cache: Map<string, V>, digest: string, value: V): void => {
    cache.delete(digest);
    if (cache.size >= cacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(digest, value);
  };
  const refuse = async (request: FastifyRequest): Promise<never> => {
    await failures?.recordFailure(request);
    throw new ApiKeyRefused();
  };
  return async (request) => {
    const key = bearerKeyOf(request.headers.authorization);
    if (key === undefined) throw new ApiKeyRefused();
    const digest = cacheMs === 0 ? '' : createHash('sha256').update(key).digest('hex');
    const cached = cacheMs === 0 ? undefined : verified.get(digest);
    if (cached !== undefined && cached.until > now()) {
      request.principal = cached.principal;
      return;
    }
    const waitMs = failures?.refusedForMs(request) ?? 0;
    if (waitMs > 0) throw new AuthFailuresLimited({ retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) });
    if (cacheMs === 0) {
      try {
        request.principal = await runUseCase(options.runtime, authenticateApiKey(key));
        return;
      } catch (error) {
        if (error instanceof ApiKeyRefused) return refuse(request);
        throw error;
      }
    }
    verified.delete(digest);
    if ((refused.get(digest) ?? 0) > now()) return refuse(request);
    refused.delete(digest);
    try {
      const principal = await runUseCase(options.runtime, authenticateApiKey(key));
      remember(verified, digest, { principal, until: now() + cacheMs });
      request.principal = principal;
    } catch (error) {
      if (!(error instanceof ApiKeyRefused)) throw error;
      remember(refused, digest, now() + cacheMs);
      return refuse(request);
    }
  };
};

/** Requires an API key on every route of the context it is registered in (an onRequest hook). */
export const apiKeyAuthPlugin = unencapsulated<{ readonly authenticate: Authenticate }>(async (app, options) => {
  app.addHook('onRequest', options.authenticate);
});
