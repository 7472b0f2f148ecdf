// The batched ledger store's write as a function (issue 12), planned with
// index lookups only. The write joins each part of a batch (its new and
// moved holds, its accounts, the claims it left as they were) to the tables
// by key. As a prepared statement it went to a generic plan after five
// executions on a connection, made from the tables' size at that time, and
// kept it: on tables still small (a new database) PostgreSQL chose hash
// joins over sequential scans of ledger_holds and ledger_accounts, which
// then grew with every batch (a batch of 64 on 20,000 holds spent most of
// its time scanning them). The function sets enable_seqscan,
// enable_hashjoin and enable_mergejoin off for its own statement only: each
// part is looked up through its primary key, whatever the size of the
// tables when a plan (custom, generic, or PL/pgSQL's cached one) is made.
// Same writes, same guard (`ledger_batch_guard`, SQLSTATE LB001), same
// answer as one row: holds_moved, accounts_moved, claims_unchanged,
// stored_entries (the new journal rows as JSON, bigints as text). Down
// drops it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The function's parameters, in order (the arrays of `writeDecidedBatch`). */
const PARAMETERS = [
  'text[]',
  'text[]',
  'bpchar[]',
  'bigint[]',
  'text[]',
  'bigint[]',
  'jsonb[]',
  'text[]',
  'text[]',
  'text[]',
  'bigint[]',
  'text[]',
  'bpchar[]',
  'text[]',
  'text[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'text[]',
  'bpchar[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'bigint[]',
  'integer',
  'integer',
  'text[]',
  'text[]',
  'integer',
].join(', ');

export class LedgerBatchWrite1765000000000 implements MigrationInterface {
  name = 'LedgerBatchWrite1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION ledger_batch_write(${PARAMETERS})
      RETURNS TABLE (holds_moved integer, accounts_moved integer, claims_unchanged integer, stored_entries json)
      LANGUAGE plpgsql
      SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
      AS $$
      BEGIN
      RETURN QUERY
      WITH created AS (
        INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status, captured_minor, refusal)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bpchar[], $4::bigint[], $5::text[], $6::bigint[], $7::jsonb[])
        RETURNING 1
      ), moved AS (
        UPDATE ledger_holds h SET status = m.status, captured_minor = m.captured, updated_at = now()
          FROM unnest($8::text[], $9::text[], $10::text[], $11::bigint[]) AS m(transaction_id, from_status, status, captured)
         WHERE h.transaction_id = m.transaction_id AND h.status = m.from_status
        RETURNING 1
      ), entries AS (
        INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
        SELECT account_id, currency, reference, kind, amount, available, holding
          FROM unnest($12::text[], $13::bpchar[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[])
               WITH ORDINALITY AS e(account_id, currency, reference, kind, amount, available, holding, position)
         ORDER BY position
        RETURNING sequence::text AS sequence, account_id, currency, reference, kind, amount_minor::text AS amount_minor,
                  available_delta_minor::text AS available_delta_minor, holding_delta_minor::text AS holding_delta_minor
      ), balances AS (
        UPDATE ledger_accounts a
           SET available_minor = a.available_minor + d.available, holding_minor = a.holding_minor + d.holding,
               captured_minor = a.captured_minor + d.captured, reversed_minor = a.reversed_minor + d.reversed,
               funded_minor = a.funded_minor + d.funded, updated_at = now()
          FROM unnest($19::text[], $20::bpchar[], $21::bigint[], $22::bigint[], $23::bigint[], $24::bigint[], $25::bigint[],
                      $26::bigint[], $27::bigint[], $28::bigint[], $29::bigint[], $30::bigint[], $31::bigint[])
               AS d(account_id, currency, available, holding, captured, reversed, funded,
                    was_available, was_holding, was_captured, was_reversed, was_funded, credit_limit)
         WHERE a.account_id = d.account_id AND a.currency = d.currency
           AND a.available_minor = d.was_available AND a.holding_minor = d.was_holding
           AND a.captured_minor = d.was_captured AND a.reversed_minor = d.was_reversed
           AND a.funded_minor = d.was_funded AND a.credit_limit_minor = d.credit_limit
        RETURNING 1
      ), unchanged AS (
        SELECT count(*)::int AS n FROM ledger_holds h
          JOIN unnest($34::text[], $35::text[]) AS c(transaction_id, status)
            ON h.transaction_id = c.transaction_id AND h.status = c.status
      )
      SELECT ledger_batch_guard($32::int, (SELECT count(*)::int FROM moved)) AS holds_moved,
             ledger_batch_guard($33::int, (SELECT count(*)::int FROM balances)) AS accounts_moved,
             ledger_batch_guard($36::int, (SELECT n FROM unchanged)) AS claims_unchanged,
             (SELECT COALESCE(json_agg(entries), '[]'::json) FROM entries) AS stored_entries;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION ledger_batch_write(${PARAMETERS})`);
  }
}
