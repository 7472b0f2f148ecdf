import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { recoverStalledTopUps } from './recover-stalled-top-ups.use-case';
import { Effect } from 'effect';
import { startAttempt, TopUpRepository } from '@airtime/domain';

const MINUTE = 60_000;

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 100_000n));
  const request = async (externalId: string) => {
    const created = await world.run(requestTopUp(sampleRequestInput({ external_id: externalId })));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    return created.topUp;
  };
  return { world, request };
};

const sends = (world: ReturnType<typeof inMemoryLayers>) =>
  world.provider.calls().filter((call) => call.operation === 'send');

describe('recoverStalledTopUps', () => {
  it('sends a top-up left without an attempt (a crash between the commit and the send)', async () => {
    const { world, request } = await setUp();
    const topUp = await request('order-1');
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(0);
    world.clock.advance(2 * MINUTE);
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(1);
    expect(world.database.tables().topUps.get(topUp.id)?.topUp.status.class).toBe('COMPLETED');
  });

  it('asks the provider about an attempt left in flight (a crash after the send left), never resending first', async () => {
    const { world, request } = await setUp();
    const topUp = await request('order-1');
    // the attempt was committed and the request sent, then the process died before the answer was applied
    await world.run(
      Effect.gen(function* () {
        const repository = yield* TopUpRepository;
        const started = startAttempt(topUp, world.clock.current(), world.provider.id);
        if (started._tag === 'Left') throw new Error('expected an attempt');
        yield* repository.update(started.right.topUp, 1);
        yield* world.provider.send({
          providerExternalId: started.right.attempt.providerExternalId,
          product: topUp.quote.product,
          destination: topUp.destination,
          receive: topUp.quote.receive,
        });
      }),
    );
    world.clock.advance(2 * MINUTE);
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(1);
    expect(world.database.tables().topUps.get(topUp.id)?.topUp.status.class).toBe('COMPLETED');
    expect(sends(world)).toHaveLength(1);
    const operations = world.provider.calls().map((call) => call.operation);
    expect(operations.slice(-1)).toEqual(['statusByExternalId']);
  });

  it('settles an unknown outcome by a status query, and marks one it cannot move on as looked at', async () => {
    const { world, request } = await setUp();
    const unknown = await request('order-1');
    const pending = await request('order-2');
    world.provider.scriptSends({ _tag: 'TimeoutAfterArrival' }, { _tag: 'Pending' });
    await world.run(sendAttempt(unknown.id));
    await world.run(sendAttempt(pending.id));
    world.clock.advance(2 * MINUTE);
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(1);
    const tables = world.database.tables();
    expect(tables.topUps.get(unknown.id)?.topUp.status.class).toBe('COMPLETED');
    expect(tables.topUps.get(pending.id)?.topUp).toMatchObject({
      status: { class: 'CONFIRMED' },
      updatedAt: world.clock.current(),
    });
    expect(sends(world)).toHaveLength(2);
    // just looked at: not stalled again until olderThanMs has passed
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(0);
    expect(world.provider.calls().filter((call) => call.operation === 'statusByExternalId')).toHaveLength(2);
  });
});
