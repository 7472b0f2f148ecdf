// The in-memory callback delivery store leases what it claims, as the PostgreSQL one does.
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { CallbackDelivery, CallbackTry } from '../lib/ports/callback-deliveries.port';
import { makeInMemoryDatabase } from './in-memory-database.fake';
import { makeInMemoryCallbackDeliveryStore } from './in-memory-stores.adapter';

const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const at = (ms: number) => new Date(t0.getTime() + ms);
const MINUTE = 60_000;
const LEASE = 30_000;

const delivery = (id: string, nextAttemptAt = t0): Omit<CallbackDelivery, 'attempts'> => ({
  id,
  eventId: `event-${id}`,
  topUpId: 'topup-1',
  accountId: 'account-1',
  url: 'https://caller.example/hooks/topups',
  body: '{"type":"topup.completed"}',
  nextAttemptAt,
  createdAt: t0,
});
const failedTry = (time: Date): CallbackTry => ({ at: time, durationMs: 3, status: 500, error: 'HTTP 500' });
const okTry = (time: Date): CallbackTry => ({ at: time, durationMs: 3, status: 200 });

const setup = (...deliveries: Omit<CallbackDelivery, 'attempts'>[]) => {
  const database = makeInMemoryDatabase();
  const store = makeInMemoryCallbackDeliveryStore(database);
  for (const stored of deliveries) Effect.runSync(store.enqueue(stored));
  const claim = (now: Date, limit = 100, leaseUntil = new Date(now.getTime() + LEASE)) =>
    Effect.runSync(store.claimDue(now, limit, leaseUntil)).map(({ id }) => id);
  const stored = (id: string) => database.tables().deliveries.get(id);
  return { database, store, claim, stored };
};

const failureOf = <A, E>(effect: Effect.Effect<A, E>): E | undefined => {
  const result = Effect.runSync(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

describe('in-memory callback deliveries', () => {
  it('leases what it claims: returned and stored with the lease end as next try, passed by until it ends', () => {
    const { store, claim, stored } = setup(delivery('d1', t0), delivery('d2', at(1)));
    expect(Effect.runSync(store.claimDue(t0, 1, at(LEASE)))).toEqual([
      { ...delivery('d1'), attempts: 0, nextAttemptAt: at(LEASE) },
    ]);
    expect(stored('d1')).toMatchObject({ state: 'PENDING', delivery: { nextAttemptAt: at(LEASE), attempts: 0 } });
    expect(claim(at(1))).toEqual(['d2']);
    expect(claim(at(LEASE - 1))).toEqual([]);
    // nothing recorded (the dispatcher died): due again when the lease ends, earliest due first
    expect(claim(at(LEASE))).toEqual(['d1']);
    expect(claim(at(LEASE + 1))).toEqual(['d2']);
    expect(stored('d1')?.tries).toEqual([]);
  });

  it('recording a try ends the lease: rescheduled at the time given, or never claimed again once delivered or abandoned', () => {
    const { store, claim, stored } = setup(delivery('retried'), delivery('delivered'), delivery('abandoned'));
    expect(claim(t0)).toEqual(['abandoned', 'delivered', 'retried']);
    Effect.runSync(store.recordTry('retried', failedTry(at(1)), { delivered: false, nextAttemptAt: at(10_000) }));
    Effect.runSync(store.recordTry('delivered', okTry(at(1)), { delivered: true }));
    Effect.runSync(store.recordTry('abandoned', failedTry(at(1)), { delivered: false, nextAttemptAt: undefined }));
    expect(stored('retried')).toMatchObject({ state: 'PENDING', delivery: { nextAttemptAt: at(10_000), attempts: 1 } });
    expect(stored('delivered')).toMatchObject({ state: 'DELIVERED', delivery: { attempts: 1 } });
    expect(stored('abandoned')).toMatchObject({ state: 'ABANDONED', delivery: { attempts: 1 } });
    // before the old lease's end
    expect(claim(at(10_000))).toEqual(['retried']);
    expect(claim(at(10 * MINUTE))).toEqual(['retried']);
  });

  it('a try recorded for a delivery already delivered is kept, and the delivery stays delivered', () => {
    const { store, claim, stored } = setup(delivery('d1'));
    claim(t0);
    Effect.runSync(store.recordTry('d1', okTry(at(1)), { delivered: true }));
    Effect.runSync(store.recordTry('d1', failedTry(at(2)), { delivered: false, nextAttemptAt: at(MINUTE) }));
    expect(stored('d1')).toMatchObject({ state: 'DELIVERED', delivery: { attempts: 2 } });
    expect(stored('d1')?.tries).toHaveLength(2);
    expect(claim(at(2 * MINUTE))).toEqual([]);
  });

  it('claims the earliest due first, then by id, up to the limit', () => {
    const { claim } = setup(
      delivery('late', at(2 * MINUTE)),
      delivery('b', at(MINUTE)),
      delivery('a', at(MINUTE)),
      delivery('first', t0),
    );
    expect(claim(at(MINUTE), 2)).toEqual(['first', 'a']);
    expect(claim(at(MINUTE))).toEqual(['b']);
    // the three leases ended at MINUTE + LEASE: due before 'late', then by id
    expect(claim(at(2 * MINUTE))).toEqual(['a', 'b', 'first', 'late']);
  });

  it('a claim in a unit of work that rolls back leases nothing', () => {
    const { database, store, claim, stored } = setup(delivery('d1'));
    const failure = failureOf(
      database.unitOfWork.transactionally(
        Effect.zipRight(store.claimDue(t0, 10, at(LEASE)), Effect.fail('the dispatcher failed' as const)),
      ),
    );
    expect(failure).toBe('the dispatcher failed');
    expect(stored('d1')?.delivery.nextAttemptAt).toEqual(t0);
    expect(claim(t0)).toEqual(['d1']);
  });

  it('refuses a bad limit or a lease not after now, leasing nothing', () => {
    const { store, claim } = setup(delivery('d1'));
    for (const limit of [0, 1001, 1.5]) {
      expect(failureOf(store.claimDue(t0, limit, at(LEASE)))).toEqual(
        new PersistenceFailure({
          reason: `callback batch limit must be an integer from 1 to 1000, got ${limit}`,
          retryable: false,
        }),
      );
    }
    for (const leaseUntil of [t0, at(-1), new Date(Number.NaN)]) {
      expect(failureOf(store.claimDue(t0, 10, leaseUntil))).toMatchObject({
        _tag: 'PersistenceFailure',
        retryable: false,
      });
    }
    expect(failureOf(store.claimDue(t0, 10, t0))).toMatchObject({
      reason: expect.stringMatching(/^the lease of claimed deliveries must end after now/),
    });
    expect(claim(t0)).toEqual(['d1']);
  });
});
