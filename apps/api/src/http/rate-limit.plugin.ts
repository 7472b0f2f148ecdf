// The request rate limits (@fastify/rate-limit, in memory, per process).
//
// Per key: each API key may make API_RATE_LIMIT_PER_MINUTE requests in a
// minute; the next is answered 429 RATE_LIMITED in the API's error shape,
// with Retry-After (seconds until the window frees one) and the
// x-ratelimit-* headers. Only authenticated requests count (a request with
// no principal, a provider callback, is not limited here). It runs before
// the body is read (preParsing), after the key is checked (onRequest).
//
// Per client, failed authentications (makeAuthFailureLimit): each failure
// of a presented key counts against the client's IP address
// (request.ip) in a one-minute window of the same plugin's store; once a
// client has failed API_AUTH_FAILURES_PER_MINUTE times, the API-key hook
// refuses the keys it presents with 429 RATE_LIMITED and Retry-After,
// without a look-up, until the window ends (a key verified within
// API_KEY_CACHE_MS still passes).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthFailureLimit } from './api-key-auth.plugin';
import { RateLimited } from './http.errors';
import { unencapsulated } from './unencapsulated';

export type RateLimitPluginOptions = {
  readonly perMinute: number;
};

const WINDOW_MS = 60_000;

/** Limits the authenticated routes of the context it is registered in (and of its children). */
export const rateLimitPlugin = unencapsulated<RateLimitPluginOptions>(async (app, options) => {
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: WINDOW_MS,
    hook: 'preParsing',
    keyGenerator: (request) => request.principal?.keyId ?? 'anonymous',
    allowList: (request) => request.principal === null,
    errorResponseBuilder: (_request, context) =>
      new RateLimited({ retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1_000)) }),
  });
});

export interface AuthFailureLimitOptions {
  /** Failed authentications a client (IP address) may have in a minute (API_AUTH_FAILURES_PER_MINUTE). */
  readonly perMinute: number;
  /** The most clients held as refused at once (default 10000); the oldest is forgotten first. */
  readonly maxClients?: number | undefined;
}

/**
 * The per-client limit on failed authentications, counted in the store of
 * the rate-limit plugin registered on `app` (rateLimitPlugin first).
 */
export const makeAuthFailureLimit = (app: FastifyInstance, options: AuthFailureLimitOptions): AuthFailureLimit => {
  const count = app.createRateLimit({
    max: options.perMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => request.ip,
    // the plugin's own allow list lets requests with no principal through: every failure counts here
    allowList: () => false,
  });
  const maxClients = options.maxClients ?? 10_000;
  // clients at their limit, until their window ends (ms since the epoch)
  const refused = new Map<string, number>();
  return {
    refusedForMs: (request: FastifyRequest) => {
      const until = refused.get(request.ip);
      if (until === undefined) return 0;
      const left = until - Date.now();
      if (left > 0) return left;
      refused.delete(request.ip);
      return 0;
    },
    recordFailure: async (request: FastifyRequest) => {
      const counted = await count(request);
      if (counted.isAllowed || counted.remaining > 0) return;
      refused.delete(request.ip);
      if (refused.size >= maxClients) {
        const oldest = refused.keys().next();
        if (oldest.done !== true) refused.delete(oldest.value);
      }
      refused.set(request.ip, Date.now() + counted.ttl);
    },
  };
};
