// Rate limits of every provider: 429 with Retry-After, and quota headers (RateLimit-* / X-RateLimit-*).
// Every wait a provider asks for is read one way and bounded: a far-future or garbled header never stalls us.
import { ProviderRateLimited } from '@airtime/domain';
import { Clock, Effect, Ref } from 'effect';
import type { HttpResponse } from './http-exchange.client';

/** How long to hold off after a 429 that does not say (`Retry-After` and reset headers missing or unreadable). */
export const DEFAULT_RETRY_AFTER_MS = 30_000;
/**
 * How long an exhausted quota (`X-RateLimit-Remaining: 0`) holds calls back
 * when no reset is announced: DVS states its windows in seconds and sends no
 * reset header; a longer hold would stall calls the provider would take.
 */
export const DEFAULT_QUOTA_RESET_MS = 1_000;
/** The longest wait a provider header can impose (a bogus far-future value would stall sends for years). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** A wait in whole ms within [0, MAX_RETRY_AFTER_MS]. */
export const boundedWaitMs = (ms: number): number =>
  Number.isNaN(ms) ? MAX_RETRY_AFTER_MS : Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);

const header = (headers: Headers, ...names: readonly string[]): string | undefined => {
  for (const name of names) {
    const value = headers.get(name)?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
};

// the HTTP-date forms of RFC 9110: "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
// "Sun Nov  6 08:49:37 1994"
const HTTP_DATE =
  /^[A-Za-z]{3,9},? (\d{2}[ -][A-Za-z]{3}[ -]\d{2,4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * `Retry-After` in ms from `nowMs`: delta-seconds or an HTTP date, bounded
 * to [0, MAX_RETRY_AFTER_MS]; `undefined` when missing or unreadable.
 */
export const retryAfterMsOf = (headers: Headers, nowMs: number): number | undefined => {
  const text = header(headers, 'retry-after');
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return boundedWaitMs(Number(text) * 1000);
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : boundedWaitMs(at - nowMs);
};

/**
 * The wait until `RateLimit-Reset` / `X-RateLimit-Reset`, bounded: seconds
 * from now, epoch seconds (from 10^9) or epoch ms (from 10^12); `undefined`
 * when missing or unreadable.
 */
export const resetMsOf = (headers: Headers, nowMs: number): number | undefined => {
  const text = header(headers, 'ratelimit-reset', 'x-ratelimit-reset');
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  if (value >= 1e12) return boundedWaitMs(value - nowMs);
  if (value >= 1e9) return boundedWaitMs(value * 1000 - nowMs);
  return boundedWaitMs(value * 1000);
};

/**
 * When the quota announced by `RateLimit-Remaining` / `X-RateLimit-Remaining`
 * is spent, the wait until it resets (`DEFAULT_QUOTA_RESET_MS` when the reset
 * is not given); `undefined` while calls remain.
 */
export const quotaResetMsOf = (headers: Headers, nowMs: number): number | undefined => {
  const remaining = header(headers, 'ratelimit-remaining', 'x-ratelimit-remaining');
  if (remaining === undefined || !/^0+$/.test(remaining)) return undefined;
  return resetMsOf(headers, nowMs) ?? DEFAULT_QUOTA_RESET_MS;
};

/** The wait a 429 asks for: `Retry-After`, else the reset header, else `DEFAULT_RETRY_AFTER_MS`; always bounded. */
export const throttledWaitMsOf = (headers: Headers, nowMs: number): number =>
  retryAfterMsOf(headers, nowMs) ?? resetMsOf(headers, nowMs) ?? DEFAULT_RETRY_AFTER_MS;

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

/** A gate per provider account; `nowMs` replaces effect's `Clock` when given (epoch ms). */
export const makeRateLimitGate = (provider: string, nowMs?: () => number): RateLimitGate => {
  const closedUntilMs = Ref.unsafeMake(0);
  const now = nowMs === undefined ? Clock.currentTimeMillis : Effect.sync(nowMs);
  const closeFor = (atMs: number, waitMs: number) =>
    Ref.update(closedUntilMs, (until) => Math.max(until, atMs + waitMs));
  return {
    admit: Effect.gen(function* () {
      const atMs = yield* now;
      const until = yield* Ref.get(closedUntilMs);
      if (until > atMs)
        return yield* Effect.fail(new ProviderRateLimited({ provider, retryAfterMs: boundedWaitMs(until - atMs) }));
    }),
    observe: (response) =>
      Effect.gen(function* () {
        const atMs = yield* now;
        if (response.status === 429) {
          const retryAfterMs = throttledWaitMsOf(response.headers, atMs);
          yield* closeFor(atMs, retryAfterMs);
          return yield* Effect.fail(new ProviderRateLimited({ provider, retryAfterMs }));
        }
        const resetMs = quotaResetMsOf(response.headers, atMs);
        if (resetMs !== undefined) yield* closeFor(atMs, resetMs);
      }),
  };
};
