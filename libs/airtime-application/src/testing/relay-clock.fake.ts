// A clock for the relay and callback specs that moves only when told.
import { Clock, type ClockService } from '@airtime/domain';
import { Effect, Layer } from 'effect';

export interface RelayClock {
  readonly service: ClockService;
  readonly layer: Layer.Layer<Clock>;
  readonly now: () => Date;
  readonly advance: (ms: number) => void;
  readonly set: (at: Date) => void;
}

export const makeRelayClock = (start: Date = new Date('2026-12-01T10:00:00Z')): RelayClock => {
  let nowMs = start.getTime();
  const service: ClockService = { now: () => Effect.sync(() => new Date(nowMs)) };
  return {
    service,
    layer: Layer.succeed(Clock, service),
    now: () => new Date(nowMs),
    advance: (ms) => {
      nowMs += ms;
    },
    set: (at) => {
      nowMs = at.getTime();
    },
  };
};
