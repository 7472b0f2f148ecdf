// What a handler decides about a delivery, and the delivery it decides
// about. These are the shapes of `@airtime/messaging-rabbitmq`'s
// `ConsumeDecision` and `Delivery`, duplicated on purpose (adapters never
// depend on each other) and kept structurally identical, so that the
// consumer's handler runs on the in-process bus unchanged
// (`bus-decision.spec.ts` holds a copy of the RabbitMQ shapes and checks it).
import { Data } from 'effect';

/**
 * - `Ack`: done (processed, or a duplicate already processed).
 * - `Retry`: a transient failure; the message comes back after a growing
 *   delay with its `x-retry-count` header one higher, and past the bus's
 *   `maxRetries` it is dead-lettered with the reason.
 * - `DeadLetter`: the message can never be processed; it is kept in the
 *   bus's bounded dead-letter list with `reason`. The reason names a rule
 *   or a field, never a value of the message.
 */
export type BusDecision = Data.TaggedEnum<{
  Ack: Record<never, never>;
  Retry: { readonly reason: string };
  DeadLetter: { readonly reason: string };
}>;

/** Constructors and matchers: `BusDecision.Ack()`, `BusDecision.Retry({ reason })`, `$match`. */
export const BusDecision = Data.taggedEnum<BusDecision>();

/** A delivery as a handler sees it (the RabbitMQ `Delivery` shape). */
export interface BusDelivery {
  readonly body: Buffer;
  readonly messageId: string | undefined;
  readonly type: string | undefined;
  readonly contentType: string | undefined;
  readonly correlationId: string | undefined;
  /** When the message was enqueued, in whole seconds (as an AMQP timestamp is). */
  readonly timestamp: Date | undefined;
  /** The bus's name for its exchange (`in-process`). */
  readonly exchange: string;
  readonly routingKey: string;
  /** Always `false`: the bus never hands the same delivery out twice (a retry is a new delivery). */
  readonly redelivered: boolean;
  /** Always 0: retries are counted by the `x-retry-count` header, as with the broker's retry queue. */
  readonly deliveryCount: number;
  readonly headers: Readonly<Record<string, unknown>>;
}

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
