import { currencyOf, type LedgerStoreService, type PersistenceFailure, type UnitOfWorkService } from '@airtime/domain';
import { Cause, Data, Effect, Either, Exit, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeLedgerStore } from '../ledger/ledger-store.adapter';
import { makeOutbox } from '../outbox/outbox.adapter';
import { sql } from './sql';
import { makeUnitOfWork } from './unit-of-work.adapter';

const KES = Either.getOrThrow(currencyOf('KES'));

class Boom extends Data.TaggedError('Boom')<{ readonly step: string }> {}

describe('unit of work', () => {
  let db: TestDatabase;
  let ledger: LedgerStoreService;
  let unitOfWork: UnitOfWorkService;
  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = makeLedgerStore(db.dataSource);
    unitOfWork = makeUnitOfWork(db.dataSource);
    await Effect.runPromise(ledger.openAccount({ accountId: 'team', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'team', currency: KES, depositId: 'dep', amountMinor: 5_000n }),
    );
  });
  afterAll(async () => db.drop());

  const event = (id: string) =>
    sql(
      db.dataSource,
      `INSERT INTO outbox (id, type, aggregate_id, payload, occurred_at) VALUES ($1, 'topup.created', $1, '{}', now())`,
      [id],
    );
  const holding = async () => (await Effect.runPromise(ledger.account('team', 'KES'))).holdingMinor;
  const count = async (table: string, where: string, value: string) =>
    (
      (await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where} = $1`, [value])) as {
        n: number;
      }[]
    )[0]?.n;

  it('commits the movement and its event together', async () => {
    await Effect.runPromise(
      unitOfWork.transactionally(
        Effect.zipRight(
          ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'ok-1', amountMinor: 100n }),
          event('ok-1'),
        ),
      ),
    );
    expect(await holding()).toBe(100n);
    expect(await count('outbox', 'id', 'ok-1')).toBe(1);
  });

  it('a failure half-way leaves nothing behind: no ledger entry without its event', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'half-1', amountMinor: 200n });
          return yield* Effect.fail(new Boom({ step: 'before the event' }));
        }),
      ),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    expect(await holding()).toBe(100n);
    expect(await count('ledger_journal', 'reference', 'half-1')).toBe(0);
    expect(await count('ledger_holds', 'transaction_id', 'half-1')).toBe(0);
  });

  it('rolls back on a defect and on a database error after the movement', async () => {
    const defect = await Effect.runPromiseExit(
      unitOfWork.transactionally(Effect.zipRight(event('die-1'), Effect.dieMessage('crash between two statements'))),
    );
    expect(Exit.isFailure(defect)).toBe(true);
    const broken = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.zipRight(
          ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'half-2', amountMinor: 200n }),
          Effect.zipRight(event('dup-1'), event('dup-1')), // the second insert breaks the primary key
        ),
      ),
    );
    expect(Exit.isFailure(broken)).toBe(true);
    expect(await count('outbox', 'id', 'die-1')).toBe(0);
    expect(await count('outbox', 'id', 'dup-1')).toBe(0);
    expect(await count('ledger_holds', 'transaction_id', 'half-2')).toBe(0);
    expect(await holding()).toBe(100n);
  });

  it('never reports a commit after a statement failed, even when the error was caught', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* event('caught-1');
          yield* Effect.either(sql(db.dataSource, 'SELECT 1 / 0')); // PostgreSQL now aborts the transaction
          return 'done';
        }),
      ),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    expect(JSON.stringify(exit)).toMatch(/nothing was committed/);
    expect(JSON.stringify(exit)).toMatch(/"retryable":false/); // division by zero fails again on a retry
    expect(await count('outbox', 'id', 'caught-1')).toBe(0);
  });

  it('keeps a refused authorization when the use case catches the refusal and commits', async () => {
    const refuse = unitOfWork.transactionally(
      Effect.gen(function* () {
        const outcome = yield* Effect.either(
          ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'too-big', amountMinor: 1_000_000n }),
        );
        yield* event('rejected-too-big'); // e.g. the top-up stored as REJECTED, with its event
        return outcome;
      }),
    );
    const first = await Effect.runPromise(refuse);
    expect(Either.isLeft(first) && first.left._tag).toBe('InsufficientFunds');
    await Effect.runPromise(
      ledger.deposit({ accountId: 'team', currency: KES, depositId: 'dep-big', amountMinor: 2_000_000n }),
    );
    const retried = await Effect.runPromise(
      Effect.either(
        ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'too-big', amountMinor: 1_000_000n }),
      ),
    );
    expect(retried).toEqual(first);
  });

  it('joins an open transaction: a nested call commits or rolls back with its parent', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* unitOfWork.transactionally(event('nested-1'));
          return yield* Effect.fail(new Boom({ step: 'after the nested call' }));
        }),
      ),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    expect(await count('outbox', 'id', 'nested-1')).toBe(0);
  });
});

describe('unit of work: a lost connection is retryable wherever it happens', () => {
  let db: TestDatabase;
  let ledger: LedgerStoreService;
  let unitOfWork: UnitOfWorkService;
  const outbox = () => makeOutbox(db.dataSource);
  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = makeLedgerStore(db.dataSource);
    unitOfWork = makeUnitOfWork(db.dataSource);
    await Effect.runPromise(ledger.openAccount({ accountId: 'team', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'team', currency: KES, depositId: 'dep', amountMinor: 5_000n }),
    );
  });
  afterAll(async () => db.drop());

  /** Ends the unit of work's session from another connection, as an operator or a failover would. */
  const terminate = (pid: number) =>
    Effect.promise(async () => {
      await db.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
      // wait until the server has closed the session (the client notices on its own time)
      for (let waited = 0; waited < 5_000; waited += 20) {
        const [row] = (await db.dataSource.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [
          pid,
        ])) as { n: number }[];
        if (row?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    });

  const failureOf = (exit: Exit.Exit<unknown, unknown>): PersistenceFailure => {
    if (Exit.isSuccess(exit)) throw new Error('expected a failure, got a success');
    const failure = Cause.failureOption(exit.cause);
    if (Option.isNone(failure)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`);
    return failure.value as PersistenceFailure;
  };

  const event = (id: string) => ({
    id,
    type: 'topup.created',
    aggregateId: id,
    payload: {},
    occurredAt: new Date('2025-01-01T00:00:00Z'),
  });

  it('after an authorize, the session terminated, then outbox.append: retryable, nothing committed', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'lost-1', amountMinor: 100n });
          const [session] = yield* sql<{ pid: number }>(db.dataSource, 'SELECT pg_backend_pid() AS pid');
          yield* terminate(session?.pid ?? 0);
          yield* outbox().append(event('lost-1'));
        }),
      ),
    );
    const failure = failureOf(exit);
    expect(failure._tag).toBe('PersistenceFailure');
    expect(failure.retryable).toBe(true);
    expect((await Effect.runPromise(ledger.account('team', 'KES'))).holdingMinor).toBe(0n);
    const [held] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_holds WHERE transaction_id = 'lost-1'`,
    )) as { n: number }[];
    expect(held?.n).toBe(0);
    // and the unit of work, retried, goes through
    await Effect.runPromise(
      unitOfWork.transactionally(
        Effect.zipRight(
          ledger.authorize({ accountId: 'team', currency: KES, transactionId: 'lost-1', amountMinor: 100n }),
          outbox().append(event('lost-1')),
        ),
      ),
    );
    expect((await Effect.runPromise(ledger.account('team', 'KES'))).holdingMinor).toBe(100n);
  });

  it('the session terminated during a statement (57P01): retryable', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          const [session] = yield* sql<{ pid: number }>(db.dataSource, 'SELECT pg_backend_pid() AS pid');
          const pid = session?.pid ?? 0;
          yield* Effect.all(
            [sql(db.dataSource, 'SELECT pg_sleep(5)'), Effect.zipRight(Effect.sleep('200 millis'), terminate(pid))],
            { concurrency: 'unbounded' },
          );
        }),
      ),
    );
    const failure = failureOf(exit);
    expect(failure.retryable).toBe(true);
  });

  it('the session terminated, the error caught inside the unit of work: the refused commit is retryable too', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          const [session] = yield* sql<{ pid: number }>(db.dataSource, 'SELECT pg_backend_pid() AS pid');
          yield* terminate(session?.pid ?? 0);
          yield* Effect.either(outbox().append(event('lost-caught')));
          return 'done';
        }),
      ),
    );
    expect(failureOf(exit).retryable).toBe(true);
  });

  it('the session terminated before the commit: retryable', async () => {
    const exit = await Effect.runPromiseExit(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* outbox().append(event('lost-before-commit'));
          const [session] = yield* sql<{ pid: number }>(db.dataSource, 'SELECT pg_backend_pid() AS pid');
          yield* terminate(session?.pid ?? 0);
        }),
      ),
    );
    expect(failureOf(exit).retryable).toBe(true);
    const [stored] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE id = 'lost-before-commit'`,
    )) as { n: number }[];
    expect(stored?.n).toBe(0);
  });
});
