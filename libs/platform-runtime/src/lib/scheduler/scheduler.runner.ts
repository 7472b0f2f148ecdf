// The scheduler's loops: each task (due retries, stalled top-ups, the outbox
// relay, callback deliveries) runs one bounded tick at a time, then waits
// the interval; a tick that filled its batch runs again at once (there is
// more), a tick that failed is logged and counted, never fatal. Ticks of one
// task never overlap; several processes may run the same loops (the use
// cases' claims and version checks keep them from doing the same work).
// `stop` cancels the waits and waits for the ticks in flight.

/** One loop: `run` handles at most `batchSize` items and answers how many it handled. */
export interface ScheduledTask {
  readonly name: string;
  readonly run: () => Promise<number>;
}

export interface SchedulerLogger {
  readonly debug: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly info: (fields: Readonly<Record<string, unknown>>, message: string) => void;
  readonly error: (fields: Readonly<Record<string, unknown>>, message: string) => void;
}

export interface SchedulerOptions {
  readonly tasks: readonly ScheduledTask[];
  readonly intervalMs: number;
  /** A tick that handled this many items runs again without waiting. */
  readonly batchSize: number;
  readonly logger: SchedulerLogger;
  /** Told about every tick (metrics). */
  readonly onTick?: (task: string, outcome: { readonly handled: number } | { readonly failed: string }) => void;
}

export interface Scheduler {
  readonly start: () => void;
  /** No new ticks; resolves when the ticks in flight have ended. Idempotent. */
  readonly stop: () => Promise<void>;
  /** Tasks whose tick is running now. */
  readonly running: () => readonly string[];
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : 'tick failed');

export const makeScheduler = (options: SchedulerOptions): Scheduler => {
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Map<string, Promise<void>>();
  let state: 'idle' | 'running' | 'stopped' = 'idle';

  const schedule = (task: ScheduledTask, delayMs: number): void => {
    if (state !== 'running') return;
    const timer = setTimeout(() => {
      timers.delete(task.name);
      tick(task);
    }, delayMs);
    timers.set(task.name, timer);
  };

  const tick = (task: ScheduledTask): void => {
    if (state !== 'running') return;
    const run = (async () => {
      let nextDelayMs = options.intervalMs;
      try {
        const handled = await task.run();
        options.onTick?.(task.name, { handled });
        if (handled > 0) options.logger.debug({ task: task.name, handled }, 'scheduler tick');
        if (handled >= options.batchSize) nextDelayMs = 0;
      } catch (error) {
        const failed = reasonOf(error);
        options.onTick?.(task.name, { failed });
        options.logger.error({ task: task.name, reason: failed }, 'scheduler tick failed; the loop goes on');
      } finally {
        inFlight.delete(task.name);
      }
      schedule(task, nextDelayMs);
    })();
    inFlight.set(task.name, run);
  };

  return {
    start: () => {
      if (state !== 'idle') return;
      state = 'running';
      options.logger.info(
        { tasks: options.tasks.map((task) => task.name), intervalMs: options.intervalMs },
        'scheduler started',
      );
      for (const task of options.tasks) tick(task);
    },
    stop: async () => {
      if (state === 'stopped') return;
      state = 'stopped';
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(inFlight.values());
      options.logger.info({}, 'scheduler stopped');
    },
    running: () => [...inFlight.keys()],
  };
};
