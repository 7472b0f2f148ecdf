// The browser console's sessions (issue 13). A session is keyed by the
// SHA-256 of its token (lowercase hex), never the token: the token is 32
// random bytes, so a plain hash is enough, and a copy of the table signs no
// one in. The session belongs to the API key that signed in (its accounts
// and revocation are read from api_keys at each resume; deleting a key
// deletes its sessions).
//
// CSRF: the table keeps a per-session CSRF secret (32 random bytes,
// base64url), not a hash of the CSRF token. The console puts the CSRF token
// in every form it renders, for the whole session, so each resume must be
// able to answer it again: a hash could only check a token, not give it
// back. The token is HMAC-SHA256(csrf_secret, session token), so the secret
// alone (what a reader of this table gets) does not make a CSRF token
// either: that needs the session token, of which only the hash is here.
//
// expires_at is the absolute end (sign-in + lifetime); the idle timeout is
// the caller's, counted from last_seen_at. Cleanup deletes
// `expires_at <= now OR last_seen_at <= now - idle OR the key is revoked`:
// one index each on expires_at and last_seen_at (a BitmapOr of the two),
// and one on api_key_id (the revoked keys' sessions, and the foreign key's
// cascade). Down drops the table.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsoleSessions1764800000000 implements MigrationInterface {
  name = 'ConsoleSessions1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE console_sessions (
        -- SHA-256 of the session token, lowercase hex
        token_hash    text        PRIMARY KEY CONSTRAINT console_sessions_token_hash_valid CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        api_key_id    uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        -- 32 random bytes, base64url: the CSRF token is HMAC-SHA256(csrf_secret, session token)
        csrf_secret   text        NOT NULL CONSTRAINT console_sessions_csrf_secret_valid CHECK (csrf_secret ~ '^[A-Za-z0-9_-]{43}$'),
        created_at    timestamptz NOT NULL,
        last_seen_at  timestamptz NOT NULL,
        -- the absolute end, whatever the session's use
        expires_at    timestamptz NOT NULL,
        CONSTRAINT console_sessions_times_ordered CHECK (created_at <= last_seen_at AND created_at < expires_at)
      )`);
    await runner.query(`CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at)`);
    await runner.query(`CREATE INDEX console_sessions_by_last_seen ON console_sessions (last_seen_at)`);
    await runner.query(`CREATE INDEX console_sessions_by_api_key ON console_sessions (api_key_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE console_sessions`);
  }
}
