// Hostile cases of the consumer runner's graceful stop (basic.cancel, wait, interrupt what the timeout
// left, wait again, close), from an adversarial review, on the real RabbitMQ. The promise under test: a
// delivery whose handler still runs here is never handed to another consumer beside it, a stop spends
// none of a message's retries, and a decision the handler makes after the interruption is carried out
// (Ack acked, DeadLetter dead-lettered with its reason, Retry left for the broker to deliver again).
//
// 1. The stop comes while the managed channel is being reopened after a connection loss, its setup
//    between the runner's "stopping?" check and basic.consume: the stop finds no channel to cancel,
//    finds nothing running and returns; the consume then registers on the channel the stop never saw,
//    a delivery starts a handler after the stop returned (with no interruption ahead of it), and the
//    channel is closed under it, so the broker hands the message to another consumer beside it.
// 2. A second `stop` while the first still waits for its interrupted handlers answered at once, before
//    the handlers ended and before the channel let go of their deliveries.
import { Effect } from 'effect';
import { testAmqpUrl } from '../../testing';
import type { BrokerConnection } from '../connection/broker-connection.client';
import { ConsumeDecision } from './consume-decision';
import { consumerRunnerWorld, gate, until } from '../../testing/consumer-runner-world.fixture';
import { DEAD_LETTER_HEADERS, RETRY_HEADERS, type ConsumerRunner } from './consumer.runner';

const world = consumerRunnerWorld('consumer-stop');
const { deadLetters, retryQueue, connectVia, publish } = world;
const retrySettings = { queue: retryQueue, maxRetries: 3, delay: { minDelayMs: 10, maxDelayMs: 10 } };

/** A runner of the commands queue, retrying through the retry queue. */
const runner: typeof world.runner = (connection, handler, extra = {}) =>
  world.runner(connection, handler, { retryQueue: retrySettings, ...extra });

/** Another process's consumer of the same queue: records what it gets (with its retry count) and acks it. */
const otherConsumer = async (events: string[]): Promise<ConsumerRunner> => {
  const other = runner(await connectVia(testAmqpUrl()), async (delivery) => {
    events.push(`again ${delivery.messageId ?? ''} retries=${String(delivery.headers[RETRY_HEADERS.count] ?? 0)}`);
    return ConsumeDecision.Ack();
  });
  await Effect.runPromise(other.start);
  return other;
};

/**
 * A runner holding one delivery of `messageId` in a handler that, once `interrupted` opens, records
 * `ended <id>` and decides Retry (as the top-up handler does when interrupted by the stop).
 */
const interruptibleDelivery = async (messageId: string) => {
  const connection = await connectVia(testAmqpUrl());
  const events: string[] = [];
  const interrupted = gate();
  const consumer = runner(connection, async (delivery) => {
    await interrupted.promise;
    events.push(`ended ${delivery.messageId ?? ''}`);
    return ConsumeDecision.Retry({ reason: 'interrupted by the stop' });
  });
  await Effect.runPromise(consumer.start);
  publish(messageId);
  await until(() => consumer.inFlight() === 1);
  return { consumer, events, interrupted };
};

