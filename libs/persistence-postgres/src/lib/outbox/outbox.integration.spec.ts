import { OutboxFeed } from '@airtime/application';
import { type OutboxEvent } from '@airtime/domain';
import { Deferred, Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeOutbox } from './outbox.adapter';
import { makeOutboxRelayStore, type OutboxMessage, outboxFeedLayer } from './outbox-relay.adapter';

const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const event = (
  id: string,
  occurredAtMs: number,
  payload: OutboxEvent['payload'] = { topUpId: id, amountMinor: '200' },
  aggregateId = `agg-${id}`,
): OutboxEvent => ({
  id,
  type: 'topup.completed',
  aggregateId,
  payload,
  occurredAt: new Date(t0.getTime() + occurredAtMs),
});
const ids = (messages: readonly OutboxMessage[]) => messages.map(({ id }) => id);

describe('outbox on PostgreSQL', () => {
  let db: TestDatabase;
  const outbox = () => makeOutbox(db.dataSource);
  const relay = () => makeOutboxRelayStore(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const reset = () => db.dataSource.query(`DELETE FROM outbox`);
  const unsent = async () =>
    (
      (await db.dataSource.query(`SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY sequence`)) as {
        id: string;
      }[]
    ).map(({ id }) => id);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(reset);

  it('appends an event once however often it is appended, the first one standing', async () => {
    await Effect.runPromise(outbox().append(event('e1', 0)));
    await Effect.runPromise(outbox().append(event('e1', 5, { other: 'payload' })));
    const claimed = await Effect.runPromise(unitOfWork().transactionally(relay().claimBatch(10)));
    expect(claimed).toEqual([
      {
        id: 'e1',
        type: 'topup.completed',
        aggregateId: 'agg-e1',
        payload: { topUpId: 'e1', amountMinor: '200' },
        occurredAt: t0,
        publishAttempts: 0,
      },
    ]);
  });

  it('refuses a payload that is not JSON-safe, storing nothing', async () => {
    const result = await Effect.runPromise(Effect.either(outbox().append(event('e2', 0, { amountMinor: 200n }))));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: 'outbox event e2 (topup.completed): payload.amountMinor is a bigint (use a decimal string), not JSON',
    });
    expect(await unsent()).toEqual([]);
  });

  it('claims unsent events in the order they were appended; sent ones are not offered again; failures are counted', async () => {
    for (const [index, id] of ['d', 'a', 'b', 'c'].entries())
      await Effect.runPromise(outbox().append(event(id, index === 0 ? 10 : 0)));
    const first = await Effect.runPromise(
      unitOfWork().transactionally(
        Effect.tap(relay().claimBatch(3), (claimed) =>
          relay().markSent(
            claimed.slice(0, 2).map(({ id }) => id),
            t0,
          ),
        ),
      ),
    );
    expect(ids(first)).toEqual(['d', 'a', 'b']);
    await Effect.runPromise(unitOfWork().transactionally(relay().recordPublishFailure(['b', 'd'])));
    const second = await Effect.runPromise(unitOfWork().transactionally(relay().claimBatch(10)));
    expect(second.map(({ id, publishAttempts }) => [id, publishAttempts])).toEqual([
      ['b', 1],
      ['c', 0],
    ]);
  });

  it('gives the events of one unit of work in the order they were appended, whatever their time and ids', async () => {
    // one change: equal occurredAt, the later event with the smaller id
    await Effect.runPromise(
      unitOfWork().transactionally(
        Effect.all([
          outbox().append({ ...event('ffff-created', 0, {}, 'topup-1'), type: 'topup.created' }),
          outbox().append({ ...event('0000-failed', 0, {}, 'topup-1'), type: 'topup.failed' }),
        ]),
      ),
    );
    // a later change stamped earlier (a clock that stepped back)
    await Effect.runPromise(outbox().append(event('8888-later', -60_000, {}, 'topup-2')));
    const claimed = await Effect.runPromise(unitOfWork().transactionally(relay().claimBatch(10)));
    expect(claimed.map(({ id, type }) => [id, type])).toEqual([
      ['ffff-created', 'topup.created'],
      ['0000-failed', 'topup.failed'],
      ['8888-later', 'topup.completed'],
    ]);
  });

  it('leaves out an event while an earlier event of its top-up is held by another relay, and offers it after', async () => {
    await Effect.runPromise(outbox().append(event('a1', 0, {}, 'topup-a')));
    await Effect.runPromise(outbox().append(event('b1', 0, {}, 'topup-b')));
    await Effect.runPromise(outbox().append(event('a2', 0, {}, 'topup-a')));
    await Effect.runPromise(outbox().append(event('c1', 0, {}, 'topup-c')));
    const firstClaimed = Effect.runSync(Deferred.make<readonly OutboxMessage[]>());
    const release = Effect.runSync(Deferred.make<void>());
    const relay1 = Effect.runPromise(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          const claimed = yield* relay().claimBatch(1);
          yield* Deferred.succeed(firstClaimed, claimed);
          yield* Deferred.await(release);
          yield* relay().markSent(ids(claimed), t0);
        }),
      ),
    );
    expect(ids(await Effect.runPromise(Deferred.await(firstClaimed)))).toEqual(['a1']);
    // relay 2 locks b1, a2 and c1, but a2 must wait for a1
    const claimedBy2 = await Effect.runPromise(
      unitOfWork().transactionally(Effect.tap(relay().claimBatch(10), (claimed) => relay().markSent(ids(claimed), t0))),
    );
    expect(ids(claimedBy2)).toEqual(['b1', 'c1']);
    await Effect.runPromise(Deferred.succeed(release, undefined));
    await relay1;
    expect(ids(await Effect.runPromise(unitOfWork().transactionally(relay().claimBatch(10))))).toEqual(['a2']);
  });

  it('refuses to claim outside a unit of work (the locks would end at once)', async () => {
    const result = await Effect.runPromise(Effect.either(relay().claimBatch(10)));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(/inside a unit of work/),
    });
  });

  it('never lets two relays claim the same event; a rolled-back claim offers the events again', async () => {
    for (let index = 0; index < 10; index += 1) await Effect.runPromise(outbox().append(event(`m${index}`, index)));
    const firstClaimed = Effect.runSync(Deferred.make<readonly OutboxMessage[]>());
    const publishFailed = Effect.runSync(Deferred.make<void>());
    // relay 1 claims and holds its locks until told its publish failed, then rolls back
    const relay1 = Effect.runPromise(
      Effect.either(
        unitOfWork().transactionally(
          Effect.gen(function* () {
            const claimed = yield* relay().claimBatch(4);
            yield* Deferred.succeed(firstClaimed, claimed);
            yield* Deferred.await(publishFailed);
            return yield* Effect.fail('broker unreachable' as const);
          }),
        ),
      ),
    );
    const claimedBy1 = await Effect.runPromise(Deferred.await(firstClaimed));
    const claimedBy2 = await Effect.runPromise(
      unitOfWork().transactionally(Effect.tap(relay().claimBatch(4), (claimed) => relay().markSent(ids(claimed), t0))),
    );
    expect(ids(claimedBy1)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(ids(claimedBy2)).toEqual(['m4', 'm5', 'm6', 'm7']);

    await Effect.runPromise(Deferred.succeed(publishFailed, undefined));
    expect(await relay1).toEqual(Either.left('broker unreachable'));
    const again = await Effect.runPromise(unitOfWork().transactionally(relay().claimBatch(10)));
    expect(ids(again)).toEqual(['m0', 'm1', 'm2', 'm3', 'm8', 'm9']);
  });

  it('publishes every event exactly once with four relays racing, the events of each top-up in order', async () => {
    const count = 200;
    const name = (index: number) => `r${String(index).padStart(3, '0')}`;
    for (let index = 0; index < count; index += 1)
      await Effect.runPromise(outbox().append(event(name(index), index % 7, {}, `topup-${index % 10}`)));
    const published: string[] = [];
    const runRelay = async () => {
      for (;;) {
        const batch = await Effect.runPromise(
          unitOfWork().transactionally(
            Effect.gen(function* () {
              const claimed = yield* relay().claimBatch(7);
              yield* Effect.sleep(1);
              published.push(...ids(claimed));
              yield* relay().markSent(ids(claimed), t0);
              return claimed;
            }),
          ),
        );
        // an empty claim is not the end while other relays hold events: the rows this one locked but left out
        // (an earlier event of their top-up held by another relay) stay locked until its unit of work ends, so
        // two relays can each find nothing at once (before: both stopped, events unsent, under load)
        if (batch.length === 0 && (await unsent()).length === 0) return;
      }
    };
    await Promise.all([runRelay(), runRelay(), runRelay(), runRelay()]);
    expect(published).toHaveLength(count);
    expect(new Set(published).size).toBe(count);
    expect(await unsent()).toEqual([]);
    for (let topUp = 0; topUp < 10; topUp += 1) {
      const appended = Array.from({ length: count / 10 }, (_, n) => name(topUp + 10 * n));
      expect(published.filter((id) => appended.includes(id))).toEqual(appended);
    }
  });

  it("is the application's OutboxFeed through outboxFeedLayer", async () => {
    await Effect.runPromise(outbox().append(event('f1', 0)));
    const claimed = await Effect.runPromise(
      Effect.provide(
        unitOfWork().transactionally(
          Effect.flatMap(OutboxFeed, (feed) =>
            Effect.tap(feed.claimBatch(10), (events) => feed.markSent(ids(events), t0)),
          ),
        ),
        outboxFeedLayer(db.dataSource),
      ),
    );
    expect(ids(claimed)).toEqual(['f1']);
    expect(await unsent()).toEqual([]);
  });
});
