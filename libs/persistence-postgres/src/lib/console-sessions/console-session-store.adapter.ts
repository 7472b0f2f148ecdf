// Console sessions (`console_sessions`), for the application's
// ConsoleSessionStore port. Only the SHA-256 of a session token is stored,
// never the token; a session is read with its API key as stored now (its
// accounts, its revocation).
import {
  ConsoleSessionStore,
  type ConsoleSessionStoreService,
  type ConsoleSessionWithKey,
  type StoredConsoleSession,
} from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { KEY_ACCOUNT_IDS, KEY_ID } from '../api-keys/api-key-store.adapter';
import { decodeStored, isoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';

/** A token hash: SHA-256, 64 lowercase hex characters (the `console_sessions_token_hash_valid` CHECK). */
const TOKEN_HASH = /^[0-9a-f]{64}$/;

const SessionRow = Schema.Struct({
  token_hash: Schema.String,
  api_key_id: Schema.String,
  csrf_secret: Schema.String,
  created_at: Schema.ValidDateFromSelf,
  last_seen_at: Schema.ValidDateFromSelf,
  expires_at: Schema.ValidDateFromSelf,
  revoked_at: Schema.NullOr(Schema.ValidDateFromSelf),
  account_ids: Schema.Array(Schema.String),
});

const decodeSessionRow = decodeStored(SessionRow);

const sessionOf = (row: unknown): Either.Either<ConsoleSessionWithKey, PersistenceFailure> =>
  Either.map(decodeSessionRow(row, 'a console session'), (decoded) => ({
    session: {
      tokenHash: decoded.token_hash,
      apiKeyId: decoded.api_key_id,
      csrfSecret: decoded.csrf_secret,
      createdAt: decoded.created_at,
      lastSeenAt: decoded.last_seen_at,
      expiresAt: decoded.expires_at,
    },
    apiKey: {
      id: decoded.api_key_id,
      accountIds: decoded.account_ids,
      ...(decoded.revoked_at === null ? {} : { revokedAt: decoded.revoked_at }),
    },
  }));

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

/**
 * Console sessions on PostgreSQL; every statement joins the current unit of
 * work.
 *
 * - `insert(session)`: stores it. Refused with a non-retryable
 *   `PersistenceFailure`, nothing stored and the caller's transaction still
 *   usable: a token hash that is not 64 lowercase hex characters or is
 *   already stored, a key id that is not a stored key. A CSRF secret that is
 *   not 43 base64url characters, or times out of order (created after last
 *   seen or at or after the end), fail the statement, naming the constraint.
 * - `find(tokenHash)`: the session with its key (accounts in their issued
 *   order, revocation time); none for an unknown hash.
 * - `touch(tokenHash, at)`: moves `last_seen_at` forward to `at` (never back;
 *   no write when it is not older).
 * - `remove(tokenHash)`: deletes it; nothing when it is gone.
 * - `prune(now, idleSince)`: deletes the sessions with `expires_at <= now`,
 *   `last_seen_at <= idleSince` or a revoked key; answers how many.
 *
 * A token hash no session can have answers none (or does nothing) without
 * reaching the database.
 */
export const makeConsoleSessionStore = (dataSource: DataSource): ConsoleSessionStoreService => {
  const insert = (session: StoredConsoleSession): Effect.Effect<void, PersistenceFailure> =>
    Effect.gen(function* () {
      if (!TOKEN_HASH.test(session.tokenHash))
        return yield* Effect.fail(refused('a console session token hash must be 64 lowercase hex characters'));
      if (!KEY_ID.test(session.apiKeyId))
        return yield* Effect.fail(refused("a console session's API key must be stored"));
      const createdAt = yield* isoOf(session.createdAt, 'the creation time of the console session');
      const lastSeenAt = yield* isoOf(session.lastSeenAt, 'the last use of the console session');
      const expiresAt = yield* isoOf(session.expiresAt, 'the end of the console session');
      const [outcome] = yield* sql<{ readonly key_found: string; readonly inserted: string }>(
        dataSource,
        `WITH k AS (
           SELECT id FROM api_keys WHERE id = $2::uuid
         ), inserted AS (
           INSERT INTO console_sessions (token_hash, api_key_id, csrf_secret, created_at, last_seen_at, expires_at)
           SELECT $1, k.id, $3, $4::timestamptz, $5::timestamptz, $6::timestamptz FROM k
           ON CONFLICT (token_hash) DO NOTHING
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM k) AS key_found, (SELECT count(*) FROM inserted) AS inserted`,
        [session.tokenHash, session.apiKeyId, session.csrfSecret, createdAt, lastSeenAt, expiresAt],
      );
      if (Number(outcome?.inserted) === 1) return;
      return yield* Effect.fail(
        refused(
          Number(outcome?.key_found) === 0
            ? "a console session's API key must be stored"
            : 'a console session with this token hash is already stored',
        ),
      );
    });

  return {
    insert,
    find: (tokenHash) =>
      TOKEN_HASH.test(tokenHash)
        ? Effect.gen(function* () {
            const rows = yield* sql(
              dataSource,
              `SELECT s.token_hash, s.api_key_id::text AS api_key_id, s.csrf_secret, s.created_at, s.last_seen_at,
                      s.expires_at, k.revoked_at, ${KEY_ACCOUNT_IDS}
                 FROM console_sessions s JOIN api_keys k ON k.id = s.api_key_id
                WHERE s.token_hash = $1`,
              [tokenHash],
            );
            return rows[0] === undefined ? Option.none() : Option.some(yield* sessionOf(rows[0]));
          })
        : Effect.succeed(Option.none()),
    touch: (tokenHash, at) =>
      TOKEN_HASH.test(tokenHash)
        ? Effect.gen(function* () {
            const seenAt = yield* isoOf(at, 'the last use of the console session');
            yield* sql(
              dataSource,
              `UPDATE console_sessions SET last_seen_at = $2::timestamptz
                WHERE token_hash = $1 AND last_seen_at < $2::timestamptz`,
              [tokenHash, seenAt],
            );
          })
        : Effect.void,
    remove: (tokenHash) =>
      TOKEN_HASH.test(tokenHash)
        ? Effect.asVoid(sql(dataSource, `DELETE FROM console_sessions WHERE token_hash = $1`, [tokenHash]))
        : Effect.void,
    prune: (now, idleSince) =>
      Effect.gen(function* () {
        const nowIso = yield* isoOf(now, 'the time of the console sessions pruning');
        const idleSinceIso = yield* isoOf(idleSince, 'the idle limit of the console sessions pruning');
        const [deleted] = yield* sql<{ readonly deleted: string }>(
          dataSource,
          `WITH d AS (
             DELETE FROM console_sessions
              WHERE expires_at <= $1::timestamptz
                 OR last_seen_at <= $2::timestamptz
                 OR api_key_id IN (SELECT id FROM api_keys WHERE revoked_at IS NOT NULL)
             RETURNING 1
           )
           SELECT count(*) AS deleted FROM d`,
          [nowIso, idleSinceIso],
        );
        return Number(deleted?.deleted ?? 0);
      }),
  };
};

/** `makeConsoleSessionStore` as the `ConsoleSessionStore` layer. */
export const consoleSessionStoreLayer = (dataSource: DataSource) =>
  Layer.succeed(ConsoleSessionStore, makeConsoleSessionStore(dataSource));