describe('the consumer runner’s stop (RabbitMQ), hostile', () => {
  it('starts no handler once stopping, even on a channel whose consume registers after the stop began (reopened after a connection loss)', async () => {
    const direct = await connectVia(world.proxy.urlFor(testAmqpUrl()));
    // the next consumer channel's setup is held at its basic.qos, after the runner's own "stopping?" check
    let armed = false;
    const held = gate();
    const release = gate();
    const events: string[] = [];
    const dispatched = (): boolean =>
      events.includes('first reopen-1') ||
      world.logger.records.some((r) => r.message === 'amqp delivery left unacknowledged: the consumer is stopping');
    const connection: BrokerConnection = {
      ...direct,
      openChannel: (spec) =>
        direct.openChannel({
          ...spec,
          setup: async (channel) => {
            if (!armed || !spec.name.startsWith('consumer:')) return spec.setup?.(channel);
            armed = false;
            const prefetch = channel.prefetch.bind(channel);
            channel.prefetch = async (count: number, global?: boolean) => {
              held.open();
              await release.promise;
              return prefetch(count, global);
            };
            await spec.setup?.(channel);
            // the broker's delivery on the new consumer reaches the runner before the channel is closed
            await until(dispatched);
          },
        }),
    };
    const stuck = gate();
    const consumer = runner(connection, async (delivery) => {
      events.push(`first ${delivery.messageId ?? ''}`);
      await stuck.promise;
      events.push(`first ended ${delivery.messageId ?? ''}`);
      return ConsumeDecision.Retry({ reason: 'interrupted' });
    });
    await Effect.runPromise(consumer.start);
    armed = true;
    world.proxy.dropAll();
    await until(held.opened);
    publish('reopen-1');

    // SIGTERM now: nothing runs, the stop has no consumer to cancel and returns
    const report = await consumer.stop(200, {
      interruptUnfinished: async () => {
        events.push('interrupt');
        stuck.open();
      },
    });
    expect(report).toEqual({ unfinished: 0 });
    events.push('stopped');

    // the reopened channel's setup goes on: its basic.consume registers and the broker delivers
    release.open();
    await until(dispatched);
    await otherConsumer(events);
    await until(() => events.some((event) => event.startsWith('again reopen-1')));
    // no handler of a stopped runner, none beside the copy the other consumer got
    expect(events).toEqual(['stopped', 'again reopen-1 retries=0']);
    stuck.open();
    await until(() => consumer.inFlight() === 0);
    expect(await world.broker.drain(retryQueue)).toEqual([]);
  });

  it('answers a second stop only once the first has let go: after the interrupted handlers ended and their deliveries went back', async () => {
    const { consumer, events, interrupted } = await interruptibleDelivery('twice-1');

    const hookRelease = gate();
    const first = consumer.stop(100, {
      interruptUnfinished: async () => {
        events.push('interrupt');
        await hookRelease.promise;
        interrupted.open();
        await until(() => consumer.inFlight() === 0);
      },
    });
    await until(() => events.includes('interrupt'));
    const second = consumer.stop(100).then((report) => {
      events.push('second stop answered');
      return report;
    });
    // let the second stop answer if it does so at once
    await new Promise((resolve) => setImmediate(resolve));
    hookRelease.open();
    expect(await first).toEqual({ unfinished: 1 });
    expect(await second).toEqual({ unfinished: 1 });
    expect(events).toEqual(['interrupt', 'ended twice-1', 'second stop answered']);
    await otherConsumer(events);
    await until(() => events.some((event) => event.startsWith('again')));
    expect(events.at(-1)).toBe('again twice-1 retries=0');
  });

  it('still closes, after the handlers ended, when the interrupt hook rejects: the message comes back with no retry spent', async () => {
    const { consumer, events, interrupted } = await interruptibleDelivery('rejects-1');
    const report = await consumer.stop(100, {
      interruptUnfinished: async () => {
        events.push('interrupt');
        interrupted.open();
        throw new Error('the hook failed');
      },
    });
    expect(report).toEqual({ unfinished: 1 });
    expect(consumer.inFlight()).toBe(0);
    await otherConsumer(events);
    await until(() => events.length === 3);
    expect(events).toEqual(['interrupt', 'ended rejects-1', 'again rejects-1 retries=0']);
    expect(await world.broker.drain(retryQueue)).toEqual([]);
    expect(world.logger.records.map((r) => r.message)).toContain('amqp handlers interrupt failed');
  });

  it('carries out an Ack or a DeadLetter decided after the interruption: neither message comes back', async () => {
    const connection = await connectVia(testAmqpUrl());
    const interrupted = gate();
    const consumer = runner(connection, async (delivery) => {
      await interrupted.promise;
      return delivery.messageId === 'late-ack'
        ? ConsumeDecision.Ack()
        : ConsumeDecision.DeadLetter({ reason: 'refused after the interruption' });
    });
    await Effect.runPromise(consumer.start);
    publish('late-ack');
    publish('late-dead');
    await until(() => consumer.inFlight() === 2);
    const report = await consumer.stop(100, {
      interruptUnfinished: async () => {
        interrupted.open();
        await until(() => consumer.inFlight() === 0);
      },
    });
    expect(report).toEqual({ unfinished: 2 });
    const events: string[] = [];
    await otherConsumer(events);
    publish('after-stop');
    await until(() => events.includes('again after-stop retries=0'));
    expect(events).toEqual(['again after-stop retries=0']);
    const dead = await world.broker.drain(deadLetters);
    expect(dead.map((m) => [m.properties.messageId, m.properties.headers?.[DEAD_LETTER_HEADERS.reason]])).toEqual([
      ['late-dead', 'refused after the interruption'],
    ]);
    expect(await world.broker.drain(retryQueue)).toEqual([]);
  });

  it('after a connection loss during its wait, lets the abandoned Retry go (no ack, no retry) and consumes nothing on the reopened channel', async () => {
    const connection = await connectVia(world.proxy.urlFor(testAmqpUrl()));
    const events: string[] = [];
    const interrupted = gate();
    const consumer = runner(connection, async (delivery) => {
      events.push(`first ${delivery.messageId ?? ''}`);
      await interrupted.promise;
      return ConsumeDecision.Retry({ reason: 'interrupted by the stop' });
    });
    await Effect.runPromise(consumer.start);
    publish('lost-1');
    await until(() => consumer.inFlight() === 1);
    const reconnected = new Promise<void>((resolve) => {
      const off = connection.onStateChange((change) => {
        if (change.to === 'connected') {
          off();
          resolve();
        }
      });
    });
    const report = consumer.stop(100, {
      interruptUnfinished: async () => {
        // the connection goes while the stop interrupts
        world.proxy.dropAll();
        await reconnected;
        interrupted.open();
        await until(() => consumer.inFlight() === 0);
      },
    });
    expect(await report).toEqual({ unfinished: 1 });
    publish('lost-2');
    await otherConsumer(events);
    await until(() => events.filter((event) => event.startsWith('again')).length === 2);
    expect(events.sort()).toEqual(['again lost-1 retries=0', 'again lost-2 retries=0', 'first lost-1']);
    expect(await world.broker.drain(retryQueue)).toEqual([]);
  });
});
