// What a handler decides about a delivery, and the delivery it decides
// about: the application's `ConsumeDecision` and `CommandDelivery` (the same
// shapes the RabbitMQ consumer runner takes), under the bus's names, so the
// consumer's handler runs on the in-process bus unchanged. Plus the bus's
// retry headers.
import { type CommandDelivery, ConsumeDecision } from '@airtime/application';

/**
 * The application's `ConsumeDecision`; on the bus, `Retry` delivers the
 * message again after a growing delay with its `x-retry-count` header one
 * higher (dead-lettered past the bus's `maxRetries`), and `DeadLetter` keeps
 * it in the bus's bounded dead-letter list with `reason`.
 */
export type BusDecision = ConsumeDecision;

/** Constructors and matchers: `BusDecision.Ack()`, `BusDecision.Retry({ reason })`, `$match`. */
export const BusDecision = ConsumeDecision;

/**
 * A delivery as a handler sees it (the application's `CommandDelivery`). The
 * bus fills `exchange` with `in-process`, `redelivered` with `false` (a retry
 * is a new delivery) and `deliveryCount` with 0 (retries are counted by the
 * `x-retry-count` header); `timestamp` is in whole seconds.
 */
export type BusDelivery = CommandDelivery;

/** Headers the bus sets on a message it delivers again after a `Retry`. */
export const RETRY_HEADERS = {
  /** How many times the message was retried, this one included (1 for the first retry). */
  count: 'x-retry-count',
  /** The handler's reason for this retry, at most 512 characters. */
  reason: 'x-retry-reason',
} as const;

/** The retries a delivery went through so far (its `x-retry-count`; 0 when absent or not a count). */
export const retryCountOf = (delivery: Pick<BusDelivery, 'headers'>): number => {
  const count = delivery.headers[RETRY_HEADERS.count];
  return typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 0;
};

const MAX_REASON_LENGTH = 512;

/** A reason cut to 512 characters (the bound of the broker's reason headers). */
export const truncateReason = (reason: string): string =>
  reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
