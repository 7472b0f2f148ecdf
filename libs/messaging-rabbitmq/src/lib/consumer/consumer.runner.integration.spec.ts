import { Effect, Either } from 'effect';
import { testAmqpUrl } from '../../testing';
import { ConsumeDecision, type Delivery } from './consume-decision';
import { consumerRunnerWorld, gate, until } from '../../testing/consumer-runner-world.fixture';
import { DEAD_LETTER_HEADERS, RETRY_HEADERS } from './consumer.runner';

const world = consumerRunnerWorld('consumer', {}, (topology) => [`${topology.prefix}.ephemeral`]);
const { topology, queue, deadLetters, retryQueue, connectVia, runner, publish } = world;
const ephemeral = `${topology.prefix}.ephemeral`;

describe('consumer runner (RabbitMQ)', () => {
  it('acks what its handler acks, holding at most `prefetch` deliveries at once', async () => {
    const connection = await connectVia(testAmqpUrl());
    const release = gate();
    let running = 0;
    let maxRunning = 0;
    const seen: Delivery[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        seen.push(delivery);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await release.promise;
        running -= 1;
        return ConsumeDecision.Ack();
      },
      { prefetch: 3 },
    );
    await Effect.runPromise(consumer.start);
    for (let i = 0; i < 10; i += 1) publish(`p-${i}`);
    await until(() => running === 3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(running).toBe(3);
    expect(consumer.inFlight()).toBe(3);
    release.open();
    await until(() => seen.length === 10 && consumer.inFlight() === 0);
    expect(maxRunning).toBe(3);
    expect(seen[0]).toMatchObject({
      messageId: 'p-0',
      type: 'topup.request',
      contentType: 'application/json',
      routingKey: 'topup.request',
      exchange: topology.exchanges.commands.name,
      redelivered: false,
      deliveryCount: 0,
    });
    expect(JSON.parse(seen[0]?.body.toString('utf8') ?? '')).toEqual({ id: 'p-0' });
    await until(() => consumer.inFlight() === 0);
    expect(await world.broker.waitForCount(queue, 0)).toBe(0);
    await consumer.stop(1_000);
    expect((await world.broker.channel.checkQueue(queue)).messageCount).toBe(0);
  });

  it('requeues on Retry until the delivery limit, after which the broker dead-letters the message', async () => {
    const connection = await connectVia(testAmqpUrl());
    const counts: number[] = [];
    const consumer = runner(connection, async (delivery) => {
      counts.push(delivery.deliveryCount);
      return ConsumeDecision.Retry({ reason: 'database unavailable' });
    });
    await Effect.runPromise(consumer.start);
    publish('retry-1');
    expect(await world.broker.waitForCount(deadLetters, 1)).toBe(1);
    expect(counts).toEqual([0, 1, 2, 3, 4, 5]);
    const [dead] = await world.broker.drain(deadLetters);
    expect(dead?.properties.messageId).toBe('retry-1');
    expect(dead?.properties.headers?.['x-death']).toEqual([
      expect.objectContaining({ reason: 'delivery_limit', queue }),
    ]);
  });

  it('dead-letters on DeadLetter with the reason in a header, and acks the original (never retried)', async () => {
    const connection = await connectVia(testAmqpUrl());
    let calls = 0;
    const consumer = runner(
      connection,
      async () => {
        calls += 1;
        return ConsumeDecision.DeadLetter({ reason: 'invalid command: phoneNumber is not E.164' });
      },
      { now: () => new Date('2026-11-30T10:00:00Z') },
    );
    await Effect.runPromise(consumer.start);
    publish('poison-1', { phoneNumber: 'garbage' });
    expect(await world.broker.waitForCount(deadLetters, 1)).toBe(1);
    const [dead] = await world.broker.drain(deadLetters);
    expect(dead?.properties).toMatchObject({
      messageId: 'poison-1',
      type: 'topup.request',
      contentType: 'application/json',
      deliveryMode: 2,
      headers: {
        [DEAD_LETTER_HEADERS.reason]: 'invalid command: phoneNumber is not E.164',
        [DEAD_LETTER_HEADERS.originalExchange]: topology.exchanges.commands.name,
        [DEAD_LETTER_HEADERS.originalRoutingKey]: 'topup.request',
        [DEAD_LETTER_HEADERS.originalQueue]: queue,
        [DEAD_LETTER_HEADERS.deliveryCount]: 0,
        [DEAD_LETTER_HEADERS.deadLetteredAt]: '2026-11-30T10:00:00.000Z',
      },
    });
    expect(dead?.fields.routingKey).toBe('topup.request');
    expect(JSON.parse(dead?.content.toString('utf8') ?? '')).toEqual({ phoneNumber: 'garbage' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(1);
    expect((await world.broker.channel.checkQueue(queue)).messageCount).toBe(0);
  });

  it('requeues a delivery whose dead-letter publish is not confirmed (the reason is never lost by an ack)', async () => {
    const connection = await connectVia(testAmqpUrl());
    const counts: number[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        counts.push(delivery.deliveryCount);
        return counts.length === 1 ? ConsumeDecision.DeadLetter({ reason: 'malformed' }) : ConsumeDecision.Ack();
      },
      { deadLetterExchange: `${topology.prefix}.no-such-exchange` },
    );
    await Effect.runPromise(consumer.start);
    publish('dl-fails-1');
    await until(() => counts.length === 2);
    expect(counts).toEqual([0, 1]);
    const failure = world.logger.records.find((r) => r.message.startsWith('amqp dead-letter publish failed'));
    expect(failure?.fields).toMatchObject({ kind: 'channel-closed' });
  });

  it('takes a handler failure as Retry: the delivery comes back, counted', async () => {
    const connection = await connectVia(testAmqpUrl());
    const counts: number[] = [];
    const consumer = runner(connection, async (delivery) => {
      counts.push(delivery.deliveryCount);
      if (counts.length === 1) throw new TypeError('bug with +254711000111 inside');
      return ConsumeDecision.Ack();
    });
    await Effect.runPromise(consumer.start);
    publish('throws-1');
    await until(() => counts.length === 2);
    expect(counts).toEqual([0, 1]);
    const failure = world.logger.records.find((r) => r.message.startsWith('amqp handler failed'));
    expect(failure?.fields['reason']).toBe('handler failed: unexpected TypeError');
    expect(world.logger.text()).not.toContain('254711000111');
  });

  it('holds a retried delivery for retryDelayMs before requeueing it', async () => {
    const connection = await connectVia(testAmqpUrl());
    const seenAt: number[] = [];
    const consumer = runner(
      connection,
      async () => {
        seenAt.push(Date.now());
        return seenAt.length === 1 ? ConsumeDecision.Retry({ reason: 'busy' }) : ConsumeDecision.Ack();
      },
      { retryDelayMs: 300 },
    );
    await Effect.runPromise(consumer.start);
    publish('delayed-1');
    await until(() => seenAt.length === 2);
    expect((seenAt[1] ?? 0) - (seenAt[0] ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('retries through the retry queue with growing delays, each a fresh delivery: the delivery limit is never burned', async () => {
    const connection = await connectVia(testAmqpUrl());
    const seen: { delivery: Delivery; at: number }[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        seen.push({ delivery, at: Date.now() });
        // more retries than the queue's x-delivery-limit (5)
        return seen.length <= 7
          ? ConsumeDecision.Retry({ reason: `DATABASE_DOWN: try ${seen.length}` })
          : ConsumeDecision.Ack();
      },
      {
        retryQueue: {
          queue: retryQueue,
          maxRetries: 10,
          delay: { minDelayMs: 100, maxDelayMs: 400 },
          random: () => 0.99,
        },
      },
    );
    await Effect.runPromise(consumer.start);
    publish('parked-1', { order: 1 }, { 'x-schema-version': 1 });
    await until(() => seen.length === 8 && consumer.inFlight() === 0, 15_000);
    expect(seen.map((s) => s.delivery.deliveryCount)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(seen.map((s) => s.delivery.headers[RETRY_HEADERS.count])).toEqual([undefined, 1, 2, 3, 4, 5, 6, 7]);
    expect(seen[3]?.delivery.headers[RETRY_HEADERS.reason]).toBe('DATABASE_DOWN: try 3');
    for (const { delivery } of seen) {
      expect(delivery).toMatchObject({
        messageId: 'parked-1',
        type: 'topup.request',
        contentType: 'application/json',
        exchange: topology.exchanges.commands.name,
        routingKey: 'topup.request',
        headers: expect.objectContaining({ 'x-schema-version': 1 }) as unknown,
      });
      expect(JSON.parse(delivery.body.toString('utf8'))).toEqual({ order: 1 });
    }
    // 100 ms doubling up to 400 ms (jitter drawn near the top of [base/2, base])
    const gaps = seen.slice(1).map((s, index) => s.at - (seen[index]?.at ?? 0));
    const floors = [99, 198, 396, 396, 396, 396, 396].map((ms) => ms - 25);
    gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(floors[index] ?? 0));
    expect(await world.broker.waitForCount(queue, 0)).toBe(0);
    expect((await world.broker.channel.checkQueue(retryQueue)).messageCount).toBe(0);
    expect((await world.broker.channel.checkQueue(deadLetters)).messageCount).toBe(0);
    expect(world.logger.records.filter((r) => r.message === 'amqp delivery parked in the retry queue')).toHaveLength(7);
  });

  it('dead-letters a message out of retries with the last reason and its retry count', async () => {
    const connection = await connectVia(testAmqpUrl());
    let calls = 0;
    const consumer = runner(
      connection,
      async () => {
        calls += 1;
        return ConsumeDecision.Retry({ reason: `PERSISTENCE_FAILURE: read-only (${calls})` });
      },
      { retryQueue: { queue: retryQueue, maxRetries: 2, delay: { minDelayMs: 20, maxDelayMs: 40 } } },
    );
    await Effect.runPromise(consumer.start);
    publish('exhausted-1');
    expect(await world.broker.waitForCount(deadLetters, 1, 10_000)).toBe(1);
    expect(calls).toBe(3);
    const [dead] = await world.broker.drain(deadLetters);
    expect(dead?.properties.messageId).toBe('exhausted-1');
    expect(dead?.properties.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'PERSISTENCE_FAILURE: read-only (3) (given up after 2 retries)',
      [RETRY_HEADERS.count]: 2,
      [DEAD_LETTER_HEADERS.originalQueue]: queue,
      // each retry came back as a fresh delivery
      [DEAD_LETTER_HEADERS.deliveryCount]: 0,
    });
    expect((await world.broker.channel.checkQueue(retryQueue)).messageCount).toBe(0);
  });

  it('counts retries only of a delivery back from its retry queue: a publisher’s x-retry-count 99 is a fresh command, parked as retry 1, then counted up to the last retry', async () => {
    const connection = await connectVia(testAmqpUrl());
    const seen: Delivery[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        seen.push(delivery);
        return ConsumeDecision.Retry({ reason: 'PERSISTENCE_FAILURE: connection lost' });
      },
      { retryQueue: { queue: retryQueue, maxRetries: 2, delay: { minDelayMs: 20, maxDelayMs: 40 } } },
    );
    await Effect.runPromise(consumer.start);
    publish('forged-count-1', undefined, { [RETRY_HEADERS.count]: 99 });
    expect(await world.broker.waitForCount(deadLetters, 1, 10_000)).toBe(1);
    // delivered fresh, then twice back from the retry queue: never dead-lettered on its first failure
    expect(seen.map((d) => d.headers[RETRY_HEADERS.count])).toEqual([99, 1, 2]);
    const parked = world.logger.records.filter((r) => r.message === 'amqp delivery parked in the retry queue');
    expect(parked.map((r) => r.fields['retry'])).toEqual([1, 2]);
    const [dead] = await world.broker.drain(deadLetters);
    expect(dead?.properties.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: 'PERSISTENCE_FAILURE: connection lost (given up after 2 retries)',
      [RETRY_HEADERS.count]: 2,
    });
  });

  it('takes no x-death it did not earn: one naming another queue, or our retry queue for another reason, counts no retry', async () => {
    const connection = await connectVia(testAmqpUrl());
    const seen: Delivery[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        seen.push(delivery);
        return delivery.headers[RETRY_HEADERS.reason] === undefined
          ? ConsumeDecision.Retry({ reason: 'PERSISTENCE_FAILURE: connection lost' })
          : ConsumeDecision.Ack();
      },
      { retryQueue: { queue: retryQueue, maxRetries: 3, delay: { minDelayMs: 10, maxDelayMs: 10 } } },
    );
    await Effect.runPromise(consumer.start);
    const death = (queueName: string, reason: string) => [
      { queue: queueName, reason, count: 1, exchange: '', 'routing-keys': [queueName] },
    ];
    publish('other-queue-1', undefined, {
      [RETRY_HEADERS.count]: 3,
      'x-death': death(`${topology.prefix}.another-queue`, 'expired'),
    });
    publish('other-reason-1', undefined, { [RETRY_HEADERS.count]: 3, 'x-death': death(retryQueue, 'rejected') });
    await until(() => seen.length === 4 && consumer.inFlight() === 0);
    expect((await world.broker.channel.checkQueue(deadLetters)).messageCount).toBe(0);
    const parked = world.logger.records.filter((r) => r.message === 'amqp delivery parked in the retry queue');
    expect(parked.map((r) => r.fields['retry'])).toEqual([1, 1]);
  });

  it('requeues a retried delivery whose retry publish is not confirmed (no such retry queue): never lost', async () => {
    const connection = await connectVia(testAmqpUrl());
    const counts: number[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        counts.push(delivery.deliveryCount);
        return counts.length === 1 ? ConsumeDecision.Retry({ reason: 'busy' }) : ConsumeDecision.Ack();
      },
      {
        retryQueue: {
          queue: `${topology.prefix}.no-such-retry-queue`,
          maxRetries: 5,
          delay: { minDelayMs: 10, maxDelayMs: 10 },
        },
      },
    );
    await Effect.runPromise(consumer.start);
    publish('unroutable-1');
    await until(() => counts.length === 2);
    expect(counts).toEqual([0, 1]);
    const failure = world.logger.records.find((r) => r.message === 'amqp retry publish failed; delivery requeued');
    expect(failure?.fields).toMatchObject({ kind: 'unroutable' });
  });

  it('keeps a message without a message id without one through a retry and a dead letter', async () => {
    const connection = await connectVia(testAmqpUrl());
    const seen: Delivery[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        seen.push(delivery);
        return seen.length === 1
          ? ConsumeDecision.Retry({ reason: 'busy' })
          : ConsumeDecision.DeadLetter({ reason: 'malformed' });
      },
      { retryQueue: { queue: retryQueue, maxRetries: 5, delay: { minDelayMs: 10, maxDelayMs: 10 } } },
    );
    await Effect.runPromise(consumer.start);
    publish(undefined, { anonymous: true });
    expect(await world.broker.waitForCount(deadLetters, 1)).toBe(1);
    expect(seen.map((d) => d.messageId)).toEqual([undefined, undefined]);
    const [dead] = await world.broker.drain(deadLetters);
    expect(dead?.properties.messageId).toBeUndefined();
  });

  it('keeps consuming after the connection is cut: a delivery in flight is redelivered, never acked on the new channel', async () => {
    const connection = await connectVia(world.proxy.urlFor(testAmqpUrl()));
    const release = gate();
    const seen: Delivery[] = [];
    const consumer = runner(connection, async (delivery) => {
      seen.push(delivery);
      if (delivery.messageId === 'cut-1' && !delivery.redelivered) await release.promise;
      return ConsumeDecision.Ack();
    });
    await Effect.runPromise(consumer.start);
    publish('cut-1');
    await until(() => seen.length === 1);

    const back = new Promise<void>((resolve) => {
      const off = connection.onStateChange((change) => {
        if (change.from === 'reconnecting' && change.to === 'connected') {
          off();
          resolve();
        }
      });
    });
    world.proxy.dropAll();
    await back;
    release.open(); // its ack would belong to the old channel: dropped
    publish('cut-2');
    await until(
      () => seen.some((d) => d.messageId === 'cut-2') && seen.filter((d) => d.messageId === 'cut-1').length === 2,
    );
    const again = seen.filter((d) => d.messageId === 'cut-1')[1];
    expect(again).toMatchObject({ redelivered: true, deliveryCount: 1 });
    await until(() => consumer.inFlight() === 0);
    expect(await world.broker.waitForCount(queue, 0)).toBe(0);
    expect(world.logger.records.some((r) => r.message.startsWith('amqp delivery outcome dropped'))).toBe(true);
    expect(connection.state()).toBe('connected');
  });

  it('shuts down gracefully: stops new deliveries, finishes the ones in flight, then closes', async () => {
    const connection = await connectVia(testAmqpUrl());
    const release = gate();
    const finished: string[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        await release.promise;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished.push(delivery.messageId ?? '');
        return ConsumeDecision.Ack();
      },
      { prefetch: 3 },
    );
    await Effect.runPromise(consumer.start);
    for (let i = 0; i < 3; i += 1) publish(`inflight-${i}`);
    await until(() => consumer.inFlight() === 3);

    const stopped = consumer.stop(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let i = 0; i < 2; i += 1) publish(`later-${i}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(consumer.inFlight()).toBe(3); // nothing new was delivered after basic.cancel
    release.open();
    await expect(stopped).resolves.toEqual({ unfinished: 0 });
    expect(finished.sort()).toEqual(['inflight-0', 'inflight-1', 'inflight-2']);
    // the in-flight ones were acked before the channel closed; the later ones wait in the queue
    const left = await world.broker.drain(queue);
    expect(left.map((m) => m.properties.messageId)).toEqual(['later-0', 'later-1']);
  });

  it('returns a delivery whose handler outlives the shutdown timeout to the queue', async () => {
    const connection = await connectVia(testAmqpUrl());
    const consumer = runner(connection, () => new Promise<ConsumeDecision>(() => undefined));
    await Effect.runPromise(consumer.start);
    publish('stuck-1');
    await until(() => consumer.inFlight() === 1);
    await expect(consumer.stop(200)).resolves.toEqual({ unfinished: 1 });
    expect(await world.broker.waitForCount(queue, 1)).toBe(1);
    const [back] = await world.broker.drain(queue);
    expect(back?.properties.messageId).toBe('stuck-1');
  });

  it('has the handlers that outlive the timeout interrupted before it closes: their message comes back after them, never beside them, with no retry spent', async () => {
    const connection = await connectVia(testAmqpUrl());
    const interrupted = gate();
    const events: string[] = [];
    let running = 0;
    const consumer = runner(
      connection,
      async (delivery) => {
        running += 1;
        await interrupted.promise;
        // an interrupted handler takes a while to end (a batch it waits for)
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`ended ${delivery.messageId ?? ''}`);
        running -= 1;
        return ConsumeDecision.Retry({ reason: 'interrupted by the stop' });
      },
      { retryQueue: { queue: retryQueue, maxRetries: 3, delay: { minDelayMs: 10, maxDelayMs: 10 } } },
    );
    await Effect.runPromise(consumer.start);
    publish('outlives-1');
    await until(() => consumer.inFlight() === 1);
    // another process's consumer of the same queue
    const other = runner(await connectVia(testAmqpUrl()), async (delivery) => {
      events.push(`again ${delivery.messageId ?? ''} retries=${String(delivery.headers[RETRY_HEADERS.count] ?? 0)}`);
      return ConsumeDecision.Ack();
    });
    await Effect.runPromise(other.start);

    const report = await consumer.stop(200, {
      interruptUnfinished: async () => {
        events.push('interrupt');
        interrupted.open();
        await until(() => running === 0);
      },
    });
    expect(report).toEqual({ unfinished: 1 });
    await until(() => events.length === 3);
    expect(events).toEqual(['interrupt', 'ended outlives-1', 'again outlives-1 retries=0']);
    expect(await world.broker.drain(retryQueue)).toEqual([]);
    expect(world.logger.records.map((r) => r.message)).toContain(
      'amqp delivery left unacknowledged by the stop; the broker delivers it again once the channel closes',
    );
  });

  it('consumes again after the broker cancels its consumer (queue deleted and declared anew)', async () => {
    const connection = await connectVia(testAmqpUrl());
    await world.broker.channel.assertQueue(ephemeral, { durable: false });
    const seen: string[] = [];
    const consumer = runner(
      connection,
      async (delivery) => {
        seen.push(delivery.messageId ?? '');
        return ConsumeDecision.Ack();
      },
      { queue: ephemeral },
    );
    await Effect.runPromise(consumer.start);
    world.broker.channel.sendToQueue(ephemeral, Buffer.from('{}'), { messageId: 'before-delete' });
    await until(() => seen.length === 1);

    await world.broker.channel.deleteQueue(ephemeral);
    await until(() => world.logger.records.some((r) => r.message === 'amqp consumer cancelled by the broker'));
    await world.broker.channel.assertQueue(ephemeral, { durable: false });
    world.broker.channel.sendToQueue(ephemeral, Buffer.from('{}'), { messageId: 'after-redeclare' });
    await until(() => seen.length === 2);
    expect(seen).toEqual(['before-delete', 'after-redeclare']);
  });

  it('fails to start on a missing queue with a typed, non-retryable error', async () => {
    const connection = await connectVia(testAmqpUrl());
    const consumer = runner(connection, async () => ConsumeDecision.Ack(), {
      queue: `${topology.prefix}.no-such-queue`,
      prefetch: 1,
      confirmTimeoutMs: 1_000,
      // long enough for a loaded machine's first channel open to reach the broker's 404 (the start waits it out)
      startTimeoutMs: 3_000,
    });
    const result = await Effect.runPromise(Effect.either(consumer.start));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'ConsumerStartFailed',
      reason: 'NOT_FOUND (404)',
      retryable: false,
    });
    // a failed start is final: no more attempts in the background. The attempt in flight when the start gave up
    // (its consume sent after the qos) may still end, and log its failure, afterwards; none starts after it, so a
    // loop still trying (an attempt every 200 ms at most) would log two or more in this time
    const failures = () => world.logger.records.filter((r) => r.message === 'amqp channel open failed').length;
    const attempts = failures();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(failures()).toBeLessThanOrEqual(attempts + 1);
  });
});
