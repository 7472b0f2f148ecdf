import {
  fundAccount,
  inMemoryLayers,
  makeRelayCallbackSender,
  makeRelayEventPublisher,
  sampleCatalogue,
  sampleRequestInput,
} from '@airtime/application/testing';
import { ConsumeDecision, ConsumerStartFailed } from '@airtime/messaging-rabbitmq';
import { Effect, Layer, ManagedRuntime } from 'effect';
import { makePlatformMetrics } from '../observability/platform-metrics';
import { makeRecordingLogger } from '../../testing/recording-logger.fake';
import type { CommandDelivery, CommandHandler, CommandRunner } from './command-runner.types';
import { makeTopUpWorkers } from './top-up-workers.runner';

const settings = {
  consumerName: 'test-consumer',
  allowPrivateCallbackHosts: false,
  commandBatchMax: 100,
  changeBatchMax: 100,
  scheduler: { intervalMs: 20, batchSize: 10, stalledAfterMs: 60_000, concurrency: 2 },
  callbackTimeoutMs: 1_000,
  clockScale: 1,
};

/** A command source of the test's own (as the in-process bus is one): deliveries are pushed by hand. */
const handRunner = (journal: string[], startFailure?: ConsumerStartFailed) => {
  let handler: CommandHandler | undefined;
  let running = 0;
  let stopped = false;
  const runner = (given: CommandHandler): CommandRunner => {
    handler = given;
    return {
      start: startFailure === undefined ? Effect.sync(() => journal.push('runner started')) : Effect.fail(startFailure),
      // as RabbitMQ's runner: the handlers its timeout left are ended through the hook before it lets go
      stop: async (_timeoutMs, options) => {
        stopped = true;
        const unfinished = running;
        if (unfinished > 0 && options?.interruptUnfinished !== undefined) {
          journal.push(`runner interrupts ${unfinished}`);
          await options.interruptUnfinished();
          // and waits for their decisions (RabbitMQ's runner: up to its timeout again)
          for (const deadline = Date.now() + 10_000; running > 0 && Date.now() < deadline;) {
            await new Promise((resolve) => setImmediate(resolve));
          }
          journal.push('runner lets go');
        }
        journal.push('runner stopped');
        return { unfinished };
      },
      inFlight: () => running,
    };
  };
  const deliver = async (delivery: CommandDelivery): Promise<ConsumeDecision> => {
    if (handler === undefined || stopped) throw new Error('the runner is not running');
    running += 1;
    try {
      const decision = await handler(delivery);
      if (stopped) journal.push(`handler decided ${decision._tag}`);
      return decision;
    } finally {
      running -= 1;
    }
  };
  return { runner, deliver };
};

/** The tasks whose loop has ticked at least once, read until it holds `expected` (or a deadline passes). */
const tickedTasks = async (
  metrics: ReturnType<typeof makePlatformMetrics>,
  expected: readonly string[],
): Promise<Set<unknown>> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ticked = new Set((await metrics.schedulerTicks.get()).values.map((value) => value.labels['task']));
    if (expected.every((task) => ticked.has(task)) || Date.now() > deadline) return ticked;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const setUp = (
  startFailure?: ConsumerStartFailed,
  relayOutbox = true,
  gate?: NonNullable<Parameters<typeof inMemoryLayers>[0]>['gate'],
) => {
  const world = inMemoryLayers({ products: sampleCatalogue, gate });
  // the app's runtime: the in-memory stores, and an event publisher and a callback sender at the edge
  const publisher = makeRelayEventPublisher();
  const runtime = ManagedRuntime.make(Layer.mergeAll(world.layer, publisher.layer, makeRelayCallbackSender().layer));
  const { logger, lines } = makeRecordingLogger('debug');
  const metrics = makePlatformMetrics({ processMetrics: false });
  const journal: string[] = [];
  const source = handRunner(journal, startFailure);
  const workers = makeTopUpWorkers({
    runtime,
    settings,
    logger,
    metrics,
    commandRunner: source.runner,
    relayOutbox,
  });
  return { world, runtime, lines, metrics, journal, workers, publisher, deliver: source.deliver };
};

