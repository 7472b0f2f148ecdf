import { ProviderRateLimited } from '@airtime/domain';
import { Clock, Effect, Ref } from 'effect';
import type { HttpResponse } from './http-exchange.client';

/** How long to hold off after a 429 that does not say (`Retry-After` missing or unreadable). */
export const DEFAULT_RETRY_AFTER_MS = 30_000;
/** The longest wait a provider header can impose (a bogus far-future value would stall sends forever). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

const clamp = (ms: number): number => Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `nowMs`. */
export const retryAfterMsOf = (headers: Headers, nowMs: number): number | undefined => {
  const text = headers.get('retry-after')?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return clamp(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : clamp(at - nowMs);
};

/**
 * When the quota announced by `RateLimit-Remaining` / `X-RateLimit-Remaining`
 * is spent, the wait until `RateLimit-Reset` / `X-RateLimit-Reset` (seconds
 * from now, or epoch seconds when larger than 10^9).
 */
export const quotaResetMsOf = (headers: Headers, nowMs: number): number | undefined => {
  const remaining = (headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining'))?.trim();
  if (remaining !== '0') return undefined;
  const reset = (headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset'))?.trim();
  if (reset === undefined || !/^\d+$/.test(reset)) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(reset);
  return clamp(seconds > 1e9 ? seconds * 1000 - nowMs : seconds * 1000);
};

/**
 * Respects the provider's throttling across calls: after a 429 (for its
 * `Retry-After`) or an exhausted quota header, calls fail at once with
 * `ProviderRateLimited` without sending anything until the wait is over.
 */
export interface RateLimitGate {
  /** Fails, sending nothing, while the provider asked us to wait. */
  readonly admit: Effect.Effect<void, ProviderRateLimited>;
  /** Reads an answer's rate-limit headers; fails with `ProviderRateLimited` on a 429. */
  readonly observe: (response: HttpResponse) => Effect.Effect<void, ProviderRateLimited>;
}

export const makeRateLimitGate = (provider: string): RateLimitGate => {
  const closedUntilMs = Ref.unsafeMake(0);
  const closeFor = (nowMs: number, waitMs: number) =>
    Ref.update(closedUntilMs, (until) => Math.max(until, nowMs + waitMs));
  return {
    admit: Effect.gen(function* () {
      const nowMs = yield* Clock.currentTimeMillis;
      const until = yield* Ref.get(closedUntilMs);
      if (until > nowMs) return yield* Effect.fail(new ProviderRateLimited({ provider, retryAfterMs: until - nowMs }));
    }),
    observe: (response) =>
      Effect.gen(function* () {
        const nowMs = yield* Clock.currentTimeMillis;
        if (response.status === 429) {
          const retryAfterMs = retryAfterMsOf(response.headers, nowMs) ?? DEFAULT_RETRY_AFTER_MS;
          yield* closeFor(nowMs, retryAfterMs);
          return yield* Effect.fail(new ProviderRateLimited({ provider, retryAfterMs }));
        }
        const resetMs = quotaResetMsOf(response.headers, nowMs);
        if (resetMs !== undefined) yield* closeFor(nowMs, resetMs);
      }),
  };
};
