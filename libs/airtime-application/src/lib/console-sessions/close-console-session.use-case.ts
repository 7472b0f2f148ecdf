// Close a console session (sign out).
import type { PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import { ConsoleSessionStore } from '../ports/console-sessions.port';
import { hashSessionToken, isSessionToken } from './console-session-token';

/**
 * Deletes the session of `token`. Idempotent: an unknown, ended or
 * malformed token (no store call) is nothing to do. The key's other
 * sessions stay.
 */
export const closeConsoleSession = (input: {
  readonly token: unknown;
}): Effect.Effect<void, PersistenceFailure, ConsoleSessionStore> => {
  const token = input.token;
  return isSessionToken(token)
    ? Effect.flatMap(ConsoleSessionStore, (store) => store.remove(hashSessionToken(token)))
    : Effect.void;
};
