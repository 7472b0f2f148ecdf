import {
  decodeTopUpCommand,
  EventPublisher,
  type PendingEvent,
  TopUpCommandQueue,
  type TopUpCommandV1Json,
} from '@airtime/application';
import { Effect, Either } from 'effect';
import { recordingLogger } from '@airtime/application/testing';
import { BusDecision, type BusDelivery } from './bus-decision';
import { makeInProcessBus } from './in-process-bus.adapter';

const command: TopUpCommandV1Json = {
  version: 1,
  external_id: 'order-42',
  account_id: 'acme',
  phone_number: '+639171234567',
  currency: 'PHP',
  max_amount: '100',
  desired_amount: '50',
};

const event = (id: string, type = 'topup.completed'): PendingEvent => ({
  id,
  type,
  aggregateId: 'tu-1',
  payload: { topUpId: 'tu-1' },
  occurredAt: new Date('2025-01-02T03:04:05Z'),
  publishAttempts: 0,
});

const eventually = async (check: () => boolean, timeoutMs = 2_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};

describe('in-process bus', () => {
  it('delivers an enqueued top-up command as the consumer reads a broker delivery', async () => {
    const bus = makeInProcessBus({ now: () => new Date('2025-01-02T03:04:05.678Z') });
    const seen: BusDelivery[] = [];
    const runner = bus.commandRunner({ prefetch: 4, handler: async (d) => (seen.push(d), BusDecision.Ack()) });
    await Effect.runPromise(runner.start);
    await Effect.runPromise(
      Effect.provide(
        Effect.flatMap(TopUpCommandQueue, (queue) => queue.enqueue(command, 'api:tu-1')),
        bus.layer,
      ),
    );
    await eventually(() => seen.length === 1);
    const [delivery] = seen;
    expect(delivery).toMatchObject({
      messageId: 'api:tu-1',
      type: 'topup.request',
      routingKey: 'topup.request',
      contentType: 'application/json',
      correlationId: 'order-42',
      timestamp: new Date('2025-01-02T03:04:05.000Z'),
      headers: { 'x-schema-version': 1 },
      redelivered: false,
      deliveryCount: 0,
    });
    const decoded = decodeTopUpCommand(delivery?.body ?? new Uint8Array());
    expect(Either.isRight(decoded) && decoded.right).toMatchObject({
      external_id: 'order-42',
      account_id: 'acme',
      phone_number: '+639171234567',
      max_amount: '100',
    });
    expect(await bus.stop(1_000)).toEqual({ unfinished: 0, lost: 0 });
  });

  it('refuses an enqueue with CommandEnqueueFailed when full or stopped, never quoting the command', async () => {
    const bus = makeInProcessBus({ queueCapacity: 1 });
    const enqueue = (id: string) => Effect.runPromise(Effect.either(bus.commandQueue.enqueue(command, id)));
    expect(Either.isRight(await enqueue('a'))).toBe(true);
    const full = await enqueue('b');
    expect(Either.isLeft(full) && full.left).toMatchObject({
      _tag: 'CommandEnqueueFailed',
      code: 'COMMAND_ENQUEUE_FAILED',
      reason: 'the in-process queue is full',
    });
    expect(await bus.stop(100)).toEqual({ unfinished: 0, lost: 1 });
    const stopped = await enqueue('c');
    expect(Either.isLeft(stopped) && stopped.left.reason).toBe('the in-process bus is stopped');
    expect(Either.isLeft(stopped) && stopped.left.message).not.toContain('639171234567');
  });

  it('records published events (bounded) and hands them to subscribers; a failing subscriber is logged', async () => {
    const logger = recordingLogger();
    const bus = makeInProcessBus({ eventCapacity: 2, logger });
    const heard: string[] = [];
    const unsubscribe = bus.subscribe((e) => heard.push(e.id));
    bus.subscribe(() => {
      throw new RangeError('listener bug');
    });
    await Effect.runPromise(
      Effect.provide(
        Effect.flatMap(EventPublisher, (publisher) => publisher.publish([event('e1'), event('e2'), event('e3')])),
        bus.layer,
      ),
    );
    expect(heard).toEqual(['e1', 'e2', 'e3']);
    expect(bus.events().map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(logger.records.filter((r) => r.message === 'in-process event listener failed')).toHaveLength(3);
    unsubscribe();
    await Effect.runPromise(bus.eventPublisher.publish([event('e4')]));
    expect(heard).toEqual(['e1', 'e2', 'e3']);
    await Effect.runPromise(bus.eventPublisher.publish([]));
    await bus.stop(100);
    const after = await Effect.runPromise(Effect.either(bus.eventPublisher.publish([event('e5')])));
    expect(Either.isLeft(after) && after.left._tag).toBe('EventPublishFailed');
    expect(bus.events().map((e) => e.id)).toEqual(['e3', 'e4']);
  });

  it('dead-letters a command past its retries and keeps it for inspection', async () => {
    const logger = recordingLogger();
    const bus = makeInProcessBus({ maxRetries: 1, retryDelay: { minDelayMs: 1, maxDelayMs: 1 }, logger });
    const runner = bus.commandRunner({
      prefetch: 1,
      handler: async () => BusDecision.Retry({ reason: 'ledger unavailable' }),
    });
    await Effect.runPromise(runner.start);
    await Effect.runPromise(bus.commandQueue.enqueue(command, 'api:tu-9'));
    await eventually(() => bus.deadLetters().length === 1);
    expect(bus.deadLetters()[0]).toMatchObject({
      messageId: 'api:tu-9',
      reason: 'ledger unavailable (given up after 1 retries)',
      retries: 1,
    });
    expect(bus.stats()).toMatchObject({ ready: 0, delayed: 0, inFlight: 0, deadLettered: 1 });
    expect(logger.text()).not.toContain('639171234567');
    await bus.stop(100);
  });
});
