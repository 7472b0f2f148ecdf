// API access (issue 10): the directory of customer accounts, the API keys
// (never the key: its public prefix and the SHA-256 of its secret part) and
// the accounts each key may see and spend from. Account ids keep the
// domain's identifier rule (identifier_is_valid(), see
// 1764000000000-identifier-rules and 1764100000000-invisible-identifier-characters);
// names and labels are text for people (emoji sequences with their joiners
// and variation selectors included): 1..200 characters with no control
// character (C0, DEL, C1), so that nothing printed by the admin tools can
// carry a terminal escape. The API's list queries need no new index (checked
// with EXPLAIN on 300,000 top-ups and 1.5 million journal entries):
// top_ups_by_account_created, top_ups_by_created and the (account, external
// id) key serve the top-up search; ledger_journal_by_account and the journal's
// primary key serve an account's journal newest first; top_up_requests
// already has its unique callback token. Down drops all of it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The longest account name or key label, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 200;

/** The CHECK of a name or label column: 1..200 characters, no control character (NUL cannot be stored in text). */
const displayNameCheck = (column: string) =>
  `length(${column}) BETWEEN 1 AND ${MAX_DISPLAY_NAME_LENGTH} AND ${column} !~ '[\\u0001-\\u001f\\u007f-\\u009f]'`;

export class ApiAccess1764400000000 implements MigrationInterface {
  name = 'ApiAccess1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE accounts (
        id          text        PRIMARY KEY CONSTRAINT accounts_id_valid CHECK (identifier_is_valid(id, 100, true)),
        name        text        NOT NULL CONSTRAINT accounts_name_valid CHECK (${displayNameCheck('name')}),
        created_at  timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE api_keys (
        id           uuid        PRIMARY KEY,
        -- how a presented key (atk_<prefix>_<secret>) is found: 12 lowercase hex characters
        prefix       text        NOT NULL CONSTRAINT api_keys_prefix_valid CHECK (prefix ~ '^[0-9a-f]{12}$'),
        -- SHA-256 of the secret part, lowercase hex
        secret_hash  text        NOT NULL CONSTRAINT api_keys_secret_hash_valid CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
        label        text        NOT NULL CONSTRAINT api_keys_label_valid CHECK (${displayNameCheck('label')}),
        created_at   timestamptz NOT NULL,
        revoked_at   timestamptz,
        CONSTRAINT api_keys_prefix_once UNIQUE (prefix)
      )`);
    await runner.query(`
      CREATE TABLE api_key_accounts (
        api_key_id  uuid      NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        account_id  text      NOT NULL REFERENCES accounts (id),
        -- the account's place in the key's scope as it was issued (1, 2, ...)
        position    smallint  NOT NULL CHECK (position >= 1),
        PRIMARY KEY (api_key_id, account_id),
        CONSTRAINT api_key_accounts_position_once UNIQUE (api_key_id, position)
      )`);
    // the keys of an account (listFor), and the foreign key's lookups
    await runner.query(`CREATE INDEX api_key_accounts_by_account ON api_key_accounts (account_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['api_key_accounts', 'api_keys', 'accounts']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
