// The delay before a retried message comes back: exponential from a lower
// bound, capped by an upper bound, with jitter, like the broker's retry
// queue (the same rule as the messaging lib's `backoffDelayMs`).

/** The bounds of the retry delay, in milliseconds (0 <= minDelayMs <= maxDelayMs). */
export interface RetryDelayBounds {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The delay of retry `retry` (1 for the first) in milliseconds: the base
 * `minDelayMs * 2^(retry-1)` capped at `maxDelayMs`, drawn in
 * [base/2, base] by `random` (in [0, 1)), never below `minDelayMs`. Always
 * a whole number within [minDelayMs, maxDelayMs].
 */
export const retryDelayMs = (retry: number, bounds: RetryDelayBounds, random: () => number = Math.random): number => {
  const exponent = Math.min(Math.max(retry, 1) - 1, 30);
  const base = Math.min(bounds.maxDelayMs, bounds.minDelayMs * 2 ** exponent);
  const jittered = base / 2 + (base / 2) * Math.min(Math.max(random(), 0), 1);
  return Math.min(bounds.maxDelayMs, Math.max(bounds.minDelayMs, Math.round(jittered)));
};
