import type { DetailedStatus, TransactionStatus } from './transaction-status';

/**
 * engageSPARK's retry schedule: each retry this many minutes after the
 * previous attempt (6 retries within 4-5 hours).
 */
export const RETRY_DELAYS_MINUTES = [1, 2, 5, 30, 60, 120] as const;

/** The first attempt plus one per retry. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;

const MS_PER_MINUTE = 60_000;

/**
 * The delay before the next attempt when `attemptsMade` attempts (1-based
 * count) have been made; `undefined` when they are exhausted.
 */
export const retryDelayMinutes = (attemptsMade: number): number | undefined =>
  Number.isInteger(attemptsMade) && attemptsMade >= 1 ? RETRY_DELAYS_MINUTES[attemptsMade - 1] : undefined;

/** When the next attempt is due; `undefined` when no attempt is left. */
export const nextAttemptAt = (previousAttemptAt: Date, attemptsMade: number): Date | undefined => {
  const delayMinutes = retryDelayMinutes(attemptsMade);
  return delayMinutes === undefined ? undefined : new Date(previousAttemptAt.getTime() + delayMinutes * MS_PER_MINUTE);
};

export const hasAttemptsLeft = (attemptsMade: number): boolean => attemptsMade < MAX_ATTEMPTS;

/**
 * DVS statuses that mean "not now" rather than "no": nothing was sent, and
 * trying again before the delay would be refused again. DVS names the
 * statuses (reference: class/status table) but documents no window: 5
 * minutes for a duplicate (the window Africa's Talking states in its own
 * duplicate refusal) and an hour for the cumulative limits on what one
 * credit party may receive are this platform's choices.
 */
export const RETRY_LATER_DELAY_MINUTES: Readonly<Partial<Record<DetailedStatus, number>>> = {
  'DECLINED-DUPLICATED-TRANSACTION': 5,
  'REJECTED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY': 60,
  'REJECTED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT': 60,
  'DECLINED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY': 60,
  'DECLINED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT': 60,
};

/** Minutes to wait after `status`; undefined when it is not a "not now" refusal. */
export const retryLaterDelayMinutesOf = (status: TransactionStatus): number | undefined =>
  RETRY_LATER_DELAY_MINUTES[status.status];
