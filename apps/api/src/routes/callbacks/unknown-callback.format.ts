// The log line of a provider callback that matched nothing.
import { Effect } from 'effect';
import type { UnknownCallback } from './callbacks.errors';

/**
 * Logs a callback that matched nothing: the provider only (never the URL's
 * token, the number or the provider's ids: a probe learns nothing from logs).
 */
export const logUnknownCallback = (error: UnknownCallback): Effect.Effect<void> =>
  Effect.logWarning('provider callback matches no top-up: answered 404').pipe(
    Effect.annotateLogs({ provider: error.provider, code: error.code }),
  );
