// What a command handler decides about a delivery, and the delivery it
// decides about: the contract between the top-up command worker (platform
// runtime) and the transports that run it (the RabbitMQ consumer runner, the
// in-process bus). Both transports take a handler of this shape, so the
// worker's handler runs on either unchanged. The runner carries the decision
// out; the handler holds the business rules (decode, run a use case, map its
// errors).
import { Data } from 'effect';

/**
 * - `Ack`: done (processed, or a duplicate already processed).
 * - `Retry`: a transient failure; the message comes back later. RabbitMQ:
 *   nack with requeue, counted towards the queue's `x-delivery-limit`, past
 *   which the broker dead-letters it (x-death reason `delivery_limit`).
 *   In-process bus: delivered again after a growing delay with its
 *   `x-retry-count` header one higher, dead-lettered past `maxRetries`.
 * - `DeadLetter`: the message can never be processed (malformed, invalid).
 *   RabbitMQ: published to the dead-letter exchange with `reason` in the
 *   `x-dead-letter-reason` header, then acknowledged. In-process bus: kept
 *   in its bounded dead-letter list with `reason`. The reason names a rule
 *   or a field, never a value of the message.
 */
export type ConsumeDecision = Data.TaggedEnum<{
  Ack: Record<never, never>;
  Retry: { readonly reason: string };
  DeadLetter: { readonly reason: string };
}>;

/** Constructors and matchers: `ConsumeDecision.Ack()`, `ConsumeDecision.DeadLetter({ reason })`, `$match`. */
export const ConsumeDecision = Data.taggedEnum<ConsumeDecision>();

/** A delivery as a handler sees it: the body as bytes and the AMQP-style properties it may need. */
export interface CommandDelivery {
  readonly body: Buffer;
  readonly messageId: string | undefined;
  readonly type: string | undefined;
  readonly contentType: string | undefined;
  /**
   * The AMQP content encoding, when the message has one (`gzip` would mean
   * the body is not the JSON it carries; the in-process bus never sets it).
   */
  readonly contentEncoding?: string | undefined;
  readonly correlationId: string | undefined;
  /** When the message was sent, in whole seconds (as an AMQP timestamp is), as a date. */
  readonly timestamp: Date | undefined;
  /** The exchange it came through (the in-process bus says `in-process`). */
  readonly exchange: string;
  readonly routingKey: string;
  /** This message may have been delivered before (RabbitMQ's flag; always `false` on the in-process bus). */
  readonly redelivered: boolean;
  /** Earlier failed deliveries (quorum queues' `x-delivery-count`; 0 on the first, and always 0 in-process). */
  readonly deliveryCount: number;
  readonly headers: Readonly<Record<string, unknown>>;
}
