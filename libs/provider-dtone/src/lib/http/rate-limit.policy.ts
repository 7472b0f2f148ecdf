/**
 * DVS rate limiting: `X-Ratelimit-Limit` and `X-Ratelimit-Remaining` on every
 * answer, HTTP 429 when the limit is reached. How long to wait comes from
 * `Retry-After` (seconds or an HTTP date) or `X-Ratelimit-Reset` (seconds to
 * wait, or a Unix time in seconds or milliseconds), else from an exponential
 * backoff.
 */

export interface RateLimitSnapshot {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the window resets, if the answer said so (epoch ms). */
  readonly resetAtMs?: number;
}

/** Any header lookup: `Headers` of fetch, or a plain record in tests. */
export interface HeaderSource {
  get(name: string): string | null;
}

const integerHeader = (headers: HeaderSource, name: string): number | undefined => {
  const text = headers.get(name)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
};

/** Epoch ms of `X-Ratelimit-Reset`: a small number is seconds from now, a large one a Unix time. */
const resetAtMsOf = (headers: HeaderSource, nowMs: number): number | undefined => {
  const value = integerHeader(headers, 'x-ratelimit-reset');
  if (value === undefined) return undefined;
  if (value >= 1e12) return value; // epoch milliseconds
  if (value >= 1e9) return value * 1000; // epoch seconds
  return nowMs + value * 1000; // seconds to wait
};

/** The wait a throttled answer asks for, in ms, if it says one. */
export const retryAfterMsOf = (headers: HeaderSource, nowMs: number): number | undefined => {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const dateMs = Date.parse(retryAfter);
    if (!Number.isNaN(dateMs)) return Math.max(0, dateMs - nowMs);
  }
  const resetAtMs = resetAtMsOf(headers, nowMs);
  return resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - nowMs);
};

export const rateLimitSnapshotOf = (headers: HeaderSource, nowMs: number): RateLimitSnapshot => {
  const limit = integerHeader(headers, 'x-ratelimit-limit');
  const remaining = integerHeader(headers, 'x-ratelimit-remaining');
  const resetAtMs = resetAtMsOf(headers, nowMs);
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetAtMs === undefined ? {} : { resetAtMs }),
  };
};

export const BASE_BACKOFF_MS = 250;
export const MAX_BACKOFF_MS = 10_000;

/** 250, 500, 1000, ... ms, capped at 10 s: the wait before retry `retry` (0-based) when no header says one. */
export const backoffMs = (retry: number): number => Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** retry);

/**
 * The wait before the next call when the last answer left no calls in the
 * window (`X-Ratelimit-Remaining: 0` with a known reset), else 0.
 */
export const waitBeforeNextCallMs = (snapshot: RateLimitSnapshot | undefined, nowMs: number): number =>
  snapshot?.remaining === 0 && snapshot.resetAtMs !== undefined ? Math.max(0, snapshot.resetAtMs - nowMs) : 0;
