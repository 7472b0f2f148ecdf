// The outbox's publishing order: `sequence`, an identity column numbered as
// rows are inserted, so the relay publishes events in the order they were
// appended (within one transaction, the order of its appends) instead of by
// occurred_at and id, which puts the events of one change (same occurred_at)
// in the order of their ids. Rows already stored are numbered by
// (occurred_at, id), the order the relay used until now, and new rows follow
// them. The partial index of unsent rows moves to (sequence). Down restores
// the index on (occurred_at, id) and drops the column.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxSequence1764300000000 implements MigrationInterface {
  name = 'OutboxSequence1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox ADD COLUMN sequence bigint`);
    await runner.query(`
      UPDATE outbox SET sequence = numbered.n
      FROM (SELECT id, row_number() OVER (ORDER BY occurred_at, id) AS n FROM outbox) AS numbered
      WHERE outbox.id = numbered.id`);
    await runner.query(`ALTER TABLE outbox ALTER COLUMN sequence SET NOT NULL`);
    await runner.query(`ALTER TABLE outbox ALTER COLUMN sequence ADD GENERATED ALWAYS AS IDENTITY`);
    await runner.query(
      `SELECT setval(pg_get_serial_sequence('outbox', 'sequence'), (SELECT coalesce(max(sequence), 0) + 1 FROM outbox), false)`,
    );
    await runner.query(`DROP INDEX outbox_unsent`);
    await runner.query(`CREATE INDEX outbox_unsent_in_order ON outbox (sequence) WHERE sent_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX outbox_unsent_in_order`);
    await runner.query(`ALTER TABLE outbox DROP COLUMN sequence`);
    await runner.query(`CREATE INDEX outbox_unsent ON outbox (occurred_at, id) WHERE sent_at IS NULL`);
  }
}
