// Delays between reconnect (and channel reopen) attempts: exponential from
// a lower bound, capped by an upper bound, with jitter so that many clients
// cut off together do not come back together.

/** The bounds of the reconnect delay, in milliseconds. */
export interface BackoffBounds {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The delay before attempt `attempt` (1 for the first retry): the
 * exponential base `minDelayMs * 2^(attempt-1)` capped at `maxDelayMs`, then
 * drawn in [base/2, base] by `random` (in [0, 1)), and never below
 * `minDelayMs`. Always within [minDelayMs, maxDelayMs].
 */
export const backoffDelayMs = (attempt: number, bounds: BackoffBounds, random: () => number = Math.random): number => {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const base = Math.min(bounds.maxDelayMs, bounds.minDelayMs * 2 ** exponent);
  const jittered = base / 2 + (base / 2) * Math.min(Math.max(random(), 0), 1);
  return Math.min(bounds.maxDelayMs, Math.max(bounds.minDelayMs, Math.round(jittered)));
};
