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
// after its revocation. Refusals are never cached.
import { type ApiKeyStore, type ApiPrincipal, ApiKeyRefused, authenticateApiKey } from '@airtime/application';
import type { ManagedRuntime } from 'effect';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
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

export interface ApiKeyAuthenticatorOptions {
  readonly runtime: ManagedRuntime.ManagedRuntime<ApiKeyStore, never>;
  /** How long a verified key is remembered (0..5000 ms; 0: every request asks the key store). */
  readonly cacheMs: number;
  /** The most keys remembered at once (default 10000); the oldest is forgotten first. */
  readonly cacheSize?: number | undefined;
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

/** The authenticate hook over the key store, with its cache of verified keys. */
export const makeApiKeyAuthenticator = (options: ApiKeyAuthenticatorOptions): Authenticate => {
  const cacheMs = Math.min(Math.max(0, options.cacheMs), MAX_API_KEY_CACHE_MS);
  const cacheSize = options.cacheSize ?? 10_000;
  const now = options.now ?? Date.now;
  const verified = new Map<string, { readonly principal: ApiPrincipal; readonly until: number }>();
  return async (request) => {
    const key = bearerKeyOf(request.headers.authorization);
    if (key === undefined) throw new ApiKeyRefused();
    if (cacheMs === 0) {
      request.principal = await runUseCase(options.runtime, authenticateApiKey(key));
      return;
    }
    const digest = createHash('sha256').update(key).digest('hex');
    const cached = verified.get(digest);
    if (cached !== undefined && cached.until > now()) {
      request.principal = cached.principal;
      return;
    }
    verified.delete(digest);
    const principal = await runUseCase(options.runtime, authenticateApiKey(key));
    if (verified.size >= cacheSize) {
      const oldest = verified.keys().next();
      if (oldest.done !== true) verified.delete(oldest.value);
    }
    verified.set(digest, { principal, until: now() + cacheMs });
    request.principal = principal;
  };
};

/** Requires an API key on every route of the context it is registered in (an onRequest hook). */
export const apiKeyAuthPlugin = unencapsulated<{ readonly authenticate: Authenticate }>(async (app, options) => {
  app.addHook('onRequest', options.authenticate);
});
