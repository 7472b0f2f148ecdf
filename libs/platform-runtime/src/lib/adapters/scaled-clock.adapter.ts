// The Clock port of the platform: real time, or time that runs `scale`
// times faster (CLOCK_SCALE), so that a test sees the retry schedule's
// minutes pass in seconds. Scaled time runs from an origin: CLOCK_ORIGIN_MS
// when given (the same timeline for every process and across restarts),
// else the moment the clock is made. Every use case reads "now" from it:
// due retries, stalled top-ups and event times agree.
import { Clock, type ClockService } from '@airtime/domain';
import { Effect, Layer } from 'effect';

export interface ScaledClockOptions {
  /** Simulated ms per real ms (1: real time). */
  readonly scale: number;
  /** Where scaled time starts (epoch ms): now = origin + (real now - origin) x scale; default the real now at creation. */
  readonly originMs?: number | undefined;
  /** The real clock (epoch ms); default `Date.now`. */
  readonly realNowMs?: () => number;
}

export interface ScaledClock extends ClockService {
  /** Now on this clock, as epoch ms. */
  readonly nowMs: () => number;
}

export const makeScaledClock = (options: ScaledClockOptions): ScaledClock => {
  const realNowMs = options.realNowMs ?? Date.now;
  const originMs = options.originMs ?? realNowMs();
  const nowMs = (): number =>
    options.scale === 1 ? realNowMs() : originMs + Math.floor((realNowMs() - originMs) * options.scale);
  return { nowMs, now: () => Effect.sync(() => new Date(nowMs())) };
};

export const scaledClockLayer = (clock: ClockService): Layer.Layer<Clock> => Layer.succeed(Clock, clock);
