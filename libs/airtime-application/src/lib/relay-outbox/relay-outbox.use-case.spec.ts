import { isRetryable, PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import fc from 'fast-check';
import {
  makeRelayClock,
  makeRelayEventPublisher,
  makeRelayOutboxFeed,
  makeRelayUnitOfWork,
  type RelayEventPublisher,
  type RelayOutboxFeed,
} from '../../testing';
import { EventPublisher } from '../ports/event-publisher.port';
import { OutboxFeed, type PendingEvent } from '../ports/outbox-feed.port';
import { relayOutbox } from './relay-outbox.use-case';

const start = new Date('2026-12-01T10:00:00Z');

const eventsOf = (count: number): Omit<PendingEvent, 'publishAttempts'>[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `evt-${String(i).padStart(3, '0')}`,
    type: i % 2 === 0 ? 'topup.created' : 'topup.completed',
    aggregateId: `topup-${i}`,
    payload: { topUpId: `topup-${i}`, status: 'CREATED' },
    occurredAt: new Date(start.getTime() + i * 1_000),
  }));

interface Setup {
  readonly unitOfWork: ReturnType<typeof makeRelayUnitOfWork>;
  readonly feed: RelayOutboxFeed;
  readonly publisher: RelayEventPublisher;
  readonly clock: ReturnType<typeof makeRelayClock>;
  readonly run: (
    batchSize: number,
    overrides?: { feed?: Partial<OutboxFeed['Type']>; publisher?: Partial<EventPublisher['Type']> },
  ) => Promise<Either.Either<number, unknown>>;
}

const setup = (count: number, options: { failOnCall?: (call: number) => boolean } = {}): Setup => {
  const unitOfWork = makeRelayUnitOfWork();
  const feed = makeRelayOutboxFeed(unitOfWork);
  feed.append(eventsOf(count));
  const publisher = makeRelayEventPublisher({ failOnCall: options.failOnCall });
  const clock = makeRelayClock(new Date('2026-12-01T11:00:00Z'));
  return {
    unitOfWork,
    feed,
    publisher,
    clock,
    run: (batchSize, overrides = {}) =>
      Effect.runPromise(
        Effect.either(
          relayOutbox({ batchSize }).pipe(
            Effect.provide(
              Layer.mergeAll(
                unitOfWork.layer,
                clock.layer,
                Layer.succeed(OutboxFeed, { ...feed.service, ...overrides.feed }),
                Layer.succeed(EventPublisher, { ...publisher.service, ...overrides.publisher }),
              ),
            ),
          ),
        ),
      ),
  };
};

