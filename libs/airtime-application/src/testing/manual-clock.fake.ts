// A clock the test moves by hand: `now` stays put until `advance` or `set`.
import { Clock, type ClockService } from '@airtime/domain';
import { Effect, Layer } from 'effect';

export interface ManualClock extends ClockService {
  readonly current: () => Date;
  readonly advance: (ms: number) => void;
  readonly set: (at: Date) => void;
}

export const makeManualClock = (start: Date = new Date(Date.UTC(2026, 0, 1, 12, 0, 0))): ManualClock => {
  let nowMs = start.getTime();
  return {
    now: () => Effect.sync(() => new Date(nowMs)),
    current: () => new Date(nowMs),
    advance: (ms) => {
      nowMs += ms;
    },
    set: (at) => {
      nowMs = at.getTime();
    },
  };
};

export const manualClockLayer = (clock: ManualClock): Layer.Layer<Clock> => Layer.succeed(Clock, clock);
