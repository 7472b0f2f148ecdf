// Adversarial review of the group-commit unit of work: the session of a
// group is ended (pg_terminate_backend) while its COMMIT is running (held in
// a deferred constraint trigger, so the kill lands inside the COMMIT). No
// caller may be told that its write committed when it did not: every unit
// of the killed group fails with a retryable PersistenceFailure, nothing of
// it is stored, and running the failed units again stores each write once.
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import { sql } from '../sql';
import { makeGroupCommitUnitOfWork } from './group-commit-unit-of-work.adapter';

describe('group-commit unit of work, its session ended during the COMMIT', () => {
  let db: TestDatabase;
  let killer: Client;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 4 });
    // every transaction that wrote a row waits 0.3 s in its COMMIT (a deferred constraint trigger)
    await db.dataSource.query(`CREATE TABLE slow_items (key text PRIMARY KEY)`);
    await db.dataSource.query(
      `CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`,
    );
    await db.dataSource.query(
      `CREATE CONSTRAINT TRIGGER slow_items_commit AFTER INSERT ON slow_items
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()`,
    );
    killer = new Client({ connectionString: db.config.url });
    await killer.connect();
  });

  afterAll(async () => {
    await killer?.end().catch(() => undefined);
    await db.drop();
  });

  const stored = async (): Promise<string[]> =>
    ((await db.dataSource.query(`SELECT key FROM slow_items ORDER BY key`)) as { key: string }[]).map((row) => row.key);

  /** Ends every session of the test database that is in a COMMIT (held in the trigger's sleep), `times` times. */
  const killCommits = async (times: number, deadline: number) => {
    let killed = 0;
    while (killed < times && Date.now() < deadline) {
      const rows = (
        await killer.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND wait_event = 'PgSleep' AND query ILIKE 'COMMIT%'`,
        )
      ).rows;
      killed += rows.filter((row) => row.ended).length;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return killed;
  };

  it('answers no unit as committed when its group was ended in the COMMIT; run again, each write is stored once', async () => {
    const unitOfWork = makeGroupCommitUnitOfWork(db.dataSource, { groups: 1, maxGroup: 32 });
    const keys = Array.from({ length: 12 }, (_, index) => `k-${String(index).padStart(2, '0')}`);
    const insert = (key: string) =>
      unitOfWork.transactionally(sql(db.dataSource, `INSERT INTO slow_items (key) VALUES ($1)`, [key]));
    // the first unit goes alone (an idle queue); the others form groups behind it; two COMMITs are ended
    const killing = killCommits(2, Date.now() + 10_000);
    const results = await Promise.all(keys.map((key) => Effect.runPromise(Effect.either(insert(key)))));
    const killed = await killing;
    expect(killed).toBe(2);
    const kept = await stored();
    const failed = keys.filter((_, index) => Either.isLeft(results[index] as Either.Either<unknown, unknown>));
    // told committed => stored; failed => a retryable PersistenceFailure and not stored
    expect(kept).toEqual(keys.filter((key) => !failed.includes(key)));
    expect(failed.length).toBeGreaterThan(0);
    for (const result of results)
      if (Either.isLeft(result)) {
        expect(result.left).toBeInstanceOf(PersistenceFailure);
        expect(result.left).toMatchObject({ retryable: true });
      }
    // the failed ones, run again, are each stored once
    const again = await Promise.all(failed.map((key) => Effect.runPromise(Effect.either(insert(key)))));
    expect(again.every(Either.isRight)).toBe(true);
    expect(await stored()).toEqual(keys);
  }, 30_000);

  it('answers no unit as committed when its session was ended while a later unit of its group ran', async () => {
    await db.dataSource.query(`CREATE TABLE plain_items (key text PRIMARY KEY)`);
    const unitOfWork = makeGroupCommitUnitOfWork(db.dataSource, { groups: 1, maxGroup: 32 });
    const keys = Array.from({ length: 16 }, (_, index) => `m-${String(index).padStart(2, '0')}`);
    // each unit writes, then waits in the database: the kill lands inside one unit, after others of its group succeeded
    const insert = (key: string) =>
      unitOfWork.transactionally(
        Effect.zipRight(
          sql(db.dataSource, `INSERT INTO plain_items (key) VALUES ($1)`, [key]),
          sql(db.dataSource, `SELECT pg_sleep(0.05)`),
        ),
      );
    const killing = (async () => {
      const deadline = Date.now() + 10_000;
      let killed = 0;
      // wait until a group is under way (a unit of it sleeping after earlier ones released their savepoints)
      await new Promise((resolve) => setTimeout(resolve, 180));
      while (killed < 1 && Date.now() < deadline) {
        const rows = (
          await killer.query<{ ended: boolean }>(
            `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event = 'PgSleep'`,
          )
        ).rows;
        killed += rows.filter((row) => row.ended).length;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return killed;
    })();
    const results = await Promise.all(keys.map((key) => Effect.runPromise(Effect.either(insert(key)))));
    expect(await killing).toBe(1);
    const kept = ((await db.dataSource.query(`SELECT key FROM plain_items ORDER BY key`)) as { key: string }[]).map(
      (row) => row.key,
    );
    const failed = keys.filter((_, index) => Either.isLeft(results[index] as Either.Either<unknown, unknown>));
    expect(failed.length).toBeGreaterThan(1);
    expect(kept).toEqual(keys.filter((key) => !failed.includes(key)));
    for (const result of results) if (Either.isLeft(result)) expect(result.left).toMatchObject({ retryable: true });
  }, 30_000);
});
