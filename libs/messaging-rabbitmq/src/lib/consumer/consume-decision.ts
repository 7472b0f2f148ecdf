// An amqplib message as the delivery a handler decides about. The shapes
// (`ConsumeDecision`, `CommandDelivery`) are the application's, shared with
// the in-process bus; this lib re-exports them under its own names.
import { type CommandDelivery, ConsumeDecision } from '@airtime/application';
import type * as amqp from 'amqplib';

/** The application's decision (re-exported under the name this lib always had). */
export { ConsumeDecision };

/** A delivery as a handler sees it: the application's `CommandDelivery`. */
export type Delivery = CommandDelivery;

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
    contentEncoding: text(message.properties.contentEncoding),
    correlationId: text(message.properties.correlationId),
    timestamp: typeof timestamp === 'number' && Number.isFinite(timestamp) ? new Date(timestamp * 1000) : undefined,
    exchange: message.fields.exchange,
    routingKey: message.fields.routingKey,
    redelivered: message.fields.redelivered,
    deliveryCount: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 0,
    headers,
  };
};
