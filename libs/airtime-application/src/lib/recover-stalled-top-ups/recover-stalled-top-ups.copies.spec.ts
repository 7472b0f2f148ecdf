// The retry and stalled-top-up loops work from the copies their query read
// (dueForRetry, staleNonFinal answer { topUp, version }). Here another worker
// moves the top-up on between the query and the loop's use of its copy: the
// loop must never send a second time, never resend without a status query,
// and never lose the other worker's change.
import { TopUpRepository, type TopUpRepositoryService } from '@airtime/domain';
import { Effect } from 'effect';
import { fundAccount, inMemoryLayers, type InMemoryWorld, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { retryDueTopUps } from '../retry-due-top-ups/retry-due-top-ups.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { recoverStalledTopUps } from './recover-stalled-top-ups.use-case';

const MINUTE = 60_000;

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 100_000n));
  const created = await world.run(requestTopUp(sampleRequestInput({ external_id: 'order-1' })));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  return { world, id: created.topUp.id };
};

const calls = (world: InMemoryWorld, operation: string) =>
  world.provider.calls().filter((call) => call.operation === operation);

/** The world's repository, whose loop queries run `meanwhile` after reading (another worker, between read and use). */
const withInterference = <A, E, R>(
  world: InMemoryWorld,
  effect: Effect.Effect<A, E, R>,
  meanwhile: () => Promise<unknown>,
): Effect.Effect<A, E, R | TopUpRepository> =>
  Effect.flatMap(TopUpRepository, (repository) => {
    const wrapped: TopUpRepositoryService = {
      ...repository,
      dueForRetry: (now, limit) => Effect.tap(repository.dueForRetry(now, limit), () => Effect.promise(meanwhile)),
      staleNonFinal: (olderThan, limit) =>
        Effect.tap(repository.staleNonFinal(olderThan, limit), () => Effect.promise(meanwhile)),
    };
    return Effect.provideService(effect, TopUpRepository, wrapped);
  });

describe('the loops work from stale copies', () => {
  it('recoverStalledTopUps: a copy without an attempt, sent meanwhile by another worker (answer unknown): no second send', async () => {
    const { world, id } = await setUp();
    world.clock.advance(2 * MINUTE);
    world.provider.scriptSends({ _tag: 'TimeoutAfterArrival' });
    const moved = await world.run(
      withInterference(world, recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }), () =>
        world.run(sendAttempt(id)),
      ),
    );
    expect(moved).toBe(0);
    expect(calls(world, 'send')).toHaveLength(1);
    const stored = world.database.tables().topUps.get(id)?.topUp;
    // the other worker's attempt is kept, unsettled, for a status query
    expect(stored?.attempts).toHaveLength(1);
    expect(stored?.attempts[0]?.state).not.toBe('Succeeded');
    // the next run asks before anything else, and sends nothing new
    world.clock.advance(2 * MINUTE);
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(1);
    expect(calls(world, 'send')).toHaveLength(1);
    expect(calls(world, 'statusByExternalId')).toHaveLength(1);
    expect(world.database.tables().topUps.get(id)?.topUp.status.class).toBe('COMPLETED');
  });

  it('recoverStalledTopUps: a copy with an attempt unknown, settled meanwhile by the status query of another worker: no resend, the completion kept once', async () => {
    const { world, id } = await setUp();
    world.provider.scriptSends({ _tag: 'TimeoutAfterArrival' });
    await world.run(sendAttempt(id));
    world.clock.advance(2 * MINUTE);
    // meanwhile: another worker's run settles attempt 1 by its status query (it arrived: COMPLETED); this run's
    // copy still shows attempt 1 unknown
    const moved = await world.run(
      withInterference(world, recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }), () =>
        world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 })),
      ),
    );
    expect(moved).toBe(0);
    expect(calls(world, 'send')).toHaveLength(1);
    expect(world.database.tables().topUps.get(id)?.topUp).toMatchObject({
      status: { class: 'COMPLETED' },
      attempts: [{ state: 'Succeeded' }],
    });
    // the stale copy was asked about again (harmless), never resent
    expect(calls(world, 'statusByExternalId')).toHaveLength(2);
    expect(world.database.tables().ledger.holds.get(id)?.settlement?.kind).toBe('CAPTURE');
    expect(world.database.tables().outbox.filter((record) => record.event.type === 'topup.completed')).toHaveLength(1);
  });

  it('retryDueTopUps: a due copy, retried meanwhile by another scheduler (answer unknown): no second send', async () => {
    const { world, id } = await setUp();
    world.provider.scriptSends({ _tag: 'Unavailable' }, { _tag: 'TimeoutAfterArrival' });
    await world.run(sendAttempt(id));
    world.clock.advance(MINUTE);
    const sent = await world.run(
      withInterference(world, retryDueTopUps({ limit: 10 }), () => world.run(retryDueTopUps({ limit: 10 }))),
    );
    expect(sent).toBe(0);
    expect(calls(world, 'send')).toHaveLength(2);
    const stored = world.database.tables().topUps.get(id)?.topUp;
    expect(stored?.attempts).toHaveLength(2);
    expect(stored?.attempts[1]?.state).not.toBe('Succeeded');
  });

  it('retryDueTopUps: a due copy whose retry completed meanwhile: nothing sent, the completion kept', async () => {
    const { world, id } = await setUp();
    world.provider.scriptSends({ _tag: 'Unavailable' });
    await world.run(sendAttempt(id));
    world.clock.advance(MINUTE);
    const sent = await world.run(
      withInterference(world, retryDueTopUps({ limit: 10 }), () => world.run(retryDueTopUps({ limit: 10 }))),
    );
    expect(sent).toBe(0);
    expect(calls(world, 'send')).toHaveLength(2);
    expect(world.database.tables().topUps.get(id)?.topUp.status.class).toBe('COMPLETED');
    expect(world.database.tables().ledger.holds.get(id)?.settlement?.kind).toBe('CAPTURE');
  });
});
