// The group-commit unit of work's promises: units opened at once share a
// transaction and a commit, one failing unit is rolled back alone, each
// caller is answered only after the commit, and a unit keeps its caller's
// services and log annotations.
import { Context, Deferred, Effect, Either, Fiber, FiberRef, HashMap } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import { sql } from '../sql';
import { makeGroupCommitUnitOfWork, withOwnTransactions } from './group-commit-unit-of-work.adapter';

class Greeting extends Context.Tag('test/Greeting')<Greeting, string>() {}

describe('group-commit unit of work', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 8 });
    await db.dataSource.query(`CREATE TABLE items (key text PRIMARY KEY, tx bigint NOT NULL)`);
    await db.dataSource.query(
      `CREATE TABLE deferred_items (key text, CONSTRAINT deferred_items_once UNIQUE (key) DEFERRABLE INITIALLY DEFERRED)`,
    );
  });
  afterAll(async () => db.drop());

  const uow = () => makeGroupCommitUnitOfWork(db.dataSource, { groups: 1, maxGroup: 32 });
  const insert = (key: string) =>
    Effect.map(
      sql<{ tx: string }>(db.dataSource, `INSERT INTO items (key, tx) VALUES ($1, txid_current()) RETURNING tx::text`, [
        key,
      ]),
      (rows) => rows[0]?.tx,
    );
  const stored = async (keys: readonly string[]) =>
    (
      (await db.dataSource.query(`SELECT key FROM items WHERE key = ANY($1) ORDER BY key`, [keys])) as { key: string }[]
    ).map((row) => row.key);

  it('units opened at once share transactions: fewer transactions than units, every row committed', async () => {
    const unitOfWork = uow();
    const keys = Array.from({ length: 40 }, (_, index) => `shared-${index}`);
    const txs = await Promise.all(keys.map((key) => Effect.runPromise(unitOfWork.transactionally(insert(key)))));
    expect(new Set(txs).size).toBeLessThan(keys.length);
    expect(await stored(keys)).toEqual([...keys].sort());
  });

  it('a unit that fails is rolled back alone; its neighbours commit and each caller gets its own answer', async () => {
    const unitOfWork = uow();
    const results = await Promise.all(
      ['ok-1', 'bad', 'ok-2', 'ok-3'].map((key) =>
        Effect.runPromise(
          Effect.either(
            unitOfWork.transactionally(
              Effect.flatMap(insert(key), (tx) => (key === 'bad' ? Effect.fail(`refused ${key}`) : Effect.succeed(tx))),
            ),
          ),
        ),
      ),
    );
    expect(results[1]).toEqual(Either.left('refused bad'));
    expect([results[0], results[2], results[3]].every((result) => result !== undefined && Either.isRight(result))).toBe(
      true,
    );
    expect(await stored(['ok-1', 'bad', 'ok-2', 'ok-3'])).toEqual(['ok-1', 'ok-2', 'ok-3']);
  });

  it('a unit whose statement failed (even if it caught the error) fails with a PersistenceFailure, alone', async () => {
    const unitOfWork = uow();
    await Effect.runPromise(unitOfWork.transactionally(insert('taken')));
    const [caught, neighbour] = await Promise.all([
      Effect.runPromise(
        Effect.either(
          unitOfWork.transactionally(
            Effect.zipRight(
              insert('written-before-the-failure'),
              Effect.catchAll(insert('taken'), () => Effect.succeed('ignored')),
            ),
          ),
        ),
      ),
      Effect.runPromise(Effect.either(unitOfWork.transactionally(insert('neighbour')))),
    ]);
    expect(Either.isLeft(caught) && caught.left).toMatchObject({ _tag: 'PersistenceFailure' });
    expect(Either.isRight(neighbour)).toBe(true);
    expect(await stored(['written-before-the-failure', 'neighbour'])).toEqual(['neighbour']);
  });

  it('answers a caller only after the commit: what it wrote is visible to another session at once', async () => {
    const unitOfWork = uow();
    const seen = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        Effect.runPromise(unitOfWork.transactionally(insert(`visible-${index}`))).then(() =>
          stored([`visible-${index}`]),
        ),
      ),
    );
    expect(seen.map((keys) => keys.length)).toEqual(Array.from({ length: 10 }, () => 1));
  });

  it('a COMMIT the server refuses fails every unit of the group that had succeeded', async () => {
    const unitOfWork = uow();
    const twice = () =>
      Effect.runPromise(
        Effect.either(
          unitOfWork.transactionally(sql(db.dataSource, `INSERT INTO deferred_items (key) VALUES ('same')`)),
        ),
      );
    // the first goes alone (an idle queue); the two next share a group, whose deferred check fails at COMMIT
    await twice();
    const [first, second] = await Promise.all([twice(), twice()]);
    expect([first, second].every((result) => Either.isLeft(result) && result.left._tag === 'PersistenceFailure')).toBe(
      true,
    );
    const [count] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM deferred_items`)) as { n: number }[];
    expect(count?.n).toBe(1);
  });

  it("a unit runs with its caller's services and log annotations; a nested unit joins the transaction", async () => {
    const unitOfWork = uow();
    const program = unitOfWork.transactionally(
      Effect.gen(function* () {
        const greeting = yield* Greeting;
        const annotations = yield* FiberRef.get(FiberRef.currentLogAnnotations);
        const outer = yield* insert('outer');
        const inner = yield* unitOfWork.transactionally(insert('inner'));
        return { greeting, topUpId: HashMap.get(annotations, 'topUpId'), sameTransaction: outer === inner };
      }),
    );
    const result = await Effect.runPromise(
      program.pipe(Effect.annotateLogs({ topUpId: 't-1' }), Effect.provideService(Greeting, 'hello')),
    );
    expect(result).toMatchObject({ greeting: 'hello', sameTransaction: true });
    expect(result.topUpId).toMatchObject({ _tag: 'Some', value: 't-1' });
  });

  it('inside withOwnTransactions a unit runs in a transaction of its own', async () => {
    const unitOfWork = uow();
    const txs = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        Effect.runPromise(withOwnTransactions(unitOfWork.transactionally(insert(`own-${index}`)))),
      ),
    );
    expect(new Set(txs).size).toBe(6);
  });

  it('two groups that deadlock on each other: PostgreSQL fails one unit, which runs again; both callers succeed', async () => {
    await db.dataSource.query(`CREATE TABLE counters (id text PRIMARY KEY, n int NOT NULL)`);
    await db.dataSource.query(`INSERT INTO counters VALUES ('a', 0), ('b', 0)`);
    const unitOfWork = makeGroupCommitUnitOfWork(db.dataSource, { groups: 2, maxGroup: 2 });
    const bump = (id: string) => sql(db.dataSource, `UPDATE counters SET n = n + 1 WHERE id = $1`, [id]);
    // each locks one row, waits, then wants the other's: a cycle across the two groups' transactions
    const crossing = (first: string, second: string) =>
      unitOfWork.transactionally(
        Effect.zipRight(
          Effect.zipRight(bump(first), sql(db.dataSource, `SELECT pg_sleep(0.2)`)),
          Effect.as(bump(second), `${first}${second}`),
        ),
      );
    const results = await Promise.all([
      Effect.runPromise(Effect.either(crossing('a', 'b'))),
      Effect.runPromise(Effect.either(crossing('b', 'a'))),
    ]);
    expect(results).toEqual([Either.right('ab'), Either.right('ba')]);
    expect(await db.dataSource.query(`SELECT id, n FROM counters ORDER BY id`)).toEqual([
      { id: 'a', n: 2 },
      { id: 'b', n: 2 },
    ]);
  });

  it('a statement that fails after its unit ended (a fiber left running) makes the COMMIT a rollback: no caller is told its write committed', async () => {
    const unitOfWork = makeGroupCommitUnitOfWork(db.dataSource, { groups: 1, maxGroup: 8 });
    // the last unit of the group leaves it: its statement fails after every unit's check, at the COMMIT
    const keys = ['late-1', 'late-2', 'late-3'];
    const results = await Promise.all(
      keys.map((key, index) =>
        Effect.runPromise(
          Effect.either(
            unitOfWork.transactionally(
              index === keys.length - 1
                ? Effect.zipLeft(
                    insert(key),
                    // a fiber of its own that outlives the unit, its statement sent before the unit ends
                    Effect.zipRight(
                      Effect.forkDaemon(
                        Effect.either(sql(db.dataSource, `SELECT 1 / (0 * random())::int FROM pg_sleep(0.05)`)),
                      ),
                      Effect.sleep('10 millis'),
                    ),
                  )
                : insert(key),
            ),
          ),
        ),
      ),
    );
    const kept = await stored(keys);
    results.forEach((result, index) => {
      if (Either.isRight(result)) expect(kept).toContain(keys[index]);
    });
    expect(results.some(Either.isLeft)).toBe(true);
  });

  it('a caller interrupted while its unit still waits for a group takes it out: it never runs; one already in a group commits with it, and its interruption ends with the group', async () => {
    const unitOfWork = uow();
    const started = await Effect.runPromise(Deferred.make<void>());
    const release = await Effect.runPromise(Deferred.make<void>());
    // the committer's only worker is busy with this unit until `release`
    const busy = Effect.runFork(
      unitOfWork.transactionally(
        Effect.zipRight(insert('busy'), Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(release))),
      ),
    );
    await Effect.runPromise(Deferred.await(started));
    const waiting = Effect.runFork(unitOfWork.transactionally(insert('given-up')));
    const kept = Effect.runFork(unitOfWork.transactionally(insert('kept')));
    await Effect.runPromise(Fiber.interrupt(waiting));
    // the busy unit's caller gives up too, while its unit runs in the committer's group: its interruption ends
    // only when that group has
    let interrupted = false;
    const givingUp = Effect.runPromise(Fiber.interrupt(busy)).then(() => (interrupted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(interrupted).toBe(false);
    await Effect.runPromise(Deferred.succeed(release, undefined));
    await givingUp;
    await Effect.runPromise(Fiber.join(kept));
    expect(await stored(['busy', 'given-up', 'kept'])).toEqual(['busy', 'kept']);
  });

  it('with maxGroup 1 it is the plain unit of work: units run side by side, each in its own transaction', async () => {
    const unitOfWork = makeGroupCommitUnitOfWork(db.dataSource, { groups: 1, maxGroup: 1 });
    const slow = (key: string) =>
      unitOfWork.transactionally(Effect.zipLeft(insert(key), sql(db.dataSource, `SELECT pg_sleep(0.3)`)));
    const txs = await Promise.all(['plain-1', 'plain-2', 'plain-3'].map((key) => Effect.runPromise(slow(key))));
    expect(new Set(txs).size).toBe(3);
    const [overlap] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM items WHERE key LIKE 'plain-%'`)) as {
      n: number;
    }[];
    expect(overlap?.n).toBe(3);
  });

  it('refuses bounds out of range', () => {
    expect(() => makeGroupCommitUnitOfWork(db.dataSource, { groups: 0 })).toThrow(/groups an integer from 1 to 64/);
    expect(() => makeGroupCommitUnitOfWork(db.dataSource, { maxGroup: 1001 })).toThrow(/maxGroup/);
  });
});
