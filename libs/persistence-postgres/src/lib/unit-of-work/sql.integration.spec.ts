// sql(): statements with parameters as named prepared statements, and what
// happens to one whose table changed shape after it was prepared.
import { Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { sql, statementName } from './sql';
import { makeUnitOfWork } from './unit-of-work.adapter';

describe('sql() with named prepared statements', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    // one connection: every statement meets the statements prepared before on it
    db = await createTestDatabase({ poolSize: 1 });
    await db.dataSource.query(`CREATE TABLE shapes (id int PRIMARY KEY, a int NOT NULL)`);
    await db.dataSource.query(`INSERT INTO shapes VALUES (1, 10)`);
  });
  afterAll(async () => db.drop());

  const read = () => sql<Record<string, number>>(db.dataSource, `SELECT * FROM shapes WHERE id = $1`, [1]);

  it('names a statement by its text: the same text one name, another text another', () => {
    expect(statementName('SELECT 1 WHERE $1')).toBe(statementName('SELECT 1 WHERE $1'));
    expect(statementName('SELECT 1 WHERE $1')).not.toBe(statementName('SELECT 2 WHERE $1'));
    expect(statementName('SELECT 1 WHERE $1')).toMatch(/^q[0-9a-f]{24}$/);
  });

  it('a prepared statement whose table changed shape runs again, prepared anew, outside a transaction', async () => {
    expect(await Effect.runPromise(read())).toEqual([{ id: 1, a: 10 }]);
    await db.dataSource.query(`ALTER TABLE shapes ADD COLUMN b int NOT NULL DEFAULT 7`);
    expect(await Effect.runPromise(read())).toEqual([{ id: 1, a: 10, b: 7 }]);
  });

  it('inside a unit of work it fails as retryable (the transaction is lost), and the unit run again succeeds', async () => {
    const unitOfWork = makeUnitOfWork(db.dataSource);
    expect(await Effect.runPromise(unitOfWork.transactionally(read()))).toEqual([{ id: 1, a: 10, b: 7 }]);
    await db.dataSource.query(`ALTER TABLE shapes ADD COLUMN c int NOT NULL DEFAULT 9`);
    const first = await Effect.runPromise(Effect.either(unitOfWork.transactionally(read())));
    expect(Either.isLeft(first) && first.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: true });
    expect(await Effect.runPromise(unitOfWork.transactionally(read()))).toEqual([{ id: 1, a: 10, b: 7, c: 9 }]);
  });
});
