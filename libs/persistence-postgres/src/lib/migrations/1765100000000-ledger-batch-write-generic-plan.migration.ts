// The batched ledger write planned once per connection (issue 12). PL/pgSQL
// runs the function's statement through PostgreSQL's plan cache, whose
// default (plan_cache_mode = auto) may keep making a custom plan, planning
// the statement again on every call. Its seq scans, hash and merge joins
// being off (migration 1765000000000), every plan of it is made of
// primary-key lookups whatever the arrays hold, so a generic plan is the
// same plan without the planning: the function sets plan_cache_mode =
// force_generic_plan for itself. Measured on the 2-core machine with the
// setting on one of two databases of the same server, in turn on each, in
// interleaved one-second slices: authorize+capture pairs on one account at
// 8 clients, +13% to +28% (six runs, always ahead); at 1 client, at 64, and
// at 8 over 1,000 accounts, no difference beyond the runs' noise. Down
// resets it.
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
