// The per-key request rate limit (@fastify/rate-limit, in memory, per
// process): each API key may make API_RATE_LIMIT_PER_MINUTE requests in a
// minute; the next is answered 429 RATE_LIMITED in the API's error shape,
// with Retry-After (seconds until the window frees one) and the
// x-ratelimit-* headers. Only authenticated requests count (a request with
// no principal, a provider callback, is not limited here). It runs before
// the body is read (preParsing), after the key is checked (onRequest).
import rateLimit from '@fastify/rate-limit';
import { RateLimited } from './http.errors';
import { unencapsulated } from './unencapsulated';

export type RateLimitPluginOptions = {
  readonly perMinute: number;
};

/** Limits the authenticated routes of the context it is registered in (and of its children). */
export const rateLimitPlugin = unencapsulated<RateLimitPluginOptions>(async (app, options) => {
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: 60_000,
    hook: 'preParsing',
    keyGenerator: (request) => request.principal?.keyId ?? 'anonymous',
    allowList: (request) => request.principal === null,
    errorResponseBuilder: (_request, context) =>
      new RateLimited({ retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1_000)) }),
  });
});
