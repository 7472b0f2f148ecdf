import { Inbox } from '@airtime/application';
import { Deferred, Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeOutbox } from '../outbox/outbox.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { inboxLayer, makeProcessedMessages } from './processed-messages.adapter';

describe('processed messages (inbox) on PostgreSQL', () => {
  let db: TestDatabase;
  const inbox = () => makeProcessedMessages(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  /** A consumer: claims the message, then (first time only) records its effect, an outbox event; may fail after. */
  const consume = (messageId: string, failAfterEffect: boolean) =>
    unitOfWork().transactionally(
      Effect.gen(function* () {
        const first = yield* inbox().claim('topup-commands', messageId);
        if (!first) return 'duplicate' as const;
        yield* makeOutbox(db.dataSource).append({
          id: `effect-of-${messageId}`,
          type: 'topup.sent',
          aggregateId: messageId,
          payload: {},
          occurredAt: new Date(0),
        });
        if (failAfterEffect) yield* Effect.fail('provider down' as const);
        return 'processed' as const;
      }),
    );
  /** Polls the server until a session of this database waits for a lock (the concurrent claim), or fails after 30 s. */
  const waitForLockWaiter = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = (await db.dataSource.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as { waiting: number }[];
      if ((row?.waiting ?? 0) > 0) return;
      if (Date.now() > deadline) throw new Error('no session waited for the first claim within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const effects = async (messageId: string) =>
    ((await db.dataSource.query(`SELECT id FROM outbox WHERE aggregate_id = $1`, [messageId])) as unknown[]).length;

  it('leaves no claim when the unit of work fails, so the redelivery is processed', async () => {
    expect(await Effect.runPromise(Effect.either(consume('m1', true)))).toEqual(Either.left('provider down'));
    expect(await effects('m1')).toBe(0);
    expect(await Effect.runPromise(consume('m1', false))).toBe('processed');
    expect(await effects('m1')).toBe(1);
  });

  it('answers false for a message claimed and committed before: no second effect', async () => {
    expect(await Effect.runPromise(consume('m2', false))).toBe('processed');
    expect(await Effect.runPromise(consume('m2', false))).toBe('duplicate');
    expect(await effects('m2')).toBe(1);
    // the same message id for another consumer is its own claim
    expect(await Effect.runPromise(unitOfWork().transactionally(inbox().claim('reconciler', 'm2')))).toBe(true);
  });

  it('makes a concurrent redelivery wait for the first claim, then answer false', async () => {
    const claimed = Effect.runSync(Deferred.make<void>());
    const commit = Effect.runSync(Deferred.make<void>());
    const first = Effect.runPromise(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          const result = yield* inbox().claim('topup-commands', 'm3');
          yield* Deferred.succeed(claimed, undefined);
          yield* Deferred.await(commit);
          return result;
        }),
      ),
    );
    await Effect.runPromise(Deferred.await(claimed));
    const second = Effect.runPromise(unitOfWork().transactionally(inbox().claim('topup-commands', 'm3')));
    // the first commits only once the second is seen waiting in the server for the first's lock on the claim
    await waitForLockWaiter();
    await Effect.runPromise(Deferred.succeed(commit, undefined));
    expect(await Promise.all([first, second])).toEqual([true, false]);
  });

  it('refuses to claim outside a unit of work', async () => {
    const result = await Effect.runPromise(Effect.either(inbox().claim('topup-commands', 'm4')));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    expect(await Effect.runPromise(unitOfWork().transactionally(inbox().claim('topup-commands', 'm4')))).toBe(true);
  });

  it("is the application's Inbox through inboxLayer", async () => {
    const claimTwice = Effect.flatMap(Inbox, (inbox) =>
      Effect.zip(
        unitOfWork().transactionally(inbox.claim('topup-commands', 'm5')),
        unitOfWork().transactionally(inbox.claim('topup-commands', 'm5')),
      ),
    );
    expect(await Effect.runPromise(Effect.provide(claimTwice, inboxLayer(db.dataSource)))).toEqual([true, false]);
  });
});
