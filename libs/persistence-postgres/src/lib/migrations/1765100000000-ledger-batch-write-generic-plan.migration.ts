// The batched ledger write planned once per connection (issue 12). PL/pgSQL
// runs the function's statement through PostgreSQL's plan cache, whose
// default (plan_cache_mode = auto) kept making a custom plan for every call:
// the statement was planned again each time, a large share of a batch of
// one, which is every batch when one client writes. Its seq scans, hash and
// merge joins being off (migration 1765000000000), every plan of it is made
// of primary-key lookups whatever the arrays hold, so a generic plan is the
// same plan without the planning: the function now sets plan_cache_mode =
// force_generic_plan for itself. Measured on the 2-core machine, runs of the
// two set-ups interleaved: +21% to +33% authorize+capture pairs at 1 and 8
// clients, the same at 64. Down resets it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The function's regprocedure (its argument types), read from the catalogue, so the list is not written twice. */
const SIGNATURE_OF = `SELECT oid::regprocedure::text AS signature FROM pg_proc
  WHERE proname = 'ledger_batch_write' AND pronamespace = current_schema()::regnamespace`;

const alter = async (runner: QueryRunner, clause: string): Promise<void> => {
  const [found] = (await runner.query(SIGNATURE_OF)) as { signature: string }[];
  if (found === undefined) throw new Error('ledger_batch_write is missing: migration 1765000000000 runs first');
  await runner.query(`ALTER FUNCTION ${found.signature} ${clause}`);
};

export class LedgerBatchWriteGenericPlan1765100000000 implements MigrationInterface {
  name = 'LedgerBatchWriteGenericPlan1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await alter(runner, 'SET plan_cache_mode = force_generic_plan');
  }

  async down(runner: QueryRunner): Promise<void> {
    await alter(runner, 'RESET plan_cache_mode');
  }
}
