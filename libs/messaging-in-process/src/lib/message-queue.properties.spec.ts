// Properties of the in-process queue against arbitrary workloads: message
// counts, prefetches, handler timings, retry plans and stop moments.
import { Effect } from 'effect';
import fc from 'fast-check';
import { silentBusLogger } from './bus-logger';
import { BusDecision, retryCountOf } from './bus-decision';
import { makeMessageQueue, type BusMessage, type MessageQueueOptions } from './message-queue.runner';

const queueOf = (overrides: Partial<MessageQueueOptions> = {}) =>
  makeMessageQueue({
    name: 'properties',
    capacity: 1_000,
    maxRetries: 3,
    retryDelay: { minDelayMs: 0, maxDelayMs: 2 },
    deadLetterCapacity: 1_000,
    logger: silentBusLogger,
    now: () => new Date(0),
    ...overrides,
  });

const message = (id: string): BusMessage => ({ body: Buffer.from(id), messageId: id, routingKey: 'topup.request' });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const eventually = async (check: () => boolean, timeoutMs = 3_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(1);
  }
};

/** How long a handler takes: now (0), after a microtask (-1), or a few milliseconds. */
const handlerTime = fc.integer({ min: -1, max: 3 });

const takeTime = (ms: number): Promise<void> => (ms < 0 ? Promise.resolve() : sleep(ms));

const runs = { numRuns: 40 };

describe('in-process queue properties', () => {
  it('every enqueued message is handled exactly once when the handler acks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(handlerTime, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (count, prefetch, times, startFirst) => {
          const queue = queueOf();
          const handled = new Map<string, number>();
          let n = 0;
          const runner = queue.runner({
            prefetch,
            handler: async (d) => {
              await takeTime(times[n++ % times.length] ?? 0);
              handled.set(d.messageId ?? '', (handled.get(d.messageId ?? '') ?? 0) + 1);
              return BusDecision.Ack();
            },
          });
          if (startFirst) Effect.runSync(runner.start);
          const ids = Array.from({ length: count }, (_, i) => `m${i}`);
          for (const id of ids) expect(queue.enqueue(message(id))).toBeUndefined();
          if (!startFirst) Effect.runSync(runner.start);
          await eventually(() => handled.size === count && runner.inFlight() === 0);
          await sleep(2);
          expect([...handled.keys()].sort()).toEqual([...ids].sort());
          expect([...handled.values()].every((times) => times === 1)).toBe(true);
          expect(await queue.stop(1_000)).toEqual({ unfinished: 0, lost: 0 });
        },
      ),
      runs,
    );
  });

  it('retries obey the count: a message retried k times is acked after k+1 deliveries, or dead-lettered past maxRetries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (maxRetries, plan, prefetch) => {
          const queue = queueOf({ maxRetries });
          const counts = new Map<string, number[]>();
          const runner = queue.runner({
            prefetch,
            handler: async (d) => {
              const id = d.messageId ?? '';
              const seen = counts.get(id) ?? [];
              seen.push(retryCountOf(d));
              counts.set(id, seen);
              const wanted = plan[Number(id)] ?? 0;
              return seen.length <= wanted ? BusDecision.Retry({ reason: `try ${seen.length}` }) : BusDecision.Ack();
            },
          });
          Effect.runSync(runner.start);
          plan.forEach((_, i) => queue.enqueue(message(String(i))));
          const deadExpected = plan.filter((retries) => retries > maxRetries).length;
          const deliveriesExpected = plan.reduce((sum, retries) => sum + Math.min(retries, maxRetries) + 1, 0);
          const deliveries = (): number => [...counts.values()].reduce((sum, seen) => sum + seen.length, 0);
          await eventually(
            () =>
              deliveries() === deliveriesExpected &&
              queue.stats().deadLettered === deadExpected &&
              runner.inFlight() === 0 &&
              queue.stats().delayed === 0,
          );
          await sleep(4);
          plan.forEach((retries, i) => {
            const deliveredAs = counts.get(String(i)) ?? [];
            // each delivery carries the retries so far: 0, 1, 2, ...
            expect(deliveredAs).toEqual(Array.from({ length: Math.min(retries, maxRetries) + 1 }, (_, r) => r));
          });
          const dead = queue.deadLetters();
          expect(dead.map((d) => d.messageId).sort()).toEqual(
            plan.flatMap((retries, i) => (retries > maxRetries ? [String(i)] : [])).sort(),
          );
          expect(
            dead.every((d) => d.retries === maxRetries && d.reason.endsWith(`(given up after ${maxRetries} retries)`)),
          ).toBe(true);
          await queue.stop(1_000);
        },
      ),
      runs,
    );
  });

  it('concurrency never exceeds the prefetch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(handlerTime, { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        async (prefetch, count, times, retries) => {
          const queue = queueOf({ maxRetries: 1 });
          let active = 0;
          let most = 0;
          let n = 0;
          let done = 0;
          const runner = queue.runner({
            prefetch,
            handler: async () => {
              const i = n++;
              active += 1;
              most = Math.max(most, active);
              await takeTime(times[i % times.length] ?? 0);
              active -= 1;
              done += 1;
              return retries[i % retries.length] === true ? BusDecision.Retry({ reason: 'again' }) : BusDecision.Ack();
            },
          });
          Effect.runSync(runner.start);
          for (let i = 0; i < count; i += 1) queue.enqueue(message(`m${i}`));
          await eventually(
            () => done >= count && runner.inFlight() === 0 && queue.stats().ready === 0 && queue.stats().delayed === 0,
          );
          expect(most).toBeLessThanOrEqual(prefetch);
          expect(runner.inFlight()).toBe(0);
          await queue.stop(1_000);
        },
      ),
      runs,
    );
  });

  it('nothing is delivered after stop, whenever it comes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(handlerTime, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (count, prefetch, stopAfterMs, times, stopTheRunnerFirst) => {
          const queue = queueOf({ maxRetries: 5 });
          let stopCalled = false;
          let deliveredAfterStop = 0;
          let delivered = 0;
          const runner = queue.runner({
            prefetch,
            handler: async () => {
              if (stopCalled) deliveredAfterStop += 1;
              const i = delivered++;
              await takeTime(times[i % times.length] ?? 0);
              return i % 3 === 0 ? BusDecision.Retry({ reason: 'again' }) : BusDecision.Ack();
            },
          });
          Effect.runSync(runner.start);
          for (let i = 0; i < count; i += 1) queue.enqueue(message(`m${i}`));
          await sleep(stopAfterMs);
          stopCalled = true;
          if (stopTheRunnerFirst) await runner.stop(1_000);
          const report = await queue.stop(1_000);
          expect(report.unfinished).toBe(0);
          expect(queue.enqueue(message('late'))).toBe('stopped');
          await sleep(8);
          expect(deliveredAfterStop).toBe(0);
          const stats = queue.stats();
          expect(stats.ready + stats.delayed).toBe(0);
        },
      ),
      { numRuns: 30 },
    );
  });
});
