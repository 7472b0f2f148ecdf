// Delete the console sessions that have ended (for a periodic sweep;
// openConsoleSession does the same at each sign-in).
import { Clock, type PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { ConsoleSessionStore } from '../ports/console-sessions.port';
import { ConsoleSessionTimings, timingFieldsOf } from './console-session.config';

/**
 * Deletes every session ended at `now` (default: the Clock's now): past its
 * absolute end, unused for `idleTimeoutMs` or more (default 30 min), or of
 * a revoked key. Answers how many were deleted. `InvalidInput` for an idle
 * timeout out of its bounds (1 minute .. 30 days).
 */
export const pruneConsoleSessions = (
  input: { readonly now?: Date | undefined; readonly idleTimeoutMs?: unknown } = {},
): Effect.Effect<number, InvalidInput | PersistenceFailure, ConsoleSessionStore | Clock> =>
  Effect.gen(function* () {
    const { idleTimeoutMs } = yield* decodeInput(ConsoleSessionTimings)(timingFieldsOf(input));
    const now = input.now ?? (yield* Effect.flatMap(Clock, (clock) => clock.now()));
    return yield* Effect.flatMap(ConsoleSessionStore, (store) =>
      store.prune(now, new Date(now.getTime() - idleTimeoutMs)),
    );
  });
