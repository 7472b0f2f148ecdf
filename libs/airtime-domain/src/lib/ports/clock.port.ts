import { Context, type Effect } from 'effect';

/** The only source of "now" for use cases. */
export interface ClockService {
  readonly now: () => Effect.Effect<Date>;
}

export class Clock extends Context.Tag('@airtime/domain/Clock')<Clock, ClockService>() {}
