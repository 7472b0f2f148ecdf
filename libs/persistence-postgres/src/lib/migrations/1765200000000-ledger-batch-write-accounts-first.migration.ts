// The batched ledger write, second version (issue 12): it locks the
// batch's accounts first, sorted, and answers the new journal entries'
// sequences only. Same parameters, same writes and guard (SQLSTATE LB001),
// same settings (index lookups only, a generic plan).
//
// Lock order. The first version (migration 1765000000000) moved the holds
// (`moved`) before the accounts (`balances`), and the accounts in the
// batch's order. The direct store's settlement and the locked path lock an
// account before its hold, and accounts sorted; so a lane's write could
// deadlock with a unit of work settling the same hold (40P01: either side
// aborted, a neighbour's unit among them), and two processes' batches naming
// two accounts in opposite orders deadlocked each other. Now `locked` takes
// every account of the batch ($19, $20), sorted by (account_id, currency),
// FOR NO KEY UPDATE, before any hold or account row is moved: both UPDATEs
// carry it as a one-time filter, which PostgreSQL evaluates before their
// first row.
//
// Answer. The first version answered each new entry as a JSON row (eight
// columns, bigints as text), which the store parsed back into the very
// entries it had just decided and sent: only the sequence was news. The
// answer is `stored_sequences bigint[]`, the new entries' sequences in the
// order of the entries given ($12-$18: decision order; the INSERT takes them
// ORDER BY their position, and each row's sequence is drawn as it is
// inserted). Measured on the 2-core machine, the function alone (a loop of
// calls, synchronous_commit off), before the lock: 375 → 335 µs for a batch
// of 8 authorizations and 8 captures, 1,700 → 1,420 µs for 64. The lock
// then costs about 35 µs a call (1 movement: 180 → 215 µs; 8: 333 → 367;
// 64: 1,440 → 1,477), so the second version costs about what the first did.
//
// A function of its own, `ledger_batch_write_v2`, beside the first one
// (which stays, unused by this version of the store): processes of the
// previous version keep calling theirs while a deploy rolls, since a
// function whose answer changes cannot be replaced under them. A later
// migration drops the first one once no process calls it. Down drops the
// second. The statement is written out whole here, as a migration is a
// snapshot.
import type { MigrationInterface, QueryRunner } from 'typeorm';
/** The first function's argument list, read from the catalogue, so the 36 types are not written again. */
const ARGUMENTS_OF = `SELECT pg_get_function_arguments(oid) AS arguments FROM pg_proc
  WHERE proname = $1 AND pronamespace = current_schema()::regnamespace`;

const argumentsOf = async (runner: QueryRunner, name: string): Promise<string> => {
  const [found] = (await runner.query(ARGUMENTS_OF, [name])) as { arguments: string }[];
  if (found === undefined) throw new Error(`${name} is missing: migration 1765000000000 runs first`);
  return found.arguments;
};

export class LedgerBatchWriteAccountsFirst1765200000000 implements MigrationInterface {
  name = 'LedgerBatchWriteAccountsFirst1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION ledger_batch_write_v2(${await argumentsOf(runner, 'ledger_batch_write')})
      RETURNS TABLE (holds_moved integer, accounts_moved integer, claims_unchanged integer, stored_sequences bigint[])
      LANGUAGE plpgsql
      SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
      SET plan_cache_mode = force_generic_plan
      AS $$
      BEGIN
      RETURN QUERY
      WITH locked AS (
        SELECT 1 FROM ledger_accounts a
         WHERE (a.account_id, a.currency) IN (SELECT * FROM unnest($19::text[], $20::bpchar[]))
         ORDER BY a.account_id, a.currency
           FOR NO KEY UPDATE OF a
      ), created AS (
        INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status, captured_minor, refusal)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bpchar[], $4::bigint[], $5::text[], $6::bigint[], $7::jsonb[])
        RETURNING 1
      ), moved AS (
        UPDATE ledger_holds h SET status = m.status, captured_minor = m.captured, updated_at = now()
          FROM unnest($8::text[], $9::text[], $10::text[], $11::bigint[]) AS m(transaction_id, from_status, status, captured)
         WHERE h.transaction_id = m.transaction_id AND h.status = m.from_status
           AND (SELECT count(*) FROM locked) >= 0
        RETURNING 1
      ), entries AS (
        INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
        SELECT account_id, currency, reference, kind, amount, available, holding
          FROM unnest($12::text[], $13::bpchar[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[])
               WITH ORDINALITY AS e(account_id, currency, reference, kind, amount, available, holding, position)
         ORDER BY position
        RETURNING sequence
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
           AND (SELECT count(*) FROM locked) >= 0
        RETURNING 1
      ), unchanged AS (
        SELECT count(*)::int AS n FROM ledger_holds h
          JOIN unnest($34::text[], $35::text[]) AS c(transaction_id, status)
            ON h.transaction_id = c.transaction_id AND h.status = c.status
      )
      SELECT ledger_batch_guard($32::int, (SELECT count(*)::int FROM moved)) AS holds_moved,
             ledger_batch_guard($33::int, (SELECT count(*)::int FROM balances)) AS accounts_moved,
             ledger_batch_guard($36::int, (SELECT n FROM unchanged)) AS claims_unchanged,
             (SELECT COALESCE(array_agg(sequence ORDER BY sequence), '{}') FROM entries) AS stored_sequences;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION ledger_batch_write_v2(${await argumentsOf(runner, 'ledger_batch_write_v2')})`);
  }
}
