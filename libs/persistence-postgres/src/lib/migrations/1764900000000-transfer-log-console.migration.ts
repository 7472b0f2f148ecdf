// The reads of the transfer log console (issue 13), each served by an index:
// - top_ups_by_account_destination: a search by phone number within the
//   caller's accounts (account, exact E.164 destination), newest first;
// - outbox_by_aggregate: a top-up's events in the order they were appended
//   (the relay's "no earlier unsent event of this aggregate" check uses it too);
// - top_up_requests_resends: the resends of a top-up, the requests of an
//   account whose metadata names it in `resend_of` (partial: only such requests).
// A top-up's ledger movements need none (the journal's (reference, kind) key
// serves them), nor the 24-hour activity (top_ups_by_account_created).
// Down drops the three.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TransferLogConsole1764900000000 implements MigrationInterface {
  name = 'TransferLogConsole1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX top_ups_by_account_destination ON top_ups (account_id, destination_e164, created_at, id)`,
    );
    await runner.query(`CREATE INDEX outbox_by_aggregate ON outbox (aggregate_id, sequence)`);
    await runner.query(`
      CREATE INDEX top_up_requests_resends ON top_up_requests (account_id, (request #>> '{metadata,resend_of}'))
      WHERE request #>> '{metadata,resend_of}' IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of ['top_up_requests_resends', 'outbox_by_aggregate', 'top_ups_by_account_destination'])
      await runner.query(`DROP INDEX ${index}`);
  }
}
