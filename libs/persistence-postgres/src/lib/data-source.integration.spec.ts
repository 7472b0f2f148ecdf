// A pooled connection the server ends while no holder listens to it (pg-pool
// hands a client out without its idle listener; the holder attaches its own
// a moment later): without a listener of its own, pg's 'error' event would be
// an uncaught exception, which stops the app. Found by killing the
// consumer's connections mid-batch (pg_terminate_backend).
import { Effect } from 'effect';
import type { PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { poolOf, sql } from './unit-of-work/sql';

describe('the data source', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('a pooled client whose session the server ends while nobody listens to it does not throw; the pool drops it and goes on', async () => {
    const pool = poolOf(db.dataSource);
    const client: PoolClient = await pool.connect();
    // what pg-pool leaves on a client it hands out: only the data source's own listeners
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    await db.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    // the client is broken: its next statement fails, and the pool does not hand it out again
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release();
    const rows = await Effect.runPromise(sql<{ one: number }>(db.dataSource, 'SELECT 1 AS one', []));
    expect(rows).toEqual([{ one: 1 }]);
  });
});
