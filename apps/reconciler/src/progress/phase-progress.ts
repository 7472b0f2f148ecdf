// How a run shows its progress, phase by phase (settle, match, balance,
// report): on a terminal a cli-progress bar per phase, each left on its own
// line when the phase is done; otherwise plain lines (`phase settle 12/40`)
// at the start, at every tenth of the phase (every 1,000 items when its
// total is unknown) and at its end. Always on stderr, so that `--json`
// keeps stdout for the report. A timing wrapper records how long each
// phase took, for the run's metrics.
import { Format, SingleBar } from 'cli-progress';

/** What the reconcile use case calls as it goes (the application's ReconcileProgress, any phase name). */
export interface PhaseProgress {
  /** A phase starts; `total` items to go through, undefined when not known yet. */
  readonly phase: (name: string, total: number | undefined) => void;
  /** `n` more items of the current phase are done; `total` when it became known or changed. */
  readonly tick: (n: number, total?: number) => void;
  /** The current phase is over. */
  readonly done: () => void;
}

/** Where lines and bars go: a stream with isTTY (process.stderr). */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  readonly write: (text: string) => unknown;
}

/** Items between two plain lines when a phase's total is unknown. */
export const UNKNOWN_TOTAL_STEP = 1_000;

/** The plain line of a phase's progress: `phase settle 12/40`, `phase match 3000`, `phase match 3000 done`. */
export const progressLine = (name: string, done: number, total: number | undefined, finished: boolean): string =>
  `phase ${name} ${total === undefined ? done : `${done}/${total}`}${finished ? ' done' : ''}`;

/** The tenth of `total` that `done` has reached (0 to 10), or the 1,000s when the total is unknown. */
const stepOf = (done: number, total: number | undefined): number =>
  total === undefined ? Math.floor(done / UNKNOWN_TOTAL_STEP) : total === 0 ? 10 : Math.floor((done * 10) / total);

/** Plain lines on `write` (no TTY): the start, each tenth (or 1,000 items), the end of each phase. */
export const makeLineProgress = (write: (line: string) => void): PhaseProgress => {
  let current: { name: string; total: number | undefined; done: number } | undefined;
  return {
    phase: (name, total) => {
      current = { name, total, done: 0 };
      write(progressLine(name, 0, total, false));
    },
    tick: (n, total) => {
      if (current === undefined) return;
      const before = stepOf(current.done, current.total);
      if (total !== undefined) current.total = total;
      current.done += n;
      const after = stepOf(current.done, current.total);
      const complete = current.total !== undefined && current.done >= current.total;
      // the line at the end of the phase is done()'s
      if (after > before && !complete) write(progressLine(current.name, current.done, current.total, false));
    },
    done: () => {
      if (current === undefined) return;
      write(progressLine(current.name, current.done, current.total, true));
      current = undefined;
    },
  };
};

/** A cli-progress bar per phase on `stream` (a terminal). */
export const makeBarProgress = (stream: ProgressStream): PhaseProgress => {
  let bar: SingleBar | undefined;
  let known = true;
  let done = 0;
  return {
    phase: (name, total) => {
      bar?.stop();
      known = total !== undefined;
      done = 0;
      bar = new SingleBar({
        stream: stream as NodeJS.WritableStream,
        // the total may become known as the phase goes (the provider's list, page by page)
        format: (options, params, payload) =>
          Format.Formatter(
            {
              ...options,
              format: known
                ? `${name.padEnd(8)} [{bar}] {percentage}% | {value}/{total} | {duration}s`
                : `${name.padEnd(8)} {value} so far | {duration}s`,
            },
            params,
            payload,
          ),
        hideCursor: true,
        noTTYOutput: false,
      });
      bar.start(total ?? 0, 0);
    },
    tick: (n, total) => {
      done += n;
      if (total !== undefined) {
        known = true;
        bar?.setTotal(total);
      }
      bar?.update(done);
    },
    done: () => {
      if (bar === undefined) return;
      if (!known) bar.setTotal(done);
      bar.update(done);
      bar.stop();
      bar = undefined;
    },
  };
};

/** The progress of a run on `stream`: bars on a terminal, plain lines otherwise. */
export const progressOn = (stream: ProgressStream): PhaseProgress =>
  stream.isTTY === true ? makeBarProgress(stream) : makeLineProgress((line) => stream.write(`${line}\n`));

/** A progress that also records each phase's duration (seconds), in the order the phases ran. */
export interface TimedProgress extends PhaseProgress {
  readonly durations: () => ReadonlyMap<string, number>;
}

/**
 * Wraps `inner`, timing each phase from `phase` to `done` (or to the next
 * phase) with `nowMs` (a monotonic clock in ms, e.g. performance.now).
 */
export const timedProgress = (inner: PhaseProgress, nowMs: () => number): TimedProgress => {
  const durations = new Map<string, number>();
  let current: { name: string; startedMs: number } | undefined;
  const close = (): void => {
    if (current === undefined) return;
    durations.set(current.name, (durations.get(current.name) ?? 0) + (nowMs() - current.startedMs) / 1_000);
    current = undefined;
  };
  return {
    phase: (name, total) => {
      close();
      current = { name, startedMs: nowMs() };
      inner.phase(name, total);
    },
    tick: (n, total) => inner.tick(n, total),
    done: () => {
      close();
      inner.done();
    },
    durations: () => durations,
  };
};
