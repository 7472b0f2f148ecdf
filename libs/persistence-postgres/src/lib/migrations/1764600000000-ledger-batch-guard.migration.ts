// The guard of the batched ledger store's write (issue 12). A batch is
// decided in memory and written in one statement; the statement names what
// the decision read (each account's balances and credit limit, each hold's
// status) and moves a row only where it is still so. When fewer rows moved
// than decided, `ledger_batch_guard` raises SQLSTATE LB001 and the whole
// statement, in its own transaction, writes nothing: the store then decides
// the batch again under row locks. Down drops it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The SQLSTATE the guard raises: a batch's reads were stale, nothing was written. */
export const LEDGER_BATCH_STALE_SQLSTATE = 'LB001';

export class LedgerBatchGuard1764600000000 implements MigrationInterface {
  name = 'LedgerBatchGuard1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION ledger_batch_guard(expected integer, moved integer) RETURNS integer
      LANGUAGE plpgsql AS $$
      BEGIN
        IF moved IS DISTINCT FROM expected THEN
          RAISE EXCEPTION 'ledger batch read stale rows: % of % moved', moved, expected
            USING ERRCODE = '${LEDGER_BATCH_STALE_SQLSTATE}';
        END IF;
        RETURN moved;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION ledger_batch_guard(integer, integer)`);
  }
}
