// How long a console session lives: an idle timeout (unused for that long,
// it ends) and an absolute lifetime (from sign-in, whatever its use), with
// their defaults and bounds, as the use cases' optional input fields.
import { Schema } from 'effect';

/** Default idle timeout: 30 minutes. */
export const DEFAULT_CONSOLE_IDLE_TIMEOUT_MS = 30 * 60_000;
/** Default absolute lifetime: 12 hours. */
export const DEFAULT_CONSOLE_SESSION_LIFETIME_MS = 12 * 3_600_000;

/** Bounds of both: 1 minute .. 30 days (in milliseconds). */
export const MIN_CONSOLE_SESSION_TIMING_MS = 60_000;
export const MAX_CONSOLE_SESSION_TIMING_MS = 30 * 86_400_000;

/** `lastSeenAt` is written again only when it is at least this old (1 minute), to spare writes. */
export const CONSOLE_TOUCH_INTERVAL_MS = 60_000;

const TimingMs = Schema.Int.pipe(Schema.between(MIN_CONSOLE_SESSION_TIMING_MS, MAX_CONSOLE_SESSION_TIMING_MS));

/**
 * - `idleTimeoutMs`: a session unused this long has ended (default 30 min);
 * - `lifetimeMs`: a session ends this long after it opened (default 12 h).
 *
 * Each an integer number of milliseconds in 1 minute .. 30 days.
 */
export const ConsoleSessionTimings = Schema.Struct({
  idleTimeoutMs: Schema.optionalWith(TimingMs, { default: () => DEFAULT_CONSOLE_IDLE_TIMEOUT_MS }),
  lifetimeMs: Schema.optionalWith(TimingMs, { default: () => DEFAULT_CONSOLE_SESSION_LIFETIME_MS }),
}).annotations({ identifier: 'ConsoleSessionTimings' });

export type ConsoleSessionTimings = typeof ConsoleSessionTimings.Type;
export type ConsoleSessionTimingsInput = typeof ConsoleSessionTimings.Encoded;

/** The timing fields of a use case's input, absent ones left out (so that their defaults apply). */
export const timingFieldsOf = (input: {
  readonly idleTimeoutMs?: unknown;
  readonly lifetimeMs?: unknown;
}): Readonly<Record<string, unknown>> => ({
  ...(input.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: input.idleTimeoutMs }),
  ...(input.lifetimeMs === undefined ? {} : { lifetimeMs: input.lifetimeMs }),
});
