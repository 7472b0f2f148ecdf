// A top-up command as the command runner hands it to the handler: its body,
// message id and the rest of an AMQP delivery, for the handler's specs.
import type { Delivery } from '@airtime/messaging-rabbitmq';

/** A first delivery (count 0, not redelivered) of `body` on the test commands exchange. */
export const commandDeliveryOf = (body: string | Buffer, messageId: string | undefined): Delivery => ({
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  messageId,
  type: 'topup.request',
  contentType: 'application/json',
  correlationId: undefined,
  timestamp: undefined,
  exchange: 'test.commands',
  routingKey: 'topup.request',
  redelivered: false,
  deliveryCount: 0,
  headers: {},
});
