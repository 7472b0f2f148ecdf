import { Effect } from 'effect';
import { recordingLogger, type RecordingLogger } from '@airtime/application/testing';
import { BusDecision, type BusDelivery, retryCountOf } from './bus-decision';
import { makeMessageQueue, type BusMessage, type MessageQueue, type MessageQueueOptions } from './message-queue.runner';

const queueOf = (overrides: Partial<MessageQueueOptions> = {}): MessageQueue =>
  makeMessageQueue({
    name: 'spec',
    capacity: 100,
    maxRetries: 3,
    retryDelay: { minDelayMs: 1, maxDelayMs: 4 },
    deadLetterCapacity: 10,
    logger: recordingLogger(),
    now: () => new Date('2025-01-02T03:04:05.678Z'),
    ...overrides,
  });

const message = (id: string, body = `{"id":"${id}"}`): BusMessage => ({
  body: Buffer.from(body, 'utf8'),
  messageId: id,
  routingKey: 'topup.request',
  type: 'topup.request',
  contentType: 'application/json',
  correlationId: `order-${id}`,
  headers: { 'x-schema-version': 1 },
});

/** Waits until `check` holds (polling every millisecond), or fails after `timeoutMs`. */
const eventually = async (check: () => boolean, timeoutMs = 2_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and its resolver, to hold a handler until the spec lets it go. */
const gate = (): { readonly wait: Promise<void>; readonly open: () => void } => {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
};

describe('in-process message queue', () => {
  it('delivers a message once, with the fields of a broker delivery, to a started runner', async () => {
    const queue = queueOf();
    const seen: BusDelivery[] = [];
    const runner = queue.runner({ prefetch: 1, handler: async (d) => (seen.push(d), BusDecision.Ack()) });
    expect(queue.enqueue(message('m1'))).toBeUndefined();
    await sleep(5);
    expect(seen).toEqual([]); // nothing before start
    Effect.runSync(runner.start);
    await eventually(() => seen.length === 1);
    const [delivery] = seen;
    expect(delivery).toEqual({
      body: Buffer.from('{"id":"m1"}'),
      messageId: 'm1',
      type: 'topup.request',
      contentType: 'application/json',
      correlationId: 'order-m1',
      timestamp: new Date('2025-01-02T03:04:05.000Z'),
      exchange: 'in-process',
      routingKey: 'topup.request',
      redelivered: false,
      deliveryCount: 0,
      headers: { 'x-schema-version': 1 },
    });
    await sleep(5);
    expect(seen).toHaveLength(1);
    expect(queue.stats()).toEqual({ ready: 0, delayed: 0, inFlight: 0, deadLettered: 0, lost: 0 });
    await queue.stop(100);
  });

  it('a Retry comes back with x-retry-count one higher, and past maxRetries is dead-lettered with the reason', async () => {
    const logger = recordingLogger();
    const queue = queueOf({ maxRetries: 2, logger });
    const counts: number[] = [];
    const runner = queue.runner({
      prefetch: 1,
      handler: async (d) => (counts.push(retryCountOf(d)), BusDecision.Retry({ reason: 'provider timed out' })),
    });
    Effect.runSync(runner.start);
    queue.enqueue(message('m1'));
    await eventually(() => queue.deadLetters().length === 1);
    expect(counts).toEqual([0, 1, 2]);
    const [dead] = queue.deadLetters();
    expect(dead).toMatchObject({
      messageId: 'm1',
      routingKey: 'topup.request',
      retries: 2,
      reason: 'provider timed out (given up after 2 retries)',
      headers: { 'x-schema-version': 1, 'x-retry-count': 2, 'x-retry-reason': 'provider timed out' },
    });
    expect(dead?.body.toString()).toBe('{"id":"m1"}');
    expect(logger.records.some((r) => r.level === 'warn' && /dead-lettered/.test(r.message))).toBe(true);
    await queue.stop(100);
  });

  it('takes a caller’s x-retry-count and x-retry-reason for nothing: the message starts at 0 retries and gets them all', async () => {
    const queue = queueOf({ maxRetries: 2 });
    const seen: BusDelivery[] = [];
    const runner = queue.runner({
      prefetch: 1,
      handler: async (d) => (seen.push(d), BusDecision.Retry({ reason: 'PERSISTENCE_FAILURE: connection lost' })),
    });
    Effect.runSync(runner.start);
    queue.enqueue({
      ...message('m1'),
      headers: { 'x-schema-version': 1, 'x-retry-count': 99, 'x-retry-reason': 'forged' },
    });
    await eventually(() => queue.deadLetters().length === 1);
    expect(seen.map((d) => retryCountOf(d))).toEqual([0, 1, 2]);
    expect(seen[0]?.headers).toEqual({ 'x-schema-version': 1 });
    expect(queue.deadLetters()[0]).toMatchObject({
      retries: 2,
      reason: 'PERSISTENCE_FAILURE: connection lost (given up after 2 retries)',
    });
    await queue.stop(100);
  });

  it('waits longer between later retries (within the delay bounds)', async () => {
    const queue = queueOf({ maxRetries: 3, retryDelay: { minDelayMs: 20, maxDelayMs: 80 }, random: () => 0.999 });
    const at: number[] = [];
    const runner = queue.runner({
      prefetch: 1,
      handler: async () => (at.push(Date.now()), BusDecision.Retry({ reason: 'r' })),
    });
    Effect.runSync(runner.start);
    queue.enqueue(message('m1'));
    await eventually(() => queue.deadLetters().length === 1);
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    // retry n waits about min(20 * 2^(n-1), 80): 20, 40, 80 (timers never fire early)
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    await queue.stop(100);
  });

  it('a DeadLetter keeps the message with its reason in a bounded list', async () => {
    const queue = queueOf({ deadLetterCapacity: 2 });
    const runner = queue.runner({ prefetch: 4, handler: async () => BusDecision.DeadLetter({ reason: 'malformed' }) });
    Effect.runSync(runner.start);
    for (const id of ['a', 'b', 'c']) queue.enqueue(message(id));
    await eventually(() => queue.stats().deadLettered === 3);
    expect(queue.deadLetters().map((d) => [d.messageId, d.reason, d.retries])).toEqual([
      ['b', 'malformed', 0],
      ['c', 'malformed', 0],
    ]);
    await queue.stop(100);
  });

  it('a handler that throws is retried, and its error message is never logged', async () => {
    const logger = recordingLogger();
    const queue = queueOf({ logger, maxRetries: 5 });
    let calls = 0;
    const runner = queue.runner({
      prefetch: 1,
      handler: async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('secret +639171234567');
        return BusDecision.Ack();
      },
    });
    Effect.runSync(runner.start);
    queue.enqueue(message('m1'));
    await eventually(() => calls === 2 && runner.inFlight() === 0);
    expect(logger.text()).toContain('handler failed: TypeError');
    expect(logger.text()).not.toContain('639171234567');
    await queue.stop(100);
  });

  it('refuses an enqueue when full (ready and delayed messages count) and when stopped', async () => {
    const queue = queueOf({ capacity: 2 });
    expect(queue.enqueue(message('a'))).toBeUndefined();
    expect(queue.enqueue(message('b'))).toBeUndefined();
    expect(queue.enqueue(message('c'))).toBe('full');
    const report = await queue.stop(100);
    expect(report).toEqual({ unfinished: 0, lost: 2 });
    expect(queue.enqueue(message('d'))).toBe('stopped');
    expect(queue.stats().lost).toBe(2);
  });

  it('stop waits for in-flight handlers up to its timeout and delivers nothing after', async () => {
    const queue = queueOf();
    const hold = gate();
    const seen: string[] = [];
    const runner = queue.runner({
      prefetch: 1,
      handler: async (d) => {
        seen.push(d.messageId ?? '');
        await hold.wait;
        return BusDecision.Ack();
      },
    });
    Effect.runSync(runner.start);
    queue.enqueue(message('a'));
    queue.enqueue(message('b'));
    await eventually(() => runner.inFlight() === 1);
    const started = Date.now();
    expect(await runner.stop(30)).toEqual({ unfinished: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(29);
    hold.open();
    await eventually(() => runner.inFlight() === 0);
    await sleep(10);
    expect(seen).toEqual(['a']);
    expect(await runner.stop(30)).toEqual({ unfinished: 0 });
    // the queue still holds b; stopping the bus drops it
    expect(await queue.stop(30)).toEqual({ unfinished: 0, lost: 1 });
  });

  it('stop returns as soon as the in-flight handlers are done', async () => {
    const queue = queueOf();
    const hold = gate();
    const runner = queue.runner({ prefetch: 2, handler: async () => (await hold.wait, BusDecision.Ack()) });
    Effect.runSync(runner.start);
    queue.enqueue(message('a'));
    await eventually(() => runner.inFlight() === 1);
    setTimeout(hold.open, 10);
    // a timeout far beyond a loaded machine's pauses: a stop that returned before it did not wait for it
    const stopTimeoutMs = 20_000;
    const started = Date.now();
    expect(await queue.stop(stopTimeoutMs)).toEqual({ unfinished: 0, lost: 0 });
    expect(Date.now() - started).toBeLessThan(stopTimeoutMs);
  });

  it('a retry waiting for its delay is dropped by the stop, never delivered', async () => {
    const queue = queueOf({ retryDelay: { minDelayMs: 30, maxDelayMs: 30 } });
    let calls = 0;
    const runner = queue.runner({
      prefetch: 1,
      handler: async () => (calls++, BusDecision.Retry({ reason: 'later' })),
    });
    Effect.runSync(runner.start);
    queue.enqueue(message('a'));
    await eventually(() => queue.stats().delayed === 1);
    expect(await queue.stop(100)).toEqual({ unfinished: 0, lost: 1 });
    await sleep(60);
    expect(calls).toBe(1);
  });

  it('a runner started twice, or after the stop, changes nothing', async () => {
    const queue = queueOf();
    const seen: string[] = [];
    const runner = queue.runner({
      prefetch: 1,
      handler: async (d) => (seen.push(d.messageId ?? ''), BusDecision.Ack()),
    });
    Effect.runSync(runner.start);
    Effect.runSync(runner.start);
    queue.enqueue(message('a'));
    await eventually(() => seen.length === 1);
    await queue.stop(100);
    const late = queue.runner({ prefetch: 1, handler: async () => BusDecision.Ack() });
    Effect.runSync(late.start);
    Effect.runSync(runner.start);
    expect(queue.enqueue(message('b'))).toBe('stopped');
    await sleep(5);
    expect(seen).toEqual(['a']);
  });

  it('several runners share the messages, each within its prefetch', async () => {
    const queue = queueOf();
    const byRunner = { one: 0, two: 0 };
    const active = { one: 0, two: 0 };
    const most = { one: 0, two: 0 };
    const handlerOf = (name: 'one' | 'two') => async (): Promise<BusDecision> => {
      active[name] += 1;
      most[name] = Math.max(most[name], active[name]);
      await sleep(1);
      active[name] -= 1;
      byRunner[name] += 1;
      return BusDecision.Ack();
    };
    Effect.runSync(queue.runner({ prefetch: 2, handler: handlerOf('one') }).start);
    Effect.runSync(queue.runner({ prefetch: 3, handler: handlerOf('two') }).start);
    for (let i = 0; i < 40; i += 1) queue.enqueue(message(`m${i}`));
    await eventually(() => byRunner.one + byRunner.two === 40);
    expect(byRunner.one).toBeGreaterThan(0);
    expect(byRunner.two).toBeGreaterThan(0);
    expect(most.one).toBeLessThanOrEqual(2);
    expect(most.two).toBeLessThanOrEqual(3);
    await queue.stop(100);
  });

  it('never logs a message body', async () => {
    const logger = recordingLogger();
    const queue = queueOf({ logger, maxRetries: 1, capacity: 1 });
    const runner = queue.runner({ prefetch: 1, handler: async () => BusDecision.Retry({ reason: 'no' }) });
    Effect.runSync(runner.start);
    queue.enqueue(message('a', '{"phone_number":"+639171234567"}'));
    queue.enqueue(message('b', '{"phone_number":"+639171234567"}'));
    await eventually(() => queue.deadLetters().length === 1);
    await queue.stop(100);
    expect((logger as RecordingLogger).text()).not.toContain('639171234567');
  });
});
