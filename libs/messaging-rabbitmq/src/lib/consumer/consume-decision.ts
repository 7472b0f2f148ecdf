// What a message handler decides about a delivery, and the delivery it
// decides about. The consumer runner carries the decision out; the handler
// holds the business rules (decode, run a use case, map its errors).
import type * as amqp from 'amqplib';
import { Data } from 'effect';

/**
 * - `Ack`: done (processed, or a duplicate already processed).
 * - `Retry`: a transient failure; the message goes back to the queue (nack
 *   with requeue) and counts towards the queue's `x-delivery-limit`, past
 *   which the broker dead-letters it (x-death reason `delivery_limit`).
 * - `DeadLetter`: the message can never be processed (malformed, invalid);
 *   it is published to the dead-letter exchange with `reason` in the
 *   `x-dead-letter-reason` header, then acknowledged. The reason names a
 *   rule or a field, never a value of the message.
 */
export type ConsumeDecision = Data.TaggedEnum<{
  Ack: Record<never, never>;
  Retry: { readonly reason: string };
  DeadLetter: { readonly reason: string };
}>;

/** Constructors and matchers: `ConsumeDecision.Ack()`, `ConsumeDecision.DeadLetter({ reason })`, `$match`. */
export const ConsumeDecision = Data.taggedEnum<ConsumeDecision>();

/** A delivery as a handler sees it: the body as bytes and the AMQP properties it may need. */
export interface Delivery {
  readonly body: Buffer;
  readonly messageId: string | undefined;
  readonly type: string | undefined;
  readonly contentType: string | undefined;
  readonly correlationId: string | undefined;
  /** The AMQP timestamp (whole seconds) as a date. */
  readonly timestamp: Date | undefined;
  readonly exchange: string;
  readonly routingKey: string;
  /** The broker's flag: this message may have been delivered before. */
  readonly redelivered: boolean;
  /** Earlier failed deliveries of this message (quorum queues' `x-delivery-count`; 0 on the first). */
  readonly deliveryCount: number;
  readonly headers: Readonly<Record<string, unknown>>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The delivery of an amqplib message. */
export const deliveryOf = (message: amqp.ConsumeMessage): Delivery => {
  const headers: Record<string, unknown> = message.properties.headers ?? {};
  const count = headers['x-delivery-count'];
  const timestamp: unknown = message.properties.timestamp;
  return {
    body: message.content,
    messageId: text(message.properties.messageId),
    type: text(message.properties.type),
    contentType: text(message.properties.contentType),
    correlationId: text(message.properties.correlationId),
    timestamp: typeof timestamp === 'number' && Number.isFinite(timestamp) ? new Date(timestamp * 1000) : undefined,
    exchange: message.fields.exchange,
    routingKey: message.fields.routingKey,
    redelivered: message.fields.redelivered,
    deliveryCount: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 0,
    headers,
  };
};
