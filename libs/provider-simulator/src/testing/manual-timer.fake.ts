import type { SimulatorTimer } from '../lib/engine/simulation-scheduler';

/** A real-time stand-in for tests: time moves only with `tick`, which fires the timers that became due. */
export interface ManualTimer extends SimulatorTimer {
  readonly tick: (ms: number) => void;
  readonly armedCount: () => number;
}

export const manualTimer = (startMs = 0): ManualTimer => {
  let now = startMs;
  let nextHandle = 1;
  const timers = new Map<number, { readonly at: number; readonly run: () => void }>();
  return {
    nowMs: () => now,
    setTimeout: (run, delayMs) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + delayMs, run });
      return handle;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    tick: (ms) => {
      now += ms;
      for (const [handle, timer] of [...timers].sort(([, a], [, b]) => a.at - b.at)) {
        if (timer.at <= now && timers.has(handle)) {
          timers.delete(handle);
          timer.run();
        }
      }
    },
    armedCount: () => timers.size,
  };
};
