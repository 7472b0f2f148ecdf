import { currencyOf, type LedgerStoreService, type UnitOfWorkService } from '@airtime/domain';
import { Data, Effect, Either, Exit } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeLedgerStore } from '../ledger/ledger-store.adapter';
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
