// Resume a console session from its token (the cookie): the key's principal
// as the key is stored now, the session's CSRF token, and its end; or
// ConsoleSessionEnded, the ended session deleted on the way.
import { Clock, type PersistenceFailure } from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import type { ApiPrincipal } from '../api-access/api-principal';
import { ConsoleSessionStore } from '../ports/console-sessions.port';
import { CONSOLE_TOUCH_INTERVAL_MS, ConsoleSessionTimings, timingFieldsOf } from './console-session.config';
import { csrfTokenOf, hashSessionToken, isSessionToken } from './console-session-token';
import { type ConsoleSessionEndReason, ConsoleSessionEnded } from './console-sessions.errors';

export interface ResumeConsoleSessionInput {
  /** The session token from the cookie (anything: a malformed one is no session). */
  readonly token: unknown;
  /** When (default: the Clock's now). */
  readonly now?: Date | undefined;
  /** The idle timeout (default 30 min; 1 minute .. 30 days). */
  readonly idleTimeoutMs?: unknown;
  /**
   * Whether this use counts as activity (default true). A page's own
   * background poll passes false: it must not keep an unattended session
   * alive past its idle timeout.
   */
  readonly activity?: boolean | undefined;
}

export interface ResumedConsoleSession {
  /** The key's id and accounts, from the key as stored now. */
  readonly principal: ApiPrincipal;
  /** The session's CSRF token (the one `openConsoleSession` answered). */
  readonly csrfToken: string;
  /** The absolute end of the session. */
  readonly expiresAt: Date;
}

export type ResumeConsoleSessionError = InvalidInput | ConsoleSessionEnded | PersistenceFailure;

/**
 * The session of `token` at `now`. `ConsoleSessionEnded` with its `reason`:
 * `unknown` for a token that is not one (no store read) or names no stored
 * session; `revoked` when its key has been revoked since; `expired` at or
 * past its `expiresAt`; `idle` when unused for `idleTimeoutMs` or more
 * (`now - lastSeenAt >= idleTimeoutMs`). An ended session is deleted. A live
 * one has its `lastSeenAt` moved to `now` when it is a minute old or more
 * (so the idle timeout is counted from up to a minute before the last use).
 * `InvalidInput` for an idle timeout out of its bounds.
 */
export const resumeConsoleSession = (
  input: ResumeConsoleSessionInput,
): Effect.Effect<ResumedConsoleSession, ResumeConsoleSessionError, ConsoleSessionStore | Clock> =>
  Effect.gen(function* () {
    const { idleTimeoutMs } = yield* decodeInput(ConsoleSessionTimings)(timingFieldsOf(input));
    const token = input.token;
    if (!isSessionToken(token)) return yield* new ConsoleSessionEnded({ reason: 'unknown' });
    const now = input.now ?? (yield* Effect.flatMap(Clock, (clock) => clock.now()));
    const store = yield* ConsoleSessionStore;
    const tokenHash = hashSessionToken(token);
    const found = yield* store.find(tokenHash);
    if (Option.isNone(found)) return yield* new ConsoleSessionEnded({ reason: 'unknown' });
    const { session, apiKey } = found.value;
    const ended: ConsoleSessionEndReason | undefined =
      apiKey.revokedAt !== undefined
        ? 'revoked'
        : now.getTime() >= session.expiresAt.getTime()
          ? 'expired'
          : now.getTime() - session.lastSeenAt.getTime() >= idleTimeoutMs
            ? 'idle'
            : undefined;
    if (ended !== undefined) {
      yield* store.remove(tokenHash);
      return yield* new ConsoleSessionEnded({ reason: ended });
    }
    if (input.activity !== false && now.getTime() - session.lastSeenAt.getTime() >= CONSOLE_TOUCH_INTERVAL_MS)
      yield* store.touch(tokenHash, now);
    return {
      principal: { keyId: apiKey.id, accountIds: apiKey.accountIds },
      csrfToken: csrfTokenOf(session.csrfSecret, token),
      expiresAt: session.expiresAt,
    };
  });
