// A scheduler of simulated work (status changes, callback deliveries, sync
// waits) on simulated time. Delays are given in simulated milliseconds (the
// reference's "at least 3 s" is 3000) and run after `delay * timeScale` real
// milliseconds when `autoRun` is on. Tests can instead (or also) drive it:
// `advance(ms)` moves simulated time forward and runs what became due,
// `flush()` runs everything pending. Tasks run one at a time, in due order.
/** The real clock and timers; injectable so that a test can drive them. */
export interface SimulatorTimer {
  readonly nowMs: () => number;
  readonly setTimeout: (run: () => void, delayMs: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

export const realTimer: SimulatorTimer = {
  nowMs: () => Date.now(),
  setTimeout: (run, delayMs) => {
    const handle = setTimeout(run, delayMs);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SchedulerOptions {
  readonly timer?: SimulatorTimer | undefined;
  /** Real ms per simulated ms: 1 is real time, 0.001 makes 3 s into 3 ms, 0 runs due work at once. */
  readonly timeScale?: number | undefined;
  /** Run due work on real timers (default true); when false, only `advance` and `flush` run work. */
  readonly autoRun?: boolean | undefined;
  readonly onError?: (error: unknown) => void;
}

interface Task {
  readonly id: number;
  readonly dueAtMs: number;
  readonly label: string;
  readonly run: () => void | Promise<void>;
}

/** Guards `flush` against work that keeps scheduling more work forever. */
const MAX_FLUSH_TASKS = 100_000;

export class SimulationScheduler {
  readonly timeScale: number;
  readonly autoRun: boolean;
  private readonly timer: SimulatorTimer;
  private readonly onError: (error: unknown) => void;
  private readonly startedRealMs: number;
  private offsetMs = 0;
  /** Simulated ms that `advance` and `flush` skipped ahead (the wall clock moves by them too). */
  private jumpedMs = 0;
  private nextId = 1;
  private tasks: Task[] = [];
  private armed: { readonly handle: unknown; readonly dueAtMs: number } | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly background = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(options: SchedulerOptions = {}) {
    const timeScale = options.timeScale ?? 1;
    if (!Number.isFinite(timeScale) || timeScale < 0)
      throw new RangeError(`timeScale must be a finite number >= 0, got ${timeScale}`);
    this.timeScale = timeScale;
    this.autoRun = options.autoRun ?? true;
    this.timer = options.timer ?? realTimer;
    this.onError = options.onError ?? (() => undefined);
    this.startedRealMs = this.timer.nowMs();
  }

  /** Simulated milliseconds since the scheduler started. */
  now(): number {
    const flowing =
      this.autoRun && this.timeScale > 0 ? Math.floor((this.timer.nowMs() - this.startedRealMs) / this.timeScale) : 0;
    return this.offsetMs + flowing;
  }

  /**
   * Milliseconds on the simulation's wall clock since the scheduler started:
   * real time as it passes (only while `autoRun`; the time scale does not
   * speed it up) plus the simulated time that `advance` and `flush` skipped.
   * Dates shown to clients follow this clock, so that at any time scale they
   * agree with the real clock until a test moves time on by hand.
   */
  clockMs(): number {
    const real = this.autoRun ? this.timer.nowMs() - this.startedRealMs : 0;
    return real + this.jumpedMs;
  }

  /** Runs `run` once `delayMs` simulated ms have passed; returns an id for `cancel`. */
  schedule(delayMs: number, run: () => void | Promise<void>, label = 'task'): number {
    const task: Task = { id: this.nextId++, dueAtMs: this.now() + Math.max(0, delayMs), label, run };
    const index = this.tasks.findIndex((other) => other.dueAtMs > task.dueAtMs);
    if (index === -1) this.tasks.push(task);
    else this.tasks.splice(index, 0, task);
    this.arm();
    return task.id;
  }

  cancel(id: number): void {
    this.tasks = this.tasks.filter((task) => task.id !== id);
    this.arm();
  }

  /** Work started by a task that `advance` and `flush` should wait for (e.g. an HTTP callback in flight). */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    this.background.add(settled);
    void settled.then(() => this.background.delete(settled));
  }

  pending(): readonly { readonly dueAtMs: number; readonly label: string }[] {
    return this.tasks.map(({ dueAtMs, label }) => ({ dueAtMs, label }));
  }

  /** Moves simulated time forward by `ms` and runs the work that became due (and the work it schedules within the window). */
  advance(ms: number): Promise<void> {
    return this.serialized(async () => {
      const targetMs = this.now() + Math.max(0, ms);
      await this.runDue(true, targetMs);
      this.catchUpTo(targetMs, true);
      await this.settleBackground();
    });
  }

  /** Runs every pending task, moving simulated time to each one's due time, until nothing is left. */
  flush(): Promise<void> {
    return this.serialized(async () => {
      for (let count = 0; count < MAX_FLUSH_TASKS; count++) {
        await this.settleBackground();
        const next = this.tasks[0];
        if (!next) return;
        this.catchUpTo(next.dueAtMs, true);
        await this.runDue(true);
      }
    });
  }

  /** Stops running work (pending tasks are dropped). */
  stop(): void {
    this.stopped = true;
    this.tasks = [];
    this.disarm();
  }

  /** Forgets every pending task (used by a state reset). */
  clear(): void {
    this.tasks = [];
    this.disarm();
  }

  /** Moves simulated time to `dueAtMs` if it is behind; `manual` (advance, flush) moves the wall clock too. */
  private catchUpTo(dueAtMs: number, manual: boolean): void {
    const now = this.now();
    if (now >= dueAtMs) return;
    this.offsetMs += dueAtMs - now;
    if (manual) this.jumpedMs += dueAtMs - now;
  }

  /**
   * Runs due tasks (up to `untilMs`) in order; `manual` (advance and flush,
   * not the timers) also waits for their work in flight.
   */
  private async runDue(manual: boolean, untilMs?: number): Promise<void> {
    for (;;) {
      if (manual) await this.settleBackground();
      const next = this.tasks[0];
      if (!next || next.dueAtMs > (untilMs ?? this.now()) || this.stopped) break;
      // each task runs at its own due time, never later in simulated time
      this.catchUpTo(next.dueAtMs, manual);
      this.tasks.shift();
      try {
        await next.run();
      } catch (error) {
        this.onError(error);
      }
    }
    this.arm();
  }

  private async settleBackground(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  private serialized(work: () => Promise<void>): Promise<void> {
    const result = this.chain.then(work);
    this.chain = result.catch((error: unknown) => this.onError(error));
    return result;
  }

  private disarm(): void {
    if (this.armed) this.timer.clearTimeout(this.armed.handle);
    this.armed = undefined;
  }

  private arm(): void {
    if (!this.autoRun || this.stopped) return;
    const next = this.tasks[0];
    if (!next) return this.disarm();
    if (this.armed && this.armed.dueAtMs === next.dueAtMs) return;
    this.disarm();
    const realDelayMs = Math.max(0, Math.ceil((next.dueAtMs - this.now()) * this.timeScale));
    const dueAtMs = next.dueAtMs;
    const handle = this.timer.setTimeout(() => {
      if (this.armed?.handle !== handle) return;
      this.armed = undefined;
      void this.serialized(async () => {
        this.catchUpTo(dueAtMs, false);
        await this.runDue(false);
      });
    }, realDelayMs);
    this.armed = { handle, dueAtMs };
  }
}
