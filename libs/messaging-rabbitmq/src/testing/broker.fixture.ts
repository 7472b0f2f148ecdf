// Helpers for specs that run against a real RabbitMQ broker: its URL, a
// topology of the spec's own (a unique prefix), a raw amqplib channel for
// assertions, and the removal of everything a spec declared.
import { randomBytes } from 'node:crypto';
import * as amqp from 'amqplib';
import { DEFAULT_AMQP_URL } from '../lib/config/messaging.config';
import { topologyFor, type Topology } from '../lib/topology/topology.table';

/** The broker the integration specs use: AMQP_URL, or the local default. */
export const testAmqpUrl = (): string => process.env['AMQP_URL'] ?? DEFAULT_AMQP_URL;

/** A topology prefix no other spec run uses, e.g. "test-publisher-3f9a1c". */
export const uniqueTopologyPrefix = (label: string): string => `test-${label}-${randomBytes(4).toString('hex')}`;

/** The platform's topology under a unique prefix. */
export const testTopology = (label: string): Topology => topologyFor(uniqueTopologyPrefix(label));

/** A plain amqplib connection and channel for a spec's own assertions (no reconnects). */
export interface RawBroker {
  readonly connection: amqp.ChannelModel;
  readonly channel: amqp.Channel;
  /** A fresh channel (a channel error, such as PRECONDITION_FAILED, closes the one it happened on). */
  readonly freshChannel: () => Promise<amqp.Channel>;
  /** Reads up to `max` messages with basic.get and acks them. */
  readonly drain: (queue: string, max?: number) => Promise<amqp.GetMessage[]>;
  /** Waits until `queue` holds `count` ready messages (or `timeoutMs` passes), returning the last count seen. */
  readonly waitForCount: (queue: string, count: number, timeoutMs?: number) => Promise<number>;
  readonly close: () => Promise<void>;
}

export const openRawBroker = async (): Promise<RawBroker> => {
  const connection = await amqp.connect(testAmqpUrl());
  connection.on('error', () => undefined);
  const freshChannel = async (): Promise<amqp.Channel> => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    return channel;
  };
  const channel = await freshChannel();
  return {
    connection,
    channel,
    freshChannel,
    drain: async (queue, max = 1_000) => {
      const messages: amqp.GetMessage[] = [];
      const reader = await freshChannel();
      try {
        for (let i = 0; i < max; i += 1) {
          const message = await reader.get(queue, { noAck: false });
          if (message === false) break;
          reader.ack(message);
          messages.push(message);
        }
      } finally {
        await reader.close().catch(() => undefined);
      }
      return messages;
    },
    waitForCount: async (queue, count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      const checker = await freshChannel();
      try {
        for (;;) {
          const { messageCount } = await checker.checkQueue(queue);
          if (messageCount >= count || Date.now() > deadline) return messageCount;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      } finally {
        await checker.close().catch(() => undefined);
      }
    },
    close: async () => {
      await connection.close().catch(() => undefined);
    },
  };
};

/** Deletes the queues and exchanges of `topology` (and `extraQueues`), ignoring those already gone. */
export const deleteTopology = async (topology: Topology, extraQueues: readonly string[] = []): Promise<void> => {
  const connection = await amqp.connect(testAmqpUrl());
  connection.on('error', () => undefined);
  try {
    for (const queue of [...Object.values(topology.queues).map((q) => q.name), ...extraQueues]) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of Object.values(topology.exchanges)) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteExchange(exchange.name).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
};