describe('the top-up workers', () => {
  it('feed the commands of any runner to the handler, beside the scheduler’s loops', async () => {
    const { world, runtime, lines, metrics, journal, workers, deliver } = setUp();
    await world.run(fundAccount('account-1', 'USD', 100_000n));
    await workers.start();
    expect(journal).toEqual(['runner started']);
    const body = Buffer.from(JSON.stringify({ version: 1, ...sampleRequestInput() }), 'utf8');
    expect(await deliver({ body, messageId: 'bus-1', deliveryCount: 0 })).toEqual(ConsumeDecision.Ack());
    expect(world.provider.calls().filter((call) => call.operation === 'send')).toHaveLength(1);
    // the loops tick (every 20 ms) through the same runtime: each of them, and (a few rounds later) no other
    const loops = ['retryDueTopUps', 'recoverStalledTopUps', 'relayOutbox', 'deliverCallbacks'];
    await tickedTasks(metrics, loops);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await tickedTasks(metrics, loops)).toEqual(new Set(loops));
    expect(await workers.stop(1_000)).toEqual({ unfinished: 0 });
    expect(journal).toEqual(['runner started', 'runner stopped']);
    // stopped for good: the second stop is the first one's answer, and no loop ticks any more
    expect(await workers.stop(1_000)).toEqual({ unfinished: 0 });
    expect(journal).toEqual(['runner started', 'runner stopped']);
    expect(lines.map((line) => line['msg'])).toEqual(
      expect.arrayContaining(['scheduler started', 'top-up command handled', 'scheduler stopped']),
    );
    await runtime.dispose();
  });

  it('leave the outbox unsent, published nowhere, without the relay (the in-process bus: no subscriber)', async () => {
    const { world, runtime, metrics, workers, publisher, deliver } = setUp(undefined, false);
    await world.run(fundAccount('account-1', 'USD', 100_000n));
    await workers.start();
    const body = Buffer.from(JSON.stringify({ version: 1, ...sampleRequestInput() }), 'utf8');
    expect(await deliver({ body, messageId: 'bus-1', deliveryCount: 0 })).toEqual(ConsumeDecision.Ack());
    // no relay loop at all: the other three tick, and (a few rounds later) only they
    const loops = ['retryDueTopUps', 'recoverStalledTopUps', 'deliverCallbacks'];
    await tickedTasks(metrics, loops);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await tickedTasks(metrics, loops)).toEqual(new Set(loops));
    expect(publisher.calls()).toBe(0);
    const outbox = world.database.tables().outbox;
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.every((record) => record.sentAt === undefined)).toBe(true);
    expect(await workers.stop(1_000)).toEqual({ unfinished: 0 });
    await runtime.dispose();
  });

  it('hand the runner their handler’s interrupt: a command outliving the stop’s timeout has ended before the runner lets go of its delivery', async () => {
    // every send waits for the provider for ever
    let sending = 0;
    const { world, runtime, lines, journal, workers, deliver } = setUp(undefined, true, (call) =>
      call.operation === 'send'
        ? Effect.zipRight(
            Effect.sync(() => (sending += 1)),
            Effect.never,
          )
        : Effect.void,
    );
    await world.run(fundAccount('account-1', 'USD', 100_000n));
    await workers.start();
    const body = Buffer.from(JSON.stringify({ version: 1, ...sampleRequestInput() }), 'utf8');
    const decision = deliver({ body, messageId: 'bus-1', deliveryCount: 0 });
    for (const deadline = Date.now() + 10_000; sending === 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(sending).toBe(1);
    expect(await workers.stop(50)).toEqual({ unfinished: 1 });
    expect(journal).toEqual([
      'runner started',
      'runner interrupts 1',
      'handler decided Retry',
      'runner lets go',
      'runner stopped',
    ]);
    expect(await decision).toEqual(ConsumeDecision.Retry({ reason: expect.any(String) as string }));
    expect(lines.map((line) => line['msg'])).toContain('top-up command interrupted by the stop; not acknowledged');
    await runtime.dispose();
  });

  it('stop the loops and reject with the runner’s failure when it cannot start', async () => {
    const failure = new ConsumerStartFailed({ queue: 'q', reason: 'no queue', retryable: false });
    const { runtime, lines, workers } = setUp(failure);
    await expect(workers.start()).rejects.toBe(failure);
    expect(lines.map((line) => line['msg'])).toEqual(
      expect.arrayContaining(['scheduler started', 'scheduler stopped']),
    );
    expect(workers.scheduler.running()).toEqual([]);
    await runtime.dispose();
  });
});
