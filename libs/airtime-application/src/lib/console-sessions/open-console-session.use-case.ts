// Open a console session: sign in with an API key's text. The key is
// authenticated as the API authenticates it; the session token and the CSRF
// token are answered once, and only the token's SHA-256 is stored.
import { Clock, type PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import type { ApiPrincipal } from '../api-access/api-principal';
import type { ApiKeyRefused } from '../authenticate-api-key/authenticate-api-key.errors';
import { authenticateApiKey } from '../authenticate-api-key/authenticate-api-key.use-case';
import type { ApiKeyStore } from '../ports/api-keys.port';
import { ConsoleSessionStore } from '../ports/console-sessions.port';
import { ConsoleSessionTimings, timingFieldsOf } from './console-session.config';
import { csrfTokenOf, freshSecret, hashSessionToken } from './console-session-token';

export interface OpenConsoleSessionInput {
  /** The API key text as typed (`atk_<prefix>_<secret>`); never stored or logged. */
  readonly apiKey: unknown;
  /** When the session opens (default: the Clock's now). */
  readonly now?: Date | undefined;
  /** The session's absolute lifetime (default 12 h; 1 minute .. 30 days). */
  readonly lifetimeMs?: unknown;
  /** The idle timeout, for the opportunistic pruning of ended sessions (default 30 min; 1 minute .. 30 days). */
  readonly idleTimeoutMs?: unknown;
}

export interface OpenedConsoleSession {
  /** The session token (32 random bytes, base64url, 43 characters): the cookie's value; never stored, never logged. */
  readonly token: string;
  /** The session's CSRF token (43 base64url characters), for its forms; `resumeConsoleSession` answers it again. */
  readonly csrfToken: string;
  /** The key's id and accounts. */
  readonly principal: ApiPrincipal;
  /** The absolute end of the session (`now + lifetimeMs`). */
  readonly expiresAt: Date;
}

export type OpenConsoleSessionError = InvalidInput | ApiKeyRefused | PersistenceFailure;

/**
 * Authenticates `apiKey` with `authenticateApiKey` (`ApiKeyRefused` for
 * anything but an issued, unrevoked key), deletes the sessions ended at
 * `now` (of any key: sign-ins keep the table small without a scheduler),
 * and stores a new session of the key: the token's SHA-256, a fresh CSRF
 * secret, created and last seen at `now`, expiring at `now + lifetimeMs`.
 * `InvalidInput` (naming the field) for a timing out of its bounds.
 */
export const openConsoleSession = (
  input: OpenConsoleSessionInput,
): Effect.Effect<OpenedConsoleSession, OpenConsoleSessionError, ApiKeyStore | ConsoleSessionStore | Clock> =>
  Effect.gen(function* () {
    const timings = yield* decodeInput(ConsoleSessionTimings)(timingFieldsOf(input));
    const principal = yield* authenticateApiKey(input.apiKey);
    const now = input.now ?? (yield* Effect.flatMap(Clock, (clock) => clock.now()));
    const store = yield* ConsoleSessionStore;
    yield* store.prune(now, new Date(now.getTime() - timings.idleTimeoutMs));
    const token = freshSecret();
    const csrfSecret = freshSecret();
    const expiresAt = new Date(now.getTime() + timings.lifetimeMs);
    yield* store.insert({
      tokenHash: hashSessionToken(token),
      apiKeyId: principal.keyId,
      csrfSecret,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return { token, csrfToken: csrfTokenOf(csrfSecret, token), principal, expiresAt };
  });
