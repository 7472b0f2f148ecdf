// The tables of the top-up flow (issue 9): the caller's request behind each top-up (what makes
// a repeat of an idempotency key recognisable), the transfer log of provider exchanges, the
// callbacks owed to callers with every try made, and the accounts' callback signing secrets.
// Identifier columns keep the domain's identifier rule through identifier_is_valid() (see
// 1764000000000-identifier-rules and 1764100000000-invisible-identifier-characters), each with a
// named CHECK; the transfer log and the tries are append-only (a trigger refuses UPDATE and
// DELETE, as on the ledger journal). Down drops all of it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The identifier columns of these tables, with their constraint, bound and whether a space may appear inside. */
export const TOP_UP_FLOW_IDENTIFIER_COLUMNS = [
  {
    table: 'top_up_requests',
    column: 'account_id',
    constraint: 'top_up_requests_account_id_valid',
    max: 100,
    space: true,
  },
  {
    table: 'top_up_requests',
    column: 'external_id',
    constraint: 'top_up_requests_external_id_valid',
    max: 40,
    space: false,
  },
  // the attempt's provider external id
  { table: 'transfer_log', column: 'reference', constraint: 'transfer_log_reference_valid', max: 40, space: false },
  { table: 'callback_deliveries', column: 'id', constraint: 'callback_deliveries_id_valid', max: 100, space: true },
  {
    table: 'callback_deliveries',
    column: 'account_id',
    constraint: 'callback_deliveries_account_id_valid',
    max: 100,
    space: true,
  },
  {
    table: 'account_callback_secrets',
    column: 'account_id',
    constraint: 'account_callback_secrets_account_id_valid',
    max: 100,
    space: true,
  },
] as const;

/** A callback URL: http(s), no whitespace, at most 2,048 bytes (it is part of a unique index). */
const URL_CHECK = (column: string) => `octet_length(${column}) <= 2048 AND ${column} ~ '^https?://[^[:space:]]+$'`;

export class TopUpFlow1764200000000 implements MigrationInterface {
  name = 'TopUpFlow1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE top_up_requests (
        top_up_id       text        PRIMARY KEY REFERENCES top_ups (id) ON DELETE CASCADE,
        account_id      text        NOT NULL,
        external_id     text        NOT NULL,
        request         jsonb       NOT NULL CONSTRAINT top_up_requests_request_is_object CHECK (jsonb_typeof(request) = 'object'),
        callback_url    text        CONSTRAINT top_up_requests_callback_url_valid CHECK (${URL_CHECK('callback_url')}),
        -- unguessable, goes into provider callback URLs: printable ASCII, no space, 16..200 characters
        callback_token  text        NOT NULL CONSTRAINT top_up_requests_callback_token_valid CHECK (callback_token ~ '^[!-~]{16,200}$'),
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT top_up_requests_external_id_once_per_account UNIQUE (account_id, external_id),
        CONSTRAINT top_up_requests_callback_token_once UNIQUE (callback_token)
      )`);

    await runner.query(`
      CREATE FUNCTION append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);

    await runner.query(`
      CREATE TABLE transfer_log (
        id           bigserial   PRIMARY KEY,
        provider     text        NOT NULL CONSTRAINT transfer_log_provider_valid CHECK (provider ~ '^[!-~]{1,100}$'),
        reference    text        NOT NULL,
        -- the attempt that held the reference when the exchange was logged (a resend after "not found"
        -- reuses its attempt's reference); NULL when none was stored yet
        attempt_number smallint  CHECK (attempt_number BETWEEN 1 AND 20),
        record       jsonb       NOT NULL CONSTRAINT transfer_log_record_is_object CHECK (jsonb_typeof(record) = 'object'),
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX transfer_log_by_reference ON transfer_log (reference, id)`);
    await runner.query(`
      CREATE TRIGGER transfer_log_no_rewrite BEFORE UPDATE OR DELETE ON transfer_log
      FOR EACH ROW EXECUTE FUNCTION append_only_table()`);

    await runner.query(`
      CREATE TABLE callback_deliveries (
        id               text        PRIMARY KEY,
        event_id         text        NOT NULL CONSTRAINT callback_deliveries_event_id_valid CHECK (length(event_id) BETWEEN 1 AND 200),
        top_up_id        text        NOT NULL REFERENCES top_ups (id),
        account_id       text        NOT NULL,
        url              text        NOT NULL CONSTRAINT callback_deliveries_url_valid CHECK (${URL_CHECK('url')}),
        body             text        NOT NULL,
        attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  timestamptz,
        delivered_at     timestamptz,
        abandoned_at     timestamptz,
        last_status      integer     CHECK (last_status BETWEEN 100 AND 599),
        last_error       text        CHECK (length(last_error) <= 1000),
        created_at       timestamptz NOT NULL,
        CONSTRAINT callback_deliveries_once_per_event_and_url UNIQUE (event_id, url),
        CONSTRAINT callback_deliveries_settled_once CHECK (delivered_at IS NULL OR abandoned_at IS NULL),
        -- a pending delivery has its next try's time; a delivered or abandoned one has none
        CONSTRAINT callback_deliveries_pending_scheduled CHECK ((delivered_at IS NULL AND abandoned_at IS NULL) = (next_attempt_at IS NOT NULL))
      )`);
    await runner.query(
      `CREATE INDEX callback_deliveries_due ON callback_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND abandoned_at IS NULL`,
    );
    await runner.query(`CREATE INDEX callback_deliveries_by_top_up ON callback_deliveries (top_up_id)`);
    await runner.query(`
      CREATE TABLE callback_delivery_tries (
        delivery_id  text        NOT NULL REFERENCES callback_deliveries (id),
        number       integer     NOT NULL CHECK (number >= 1),
        at           timestamptz NOT NULL,
        duration_ms  integer     NOT NULL CHECK (duration_ms >= 0),
        status       integer     CHECK (status BETWEEN 100 AND 599),
        error        text        CHECK (length(error) <= 1000),
        PRIMARY KEY (delivery_id, number)
      )`);
    await runner.query(`
      CREATE TRIGGER callback_delivery_tries_no_rewrite BEFORE UPDATE OR DELETE ON callback_delivery_tries
      FOR EACH ROW EXECUTE FUNCTION append_only_table()`);

    await runner.query(`
      CREATE TABLE account_callback_secrets (
        account_id  text        PRIMARY KEY,
        secret      text        NOT NULL CONSTRAINT account_callback_secrets_secret_valid CHECK (length(secret) BETWEEN 16 AND 512),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);

    for (const { table, column, constraint, max, space } of TOP_UP_FLOW_IDENTIFIER_COLUMNS) {
      await runner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (identifier_is_valid(${column}, ${max}, ${space}))`,
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'account_callback_secrets',
      'callback_delivery_tries',
      'callback_deliveries',
      'transfer_log',
      'top_up_requests',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
    await runner.query(`DROP FUNCTION append_only_table()`);
  }
}
