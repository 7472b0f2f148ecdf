// An in-memory outbox for the relay specs, with the claim semantics of the
// real one (FOR UPDATE SKIP LOCKED, in append order): a claim locks the first
// unsent events no other transaction holds, until its transaction ends, and
// leaves out those with an earlier unsent event of their aggregate held by
// another transaction; marks apply at commit.
// An update of a row another transaction holds waits for that transaction to
// end, as in PostgreSQL. It records what a correct relay never does (a mark
// without the lock).
import type { PersistenceFailure } from '@airtime/domain';
import { Effect, Layer } from 'effect';
import { OutboxFeed, type OutboxFeedService, type PendingEvent } from '../lib/ports/outbox-feed.port';
import type { RelayUnitOfWork } from './relay-unit-of-work.fake';

/** One event as the fake outbox holds it. */
export interface RelayOutboxRecord {
  readonly event: PendingEvent;
  readonly sentAt: Date | undefined;
  /** Committed markSent calls naming this event (a correct relay makes exactly one). */
  readonly sentMarks: number;
  readonly publishAttempts: number;
  /** The transaction holding its lock, if any. */
  readonly lockedBy: number | undefined;
}

export interface RelayOutboxFeed {
  readonly service: OutboxFeedService;
  readonly layer: Layer.Layer<OutboxFeed>;
  /** Adds unsent events, in this order after those already appended (as the use cases' unit of work would). */
  readonly append: (events: readonly Omit<PendingEvent, 'publishAttempts'>[]) => void;
  readonly records: () => readonly RelayOutboxRecord[];
  /** What a correct relay never does, described. */
  readonly violations: () => readonly string[];
}

export interface RelayOutboxFeedOptions {
  /** Awaited at the start of each call (e.g. a `fc.scheduler()` task), to interleave concurrent relays. */
  readonly pause?: ((step: 'claim' | 'mark' | 'record-failure') => Promise<void>) | undefined;
}

interface MutableRecord {
  /** Append order (the outbox's sequence). */
  readonly sequence: number;
  event: PendingEvent;
  sentAt: Date | undefined;
  sentMarks: number;
  publishAttempts: number;
  lockedBy: number | undefined;
}

const inAppendOrder = (a: MutableRecord, b: MutableRecord): number => a.sequence - b.sequence;

export const makeRelayOutboxFeed = (
  unitOfWork: RelayUnitOfWork,
  options: RelayOutboxFeedOptions = {},
): RelayOutboxFeed => {
  const store = new Map<string, MutableRecord>();
  let appended = 0;
  const violations: string[] = [];
  const lockWaiters = new Set<() => void>();
  const release = (records: readonly MutableRecord[], transactionId: number): void => {
    for (const record of records) if (record.lockedBy === transactionId) record.lockedBy = undefined;
    for (const wake of [...lockWaiters]) wake();
  };
  /** Waits until no transaction but `transactionId` holds a lock on one of `ids`. */
  const waitForLocks = (ids: readonly string[], transactionId: number): Effect.Effect<void> =>
    Effect.async<void>((resume) => {
      const check = (): void => {
        const held = ids.some((id) => {
          const holder = store.get(id)?.lockedBy;
          return holder !== undefined && holder !== transactionId;
        });
        if (held) return;
        lockWaiters.delete(check);
        resume(Effect.void);
      };
      lockWaiters.add(check);
      check();
      return Effect.sync(() => lockWaiters.delete(check));
    });
  const hook = options.pause;
  const pause = (step: 'claim' | 'mark' | 'record-failure'): Effect.Effect<void> =>
    hook === undefined ? Effect.void : Effect.promise(() => hook(step));

  const service: OutboxFeedService = {
    claimBatch: (limit) =>
      Effect.gen(function* () {
        yield* pause('claim');
        const transaction = yield* unitOfWork.requireTransaction('claimBatch');
        const unsent = [...store.values()].filter((record) => record.sentAt === undefined).sort(inAppendOrder);
        const claimed = unsent
          .filter((record) => record.lockedBy === undefined || record.lockedBy === transaction.id)
          .slice(0, limit);
        for (const record of claimed) record.lockedBy = transaction.id;
        transaction.onEnd(() => release(claimed, transaction.id));
        // locked but left out while an earlier event of its aggregate is another's
        const offered = claimed.filter(
          (record) =>
            !unsent.some(
              (earlier) =>
                earlier.sequence < record.sequence &&
                earlier.event.aggregateId === record.event.aggregateId &&
                !claimed.includes(earlier),
            ),
        );
        return offered.map((record) => ({ ...record.event, publishAttempts: record.publishAttempts }));
      }),
    markSent: (ids, now) =>
      Effect.gen(function* () {
        yield* pause('mark');
        const transaction = yield* unitOfWork.requireTransaction('markSent');
        for (const id of ids) {
          const record = store.get(id);
          if (record?.lockedBy !== transaction.id) {
            violations.push(`markSent of ${id} by transaction ${transaction.id}, which does not hold its lock`);
          }
        }
        transaction.onCommit(() => {
          for (const id of ids) {
            const record = store.get(id);
            if (record === undefined) continue;
            record.sentMarks += 1;
            record.sentAt ??= now;
          }
        });
      }),
    recordPublishFailure: (ids): Effect.Effect<void, PersistenceFailure> =>
      Effect.gen(function* () {
        yield* pause('record-failure');
        const transaction = yield* unitOfWork.requireTransaction('recordPublishFailure');
        // the UPDATE waits for a relay that claimed them meanwhile (and then skips those it marked sent)
        yield* waitForLocks(ids, transaction.id);
        transaction.onCommit(() => {
          for (const id of ids) {
            const record = store.get(id);
            if (record !== undefined && record.sentAt === undefined) record.publishAttempts += 1;
          }
        });
      }),
  };

  return {
    service,
    layer: Layer.succeed(OutboxFeed, service),
    append: (events) => {
      for (const event of events) {
        if (store.has(event.id)) continue; // the first one stands, as in the outbox
        appended += 1;
        store.set(event.id, {
          sequence: appended,
          event: { ...event, publishAttempts: 0 },
          sentAt: undefined,
          sentMarks: 0,
          publishAttempts: 0,
          lockedBy: undefined,
        });
      }
    },
    records: () =>
      [...store.values()].sort(inAppendOrder).map(({ event, sentAt, sentMarks, publishAttempts, lockedBy }) => ({
        event,
        sentAt,
        sentMarks,
        publishAttempts,
        lockedBy,
      })),
    violations: () => [...violations],
  };
};