describe('relayOutbox', () => {
  it('publishes nothing and answers 0 when no event waits', async () => {
    const { run, publisher, unitOfWork } = setup(0);
    expect(await run(10)).toEqual(Either.right(0));
    expect(publisher.calls()).toBe(0);
    expect(unitOfWork.stats()).toEqual({ commits: 1, rollbacks: 0, open: 0 });
  });

  it('publishes the oldest events of a batch, then marks them sent at the clock time; the next run takes the rest', async () => {
    const { run, feed, publisher, clock } = setup(5);
    expect(await run(3)).toEqual(Either.right(3));
    expect(publisher.confirmed()).toEqual(['evt-000', 'evt-001', 'evt-002']);
    expect(feed.records().map((r) => r.sentAt?.toISOString())).toEqual([
      ...Array(3).fill('2026-12-01T11:00:00.000Z'),
      undefined,
      undefined,
    ]);
    clock.advance(60_000);
    expect(await run(3)).toEqual(Either.right(2));
    expect(publisher.confirmed()).toHaveLength(5);
    expect(feed.records().at(-1)?.sentAt?.toISOString()).toBe('2026-12-01T11:01:00.000Z');
    expect(await run(3)).toEqual(Either.right(0));
    expect(feed.violations()).toEqual([]);
  });

  it('publishes the events of one change in the order they were appended, whatever their time and ids', async () => {
    const { run, feed, publisher } = setup(0);
    const at = new Date('2026-12-01T10:00:00Z');
    feed.append([
      { id: 'ffff', type: 'topup.created', aggregateId: 'topup-1', payload: {}, occurredAt: at },
      { id: '0000', type: 'topup.failed', aggregateId: 'topup-1', payload: {}, occurredAt: at },
      { id: '8888', type: 'topup.created', aggregateId: 'topup-2', payload: {}, occurredAt: new Date(0) },
    ]);
    expect(await run(10)).toEqual(Either.right(3));
    expect(publisher.confirmed()).toEqual(['ffff', '0000', '8888']);
  });

  it('claims, publishes and marks in one unit of work, marking only after the confirm', async () => {
    const { run, feed, publisher, unitOfWork } = setup(2);
    const steps: string[] = [];
    const result = await run(10, {
      feed: {
        claimBatch: (limit) => Effect.tap(feed.service.claimBatch(limit), () => Effect.sync(() => steps.push('claim'))),
        markSent: (ids, now) =>
          Effect.zipRight(
            Effect.sync(() => steps.push('mark')),
            feed.service.markSent(ids, now),
          ),
      },
      publisher: {
        publish: (events) =>
          Effect.tap(publisher.service.publish(events), () => Effect.sync(() => steps.push('confirmed'))),
      },
    });
    expect(result).toEqual(Either.right(2));
    expect(steps).toEqual(['claim', 'confirmed', 'mark']);
    expect(unitOfWork.stats()).toEqual({ commits: 1, rollbacks: 0, open: 0 });
  });

  it('on a failed publish marks nothing, counts the failure on each event in a unit of work of its own, and fails retryable', async () => {
    const { run, feed, publisher, unitOfWork } = setup(4, { failOnCall: (call) => call === 1 });
    const result = await run(3);
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'EventPublishFailed', retryable: true });
    expect(Either.isLeft(result) && isRetryable(result.left)).toBe(true);
    expect(feed.records().map((r) => [r.event.id, r.sentAt, r.publishAttempts, r.lockedBy])).toEqual([
      ['evt-000', undefined, 1, undefined],
      ['evt-001', undefined, 1, undefined],
      ['evt-002', undefined, 1, undefined],
      ['evt-003', undefined, 0, undefined],
    ]);
    // the claim's unit of work ended before the failure was recorded in a second one
    expect(unitOfWork.stats()).toEqual({ commits: 2, rollbacks: 0, open: 0 });
    expect(feed.violations()).toEqual([]);

    // the broker is back: none lost, the failed ones go out first with their count
    expect(await run(10)).toEqual(Either.right(4));
    expect(publisher.confirmed()).toEqual(['evt-000', 'evt-001', 'evt-002', 'evt-003']);
    expect(feed.records().every((r) => r.sentMarks === 1)).toBe(true);
  });

  it('keeps the publish failure as the answer when counting it fails too', async () => {
    const { run, feed } = setup(2, { failOnCall: () => true });
    const result = await run(10, {
      feed: {
        recordPublishFailure: () => Effect.fail(new PersistenceFailure({ reason: 'connection lost', retryable: true })),
      },
    });
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'EventPublishFailed' });
    expect(feed.records().map((r) => r.publishAttempts)).toEqual([0, 0]);
  });

  it('leaves confirmed events unsent when marking them fails, so they are published again (at least once)', async () => {
    const { run, feed, publisher } = setup(2);
    const failed = await run(10, {
      feed: { markSent: () => Effect.fail(new PersistenceFailure({ reason: 'connection lost', retryable: true })) },
    });
    expect(Either.isLeft(failed) && failed.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: true });
    expect(feed.records().map((r) => r.sentAt)).toEqual([undefined, undefined]);
    expect(await run(10)).toEqual(Either.right(2));
    expect(publisher.confirmed()).toEqual(['evt-000', 'evt-001', 'evt-000', 'evt-001']);
    expect(feed.records().map((r) => r.sentMarks)).toEqual([1, 1]);
  });

  it('two relays at once: every event published at least once and marked sent once, none lost when the publisher fails midway', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        async (s, count, batchSize, failingCall) => {
          const unitOfWork = makeRelayUnitOfWork();
          const feed = makeRelayOutboxFeed(unitOfWork, { pause: (step) => s.schedule(Promise.resolve(), step) });
          feed.append(eventsOf(count));
          const publisher = makeRelayEventPublisher({
            failOnCall: (call) => call === failingCall,
            pause: (batch) => s.schedule(Promise.resolve(), `publish ${batch.map((e) => e.id).join(',')}`),
          });
          const layer = Layer.mergeAll(unitOfWork.layer, feed.layer, publisher.layer, makeRelayClock().layer);
          const run = () => Effect.runPromise(Effect.either(relayOutbox({ batchSize }).pipe(Effect.provide(layer))));
          // each relay runs until it finds nothing to do or its publish fails
          const relay = async (): Promise<void> => {
            for (;;) {
              const result = await run();
              if (Either.isLeft(result) || result.right === 0) return;
            }
          };
          await s.waitFor(Promise.all([relay(), relay()]));
          // a later run (the scheduler's next tick) finishes what a failure left
          await s.waitFor(relay());

          expect(feed.violations()).toEqual([]);
          expect(unitOfWork.stats().open).toBe(0);
          const records = feed.records();
          expect(records.map((r) => r.sentMarks)).toEqual(records.map(() => 1));
          const confirmed = publisher.confirmed();
          expect([...confirmed].sort()).toEqual(records.map((r) => r.event.id));
          const routed = new Set(publisher.routed().map((e) => e.id));
          expect(records.every((r) => routed.has(r.event.id))).toBe(true);
          // a failure is counted at most once per failed publish (one publish fails)
          expect(records.every((r) => r.publishAttempts <= 1)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('two relays at once confirm the events of each top-up in the order they were appended, a failed publish midway or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        async (s, owners, batchSize, failingCall) => {
          const unitOfWork = makeRelayUnitOfWork();
          const feed = makeRelayOutboxFeed(unitOfWork, { pause: (step) => s.schedule(Promise.resolve(), step) });
          // the same time for all, ids against the append order
          feed.append(
            owners.map((owner, i) => ({
              id: `evt-${String(99 - i).padStart(2, '0')}`,
              type: 'topup.created',
              aggregateId: `topup-${owner}`,
              payload: {},
              occurredAt: start,
            })),
          );
          const publisher = makeRelayEventPublisher({
            failOnCall: (call) => call === failingCall,
            pause: (batch) => s.schedule(Promise.resolve(), `publish ${batch.map((e) => e.id).join(',')}`),
          });
          const layer = Layer.mergeAll(unitOfWork.layer, feed.layer, publisher.layer, makeRelayClock().layer);
          const run = () => Effect.runPromise(Effect.either(relayOutbox({ batchSize }).pipe(Effect.provide(layer))));
          const relay = async (): Promise<void> => {
            for (;;) {
              const result = await run();
              if (Either.isLeft(result) || result.right === 0) return;
            }
          };
          await s.waitFor(Promise.all([relay(), relay()]));
          // later runs (the scheduler's next ticks) finish what a failure or a held top-up left
          for (let tick = 0; tick < owners.length + 1; tick += 1) await s.waitFor(relay());

          const records = feed.records();
          expect(records.every((r) => r.sentAt !== undefined)).toBe(true);
          const confirmed = publisher.confirmed();
          for (const owner of [0, 1, 2]) {
            const appended = records.filter((r) => r.event.aggregateId === `topup-${owner}`).map((r) => r.event.id);
            expect(confirmed.filter((id) => appended.includes(id))).toEqual(appended);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
