// When a failed callback is tried again: 10 s, 1 min, 5 min, 30 min, 2 h and
// 6 h after each failed try, then never (abandoned): seven tries over about
// 8 h 36 min, enough to ride out a caller's deploy or a night's outage.

/** The wait after the n-th failed try (index n - 1); after the last one the delivery is abandoned. */
export const CALLBACK_RETRY_DELAYS_MS: readonly number[] = [
  10_000,
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 60 * 60_000,
  6 * 60 * 60_000,
];

/** Tries made at most before a delivery is abandoned. */
export const MAX_CALLBACK_TRIES = CALLBACK_RETRY_DELAYS_MS.length + 1;

/**
 * The time of the next try after `triesMade` tries (the last one, failed, at
 * `failedAt`), or undefined when the delivery is to be abandoned.
 */
export const nextCallbackTryAt = (triesMade: number, failedAt: Date): Date | undefined => {
  const delayMs = Number.isInteger(triesMade) && triesMade >= 1 ? CALLBACK_RETRY_DELAYS_MS[triesMade - 1] : undefined;
  return delayMs === undefined ? undefined : new Date(failedAt.getTime() + delayMs);
};
