// The browser console's sessions as stored: never the session token itself,
// only its SHA-256 (the token is 32 random bytes, so a plain hash is enough),
// the API key that signed in, and the per-session CSRF secret from which the
// session's CSRF token is derived with the session token (see
// console-sessions/console-session-token.ts).
import { Context, type Effect, type Option } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

/** A console session as stored. */
export interface StoredConsoleSession {
  /** SHA-256 of the session token, lowercase hex (64 characters): the session's key. */
  readonly tokenHash: string;
  /** The API key that signed in (its scope is read from the key as stored at each resume). */
  readonly apiKeyId: string;
  /** 32 random bytes, base64url (43 characters): the CSRF token is HMAC-SHA256(csrfSecret, token). */
  readonly csrfSecret: string;
  readonly createdAt: Date;
  /** Last time the session was used (written at most once a minute). */
  readonly lastSeenAt: Date;
  /** Absolute end of the session, whatever its use. */
  readonly expiresAt: Date;
}

/** A stored session with its API key as stored now. */
export interface ConsoleSessionWithKey {
  readonly session: StoredConsoleSession;
  /** The key's accounts in their issued order, and its revocation time once revoked. */
  readonly apiKey: {
    readonly id: string;
    readonly accountIds: readonly string[];
    readonly revokedAt?: Date | undefined;
  };
}

export interface ConsoleSessionStoreService {
  /**
   * Stores a new session. A non-retryable `PersistenceFailure` when its
   * token hash is already stored or its API key is not.
   */
  readonly insert: (session: StoredConsoleSession) => Effect.Effect<void, PersistenceFailure>;
  /** The session with this token hash and its key; none when there is none. */
  readonly find: (tokenHash: string) => Effect.Effect<Option.Option<ConsoleSessionWithKey>, PersistenceFailure>;
  /** Moves `lastSeenAt` forward to `at` (never back); nothing when the session is gone. */
  readonly touch: (tokenHash: string, at: Date) => Effect.Effect<void, PersistenceFailure>;
  /** Deletes the session (nothing when it is gone). */
  readonly remove: (tokenHash: string) => Effect.Effect<void, PersistenceFailure>;
  /**
   * Deletes every session ended at `now`: past its `expiresAt`, unused since
   * `idleSince` (`lastSeenAt <= idleSince`), or of a revoked key. Answers
   * how many were deleted.
   */
  readonly prune: (now: Date, idleSince: Date) => Effect.Effect<number, PersistenceFailure>;
}

export class ConsoleSessionStore extends Context.Tag('@airtime/application/ConsoleSessionStore')<
  ConsoleSessionStore,
  ConsoleSessionStoreService
>() {}
