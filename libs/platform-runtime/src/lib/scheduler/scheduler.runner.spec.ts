import { makeScheduler, type ScheduledTask } from './scheduler.runner';

const quietLogger = () => {
  const errors: Record<string, unknown>[] = [];
  return {
    errors,
    logger: {
      debug: () => undefined,
      info: () => undefined,
      error: (fields: Readonly<Record<string, unknown>>) => void errors.push({ ...fields }),
    },
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const until = async (condition: () => boolean, timeoutMs = 2_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
};

describe('the scheduler', () => {
  it('runs each task every interval, never two ticks of one task at once', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let ticks = 0;
    const task: ScheduledTask = {
      name: 'retries',
      run: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        ticks += 1;
        await sleep(15);
        concurrent -= 1;
        return 0;
      },
    };
    const scheduler = makeScheduler({ tasks: [task], intervalMs: 10, batchSize: 10, ...quietLogger() });
    scheduler.start();
    await until(() => ticks >= 4);
    await scheduler.stop();
    expect(maxConcurrent).toBe(1);
  });

  it('runs a full tick again at once, and waits the interval after a partial one', async () => {
    // on jest's clock: the gaps measured are the scheduler's own delays, never a loaded machine's pauses
    jest.useFakeTimers();
    try {
      const results = [10, 10, 3, 10];
      const startedAt: number[] = [];
      const scheduler = makeScheduler({
        tasks: [{ name: 'relay', run: async () => (startedAt.push(Date.now()), results.shift() ?? 0) }],
        intervalMs: 200,
        batchSize: 10,
        ...quietLogger(),
      });
      scheduler.start();
      // the clock moved on 10 ms at a time (the ticks' promises settled between steps), for up to 2 s
      for (let step = 0; step < 200 && startedAt.length < 4; step += 1) await jest.advanceTimersByTimeAsync(10);
      await scheduler.stop();
      expect(startedAt.length).toBeGreaterThanOrEqual(4);
      const gaps = startedAt.slice(1).map((at, index) => at - (startedAt[index] ?? at));
      expect(gaps[0]).toBeLessThan(100);
      expect(gaps[1]).toBeLessThan(100);
      expect(gaps[2]).toBeGreaterThanOrEqual(190);
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs and counts a failed tick and goes on', async () => {
    const { errors, logger } = quietLogger();
    let calls = 0;
    const ticks: unknown[] = [];
    const scheduler = makeScheduler({
      tasks: [
        {
          name: 'stalled',
          run: async () => {
            calls += 1;
            if (calls === 1) throw new Error('persistence failure: connection lost');
            return 1;
          },
        },
      ],
      intervalMs: 5,
      batchSize: 10,
      logger,
      onTick: (task, outcome) => ticks.push({ task, ...outcome }),
    });
    scheduler.start();
    await until(() => calls >= 2);
    await scheduler.stop();
    expect(errors[0]).toEqual({ task: 'stalled', reason: 'persistence failure: connection lost' });
    expect(ticks.slice(0, 2)).toEqual([
      { task: 'stalled', failed: 'persistence failure: connection lost' },
      { task: 'stalled', handled: 1 },
    ]);
  });

  it('stops: no new tick, and waits for the tick in flight', async () => {
    let finished = false;
    let calls = 0;
    const scheduler = makeScheduler({
      tasks: [
        {
          name: 'callbacks',
          run: async () => {
            calls += 1;
            await sleep(50);
            finished = true;
            return 0;
          },
        },
      ],
      intervalMs: 1,
      batchSize: 10,
      ...quietLogger(),
    });
    scheduler.start();
    expect(scheduler.running()).toEqual(['callbacks']);
    await scheduler.stop();
    expect(finished).toBe(true);
    await sleep(20);
    expect(calls).toBe(1);
    expect(scheduler.running()).toEqual([]);
  });
});
