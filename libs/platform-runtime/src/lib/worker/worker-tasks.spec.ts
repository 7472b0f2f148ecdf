import { callbackLeaseMs, CALLBACK_MIN_LEASE_MS } from '@airtime/application';
import fc from 'fast-check';
import { Effect, Exit } from 'effect';
import { deliverCallbacksOptionsOf, runtimeTask, topUpLoopOptionsOf, type WorkerRuntime } from './worker-tasks';

const configOf = (batchSize: number, callbackTimeoutMs: number, clockScale: number) => ({
  scheduler: { intervalMs: 1_000, batchSize, stalledAfterMs: 120_000, concurrency: 8 },
  callbackTimeoutMs,
  clockScale,
});

describe('the callback loop options', () => {
  it('pass the batch and the sender timeout, and lease for the real time of a run at real speed', () => {
    // batch 100 at 10 s: 7 rounds of 16 POSTs x 11 s x 2
    expect(deliverCallbacksOptionsOf(configOf(100, 10_000, 1))).toEqual({
      batchSize: 100,
      callbackTimeoutMs: 10_000,
      leaseMs: 154_000,
    });
    expect(deliverCallbacksOptionsOf(configOf(1, 100, 1)).leaseMs).toBe(CALLBACK_MIN_LEASE_MS);
  });

  it('stretch the lease by the clock scale: the Clock runs that many times faster than the POSTs', () => {
    // a minute a second: the 154 s a run may take in real time are 154 minutes on the Clock
    expect(deliverCallbacksOptionsOf(configOf(100, 10_000, 60)).leaseMs).toBe(154_000 * 60);
    // a slow clock still leases at least 1 ms, whole ms only
    expect(deliverCallbacksOptionsOf(configOf(1, 100, 0.001)).leaseMs).toBe(30);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 100, max: 120_000 }),
        fc.double({ min: 0.001, max: 1_000_000, noNaN: true }),
        (batchSize, timeoutMs, scale) => {
          const { leaseMs } = deliverCallbacksOptionsOf(configOf(batchSize, timeoutMs, scale));
          const realMs = callbackLeaseMs(batchSize, timeoutMs);
          expect(Number.isInteger(leaseMs)).toBe(true);
          expect(leaseMs).toBeGreaterThanOrEqual(1);
          expect(leaseMs).toBeGreaterThanOrEqual(realMs * scale);
          expect(leaseMs).toBeLessThan(Math.max(1, realMs * scale) + 1);
        },
      ),
    );
  });
});

describe('the due-retry and stalled-recovery loop options', () => {
  it('pass the batch, the stalled age and SCHEDULER_CONCURRENCY to both use cases', () => {
    const scheduler = { intervalMs: 1_000, batchSize: 50, stalledAfterMs: 30_000, concurrency: 32 };
    expect(topUpLoopOptionsOf({ scheduler })).toEqual({
      retryDue: { limit: 50, concurrency: 32 },
      recoverStalled: { olderThanMs: 30_000, limit: 50, concurrency: 32 },
    });
    expect(topUpLoopOptionsOf({ scheduler: { ...scheduler, concurrency: 1 } })).toMatchObject({
      retryDue: { concurrency: 1 },
      recoverStalled: { concurrency: 1 },
    });
  });
});

describe('a scheduled task that dies', () => {
  it('fails naming the defect by its class and where it was thrown, never its message', async () => {
    const dying = { runPromiseExit: () => Promise.resolve(Exit.die(parseFailure())) } as unknown as WorkerRuntime;
    const task = runtimeTask(dying, 'recoverStalledTopUps', () => Effect.succeed(0));
    const failure = await task.run().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/^defect: SyntaxError at /);
    expect(failure?.message).not.toContain('SECRET');
    expect(task.name).toBe('recoverStalledTopUps');
  });
});

/** node's JSON.parse quotes the text it could not read (here a planted provider text). */
const parseFailure = (): unknown => {
  try {
    JSON.parse('SECRET');
  } catch (error) {
    return error;
  }
  throw new Error('JSON.parse read it');
};
