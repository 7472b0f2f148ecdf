import { LedgerStore } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { cancelTopUp } from './cancel-top-up.use-case';

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  return { world, topUp: created.topUp };
};

const usd = (world: ReturnType<typeof inMemoryLayers>) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

describe('cancelTopUp', () => {
  it('cancels a CREATED top-up: hold voided, topup.failed; twice changes nothing', async () => {
    const { world, topUp } = await setUp();
    const cancelled = await world.run(cancelTopUp({ topUpId: topUp.id, accountId: 'account-1' }));
    expect(cancelled).toMatchObject({ status: { class: 'CANCELLED' }, failureReason: { reason: 'CANCELLED' } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
    await world.run(cancelTopUp({ topUpId: topUp.id, accountId: 'account-1' }));
    expect(world.database.tables().outbox.map((record) => record.event.type)).toEqual([
      'topup.created',
      'topup.failed',
    ]);
    expect(await world.run(sendAttempt(topUp.id))).toMatchObject({ status: { class: 'CANCELLED' } });
    expect(world.provider.calls().some((call) => call.operation === 'send')).toBe(false);
  });

  it('cancels during a scheduled retry, keeping nothing held', async () => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends({ _tag: 'Unavailable' });
    await world.run(sendAttempt(topUp.id));
    expect(await world.run(cancelTopUp({ topUpId: topUp.id, accountId: 'account-1' }))).toMatchObject({
      status: { class: 'CANCELLED' },
      nextAttemptAt: undefined,
    });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n });
  });

  it('refuses while an attempt is unsettled, and once completed', async () => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends({ _tag: 'Pending' });
    await world.run(sendAttempt(topUp.id));
    expect(await world.runEither(cancelTopUp({ topUpId: topUp.id, accountId: 'account-1' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'UnresolvedAttempt' })),
    );
    const completed = await setUp();
    await completed.world.run(sendAttempt(completed.topUp.id));
    expect(
      await completed.world.runEither(cancelTopUp({ topUpId: completed.topUp.id, accountId: 'account-1' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'IllegalTransition' })));
  });

  it("answers another account's top-up as not found", async () => {
    const { world, topUp } = await setUp();
    expect(await world.runEither(cancelTopUp({ topUpId: topUp.id, accountId: 'account-2' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
    );
    expect(world.database.tables().topUps.get(topUp.id)?.topUp.status.class).toBe('CREATED');
  });
});
