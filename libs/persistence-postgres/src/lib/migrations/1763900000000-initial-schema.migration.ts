import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema. Every idempotency claim is backed by a unique
 * constraint, every balance rule by a CHECK, and the journal is append-only
 * (a trigger refuses UPDATE and DELETE).
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ledger_accounts (
        account_id          text        NOT NULL CHECK (length(account_id) BETWEEN 1 AND 100),
        currency            char(3)     NOT NULL,
        currency_exponent   smallint    NOT NULL CHECK (currency_exponent BETWEEN 0 AND 4),
        credit_limit_minor  bigint      NOT NULL DEFAULT 0 CHECK (credit_limit_minor >= 0),
        available_minor     bigint      NOT NULL DEFAULT 0,
        holding_minor       bigint      NOT NULL DEFAULT 0 CHECK (holding_minor >= 0),
        captured_minor      bigint      NOT NULL DEFAULT 0 CHECK (captured_minor >= 0),
        reversed_minor      bigint      NOT NULL DEFAULT 0 CHECK (reversed_minor >= 0),
        funded_minor        bigint      NOT NULL DEFAULT 0,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, currency),
        CONSTRAINT ledger_accounts_within_credit CHECK (available_minor >= -credit_limit_minor),
        CONSTRAINT ledger_accounts_balanced CHECK (available_minor + holding_minor + captured_minor - reversed_minor = funded_minor)
      )`);
    await runner.query(`
      CREATE TABLE ledger_holds (
        transaction_id      text        PRIMARY KEY CHECK (length(transaction_id) BETWEEN 1 AND 100),
        account_id          text        NOT NULL,
        currency            char(3)     NOT NULL,
        amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
        status              text        NOT NULL CHECK (status IN ('HELD', 'VOIDED', 'CAPTURED', 'REVERSED', 'REFUSED')),
        captured_minor      bigint      CHECK (captured_minor >= 0 AND captured_minor <= amount_minor),
        refusal             jsonb,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (account_id, currency) REFERENCES ledger_accounts (account_id, currency),
        CONSTRAINT ledger_holds_capture_recorded CHECK ((status IN ('CAPTURED', 'REVERSED')) = (captured_minor IS NOT NULL)),
        CONSTRAINT ledger_holds_refusal_recorded CHECK ((status = 'REFUSED') = (refusal IS NOT NULL))
      )`);
    await runner.query(`
      CREATE TABLE ledger_journal (
        sequence               bigserial   PRIMARY KEY,
        account_id             text        NOT NULL,
        currency               char(3)     NOT NULL,
        reference              text        NOT NULL,
        kind                   text        NOT NULL CHECK (kind IN ('DEPOSIT', 'AUTHORIZE', 'VOID', 'CAPTURE', 'REVERSE')),
        amount_minor           bigint      NOT NULL CHECK (amount_minor >= 0),
        available_delta_minor  bigint      NOT NULL,
        holding_delta_minor    bigint      NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (account_id, currency) REFERENCES ledger_accounts (account_id, currency),
        CONSTRAINT ledger_journal_once_per_movement UNIQUE (reference, kind)
      )`);
    await runner.query(`CREATE INDEX ledger_journal_by_account ON ledger_journal (account_id, currency, sequence)`);
    // a transaction's hold is settled once: a VOID or a CAPTURE, never both
    await runner.query(
      `CREATE UNIQUE INDEX ledger_journal_settled_once ON ledger_journal (reference) WHERE kind IN ('VOID', 'CAPTURE')`,
    );
    await runner.query(`
      CREATE FUNCTION ledger_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_journal is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await runner.query(`
      CREATE TRIGGER ledger_journal_no_rewrite BEFORE UPDATE OR DELETE ON ledger_journal
      FOR EACH ROW EXECUTE FUNCTION ledger_journal_append_only()`);

    await runner.query(`
      CREATE TABLE top_ups (
        id                      text        PRIMARY KEY,
        account_id              text        NOT NULL,
        external_id             text        NOT NULL CHECK (external_id ~ '^\\S{1,40}$'),
        destination_e164        text        NOT NULL CHECK (destination_e164 ~ '^\\+[1-9][0-9]{6,14}$'),
        destination_country     char(2)     NOT NULL,
        status_class            text        NOT NULL CHECK (status_class IN ('CREATED', 'CONFIRMED', 'SUBMITTED', 'COMPLETED', 'REVERSED', 'REJECTED', 'CANCELLED', 'DECLINED')),
        status                  text        NOT NULL,
        product_id              text        NOT NULL,
        operator_id             text        NOT NULL,
        receive_minor           bigint      NOT NULL CHECK (receive_minor > 0),
        receive_currency        char(3)     NOT NULL,
        cost_minor              bigint      NOT NULL CHECK (cost_minor > 0),
        cost_currency           char(3)     NOT NULL,
        quote                   jsonb       NOT NULL,
        next_attempt_at         timestamptz,
        awaiting_status_query   boolean     NOT NULL DEFAULT false,
        failure                 jsonb,
        version                 integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
        created_at              timestamptz NOT NULL,
        updated_at              timestamptz NOT NULL,
        CONSTRAINT top_ups_external_id_once_per_account UNIQUE (account_id, external_id)
      )`);
    await runner.query(
      `CREATE INDEX top_ups_due_retries ON top_ups (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX top_ups_non_final ON top_ups (updated_at) WHERE status_class IN ('CREATED', 'CONFIRMED', 'SUBMITTED')`,
    );
    await runner.query(`CREATE INDEX top_ups_by_account_created ON top_ups (account_id, created_at, id)`);
    await runner.query(`CREATE INDEX top_ups_by_created ON top_ups (created_at, id)`);
    await runner.query(`
      CREATE TABLE top_up_attempts (
        top_up_id                text        NOT NULL REFERENCES top_ups (id) ON DELETE CASCADE,
        number                   smallint    NOT NULL CHECK (number BETWEEN 1 AND 20),
        provider_external_id     text        NOT NULL CHECK (provider_external_id ~ '^\\S{1,40}$'),
        provider_id              text,
        provider_transaction_id  text,
        state                    text        NOT NULL CHECK (state IN ('InFlight', 'Pending', 'Unknown', 'Succeeded', 'Failed')),
        provider_status_class    text,
        provider_status          text,
        failure                  jsonb,
        unknown_reason           text,
        started_at               timestamptz NOT NULL,
        updated_at               timestamptz NOT NULL,
        PRIMARY KEY (top_up_id, number)
      )`);
    await runner.query(
      `CREATE INDEX top_up_attempts_by_provider_external_id ON top_up_attempts (provider_external_id)`,
    );
    await runner.query(
      `CREATE INDEX top_up_attempts_by_provider_transaction_id ON top_up_attempts (provider_id, provider_transaction_id) WHERE provider_transaction_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE provider_products (
        provider_id   text        NOT NULL,
        product_id    text        NOT NULL,
        country_iso   char(2)     NOT NULL,
        operator_id   text        NOT NULL,
        product       jsonb       NOT NULL,
        fetched_at    timestamptz NOT NULL,
        expires_at    timestamptz NOT NULL,
        PRIMARY KEY (provider_id, product_id)
      )`);
    await runner.query(
      `CREATE INDEX provider_products_by_operator ON provider_products (provider_id, country_iso, operator_id)`,
    );

    await runner.query(`
      CREATE TABLE outbox (
        id             text        PRIMARY KEY,
        type           text        NOT NULL,
        aggregate_id   text        NOT NULL,
        payload        jsonb       NOT NULL,
        occurred_at    timestamptz NOT NULL,
        publish_attempts integer   NOT NULL DEFAULT 0,
        sent_at        timestamptz
      )`);
    await runner.query(`CREATE INDEX outbox_unsent ON outbox (occurred_at, id) WHERE sent_at IS NULL`);
    await runner.query(`
      CREATE TABLE processed_messages (
        consumer      text        NOT NULL,
        message_id    text        NOT NULL,
        processed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'processed_messages',
      'outbox',
      'provider_products',
      'top_up_attempts',
      'top_ups',
      'ledger_journal',
      'ledger_holds',
      'ledger_accounts',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
    await runner.query(`DROP FUNCTION ledger_journal_append_only()`);
  }
}
