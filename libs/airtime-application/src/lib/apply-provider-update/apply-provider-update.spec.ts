import { LedgerStore, parsePreciseMoney, transactionStatus } from '@airtime/domain';
import { Effect, Either } from 'effect';
import {
  fundAccount,
  inMemoryLayers,
  type InMemoryWorld,
  PHP,
  sampleCatalogue,
  sampleRequestInput,
} from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { applyProviderUpdate } from './apply-provider-update.use-case';

const pendingTopUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput({ callback_url: 'https://caller.example/hook' })));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends({ _tag: 'Pending' });
  const sent = await world.run(sendAttempt(created.topUp.id));
  const externalId = sent.attempts[0]?.providerExternalId ?? '';
  return { world, topUp: sent, externalId };
};

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const eventTypes = (world: InMemoryWorld) => world.database.tables().outbox.map((record) => record.event.type);

describe('applyProviderUpdate', () => {
  it('applies a completion: captured with its event and callback, in one unit of work', async () => {
    const { world, topUp, externalId } = await pendingTopUp();
    const update = world.provider.settle(externalId, 'COMPLETED');
    const applied = await world.run(applyProviderUpdate(update));
    expect(applied).toMatchObject({ _tag: 'Applied', topUp: { id: topUp.id, status: { class: 'COMPLETED' } } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.completed']);
    expect(world.database.tables().deliveries.size).toBe(1);
  });

  it('answers a duplicate and a stale update Unchanged, writing nothing', async () => {
    const { world, externalId } = await pendingTopUp();
    const update = world.provider.settle(externalId, 'COMPLETED');
    await world.run(applyProviderUpdate(update));
    const before = world.database.tables();
    expect(await world.run(applyProviderUpdate(update))).toMatchObject({ _tag: 'Unchanged' });
    expect(await world.run(applyProviderUpdate({ ...update, status: transactionStatus('CONFIRMED') }))).toMatchObject({
      _tag: 'Unchanged',
      topUp: { status: { class: 'COMPLETED' } },
    });
    expect(world.database.tables()).toBe(before);
  });

  it('reverses a completed top-up: the capture is reversed, topup.reversed', async () => {
    const { world, externalId } = await pendingTopUp();
    await world.run(applyProviderUpdate(world.provider.settle(externalId, 'COMPLETED')));
    const reversed = await world.run(applyProviderUpdate(world.provider.settle(externalId, 'REVERSED')));
    expect(reversed).toMatchObject({ _tag: 'Applied', topUp: { status: { class: 'REVERSED' } } });
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, reversedMinor: 186n, availableMinor: 10_000n });
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.completed', 'topup.reversed']);
    expect(world.database.tables().deliveries.size).toBe(2);
  });

  it('reports a completion and its reversal both when a poll skips COMPLETED', async () => {
    const { world, externalId } = await pendingTopUp();
    await world.run(applyProviderUpdate(world.provider.settle(externalId, 'REVERSED')));
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.completed', 'topup.reversed']);
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, reversedMinor: 186n, holdingMinor: 0n });
  });

  it('applies a decline: the hold is voided, topup.failed', async () => {
    const { world, externalId } = await pendingTopUp();
    const declined = await world.run(
      applyProviderUpdate(world.provider.settle(externalId, 'DECLINED-BARRED-CREDIT-PARTY')),
    );
    expect(declined).toMatchObject({ topUp: { status: { status: 'DECLINED-BARRED-CREDIT-PARTY' } } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.failed']);
  });

  it('finds the attempt by provider transaction id within the top-up the transport names', async () => {
    const { world, topUp, externalId } = await pendingTopUp();
    const { providerExternalId: _ours, ...byTransaction } = world.provider.settle(externalId, 'COMPLETED');
    const applied = await world.run(applyProviderUpdate(byTransaction, { topUpId: topUp.id }));
    expect(applied).toMatchObject({ _tag: 'Applied', topUp: { status: { class: 'COMPLETED' } } });
  });

  it('finds the top-up by provider transaction id when the update carries no external id of ours', async () => {
    const { world, topUp, externalId } = await pendingTopUp();
    const { providerExternalId: _ours, ...byTransaction } = world.provider.settle(externalId, 'COMPLETED');
    const applied = await world.run(applyProviderUpdate(byTransaction));
    expect(applied).toMatchObject({ _tag: 'Applied', topUp: { id: topUp.id, status: { class: 'COMPLETED' } } });
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.completed']);
  });

  it('refuses an update about no top-up of ours, by external id or by transaction id', async () => {
    const { world, externalId } = await pendingTopUp();
    const update = world.provider.settle(externalId, 'COMPLETED');
    expect(await world.runEither(applyProviderUpdate({ ...update, providerExternalId: 'someone-else' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction' })),
    );
    const { providerExternalId: _ours, ...withoutExternalId } = update;
    expect(
      await world.runEither(applyProviderUpdate({ ...withoutExternalId, providerTransactionId: 'another-tx' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction' })));
    expect(eventTypes(world)).toEqual(['topup.created']);
  });

  it('applies nothing when the delivered amount does not hold to the request (more, or another currency)', async () => {
    const { world, externalId } = await pendingTopUp();
    const update = world.provider.settle(externalId, 'COMPLETED');
    for (const receive of [
      Either.getOrThrow(parsePreciseMoney('100.005', PHP)),
      Either.getOrThrow(parsePreciseMoney('1', { code: 'USD', exponent: 2 })),
    ]) {
      expect(await world.runEither(applyProviderUpdate({ ...update, receive }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'ProviderAnswerMismatch' })),
      );
    }
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n, capturedMinor: 0n });
    const less = await world.run(
      applyProviderUpdate({ ...update, receive: Either.getOrThrow(parsePreciseMoney('99.995', PHP)) }),
    );
    expect(less).toMatchObject({ _tag: 'Applied', topUp: { status: { class: 'COMPLETED' } } });
  });

  it('records the transaction id an update carries on an attempt whose send never answered (a timeout)', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput()));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    world.provider.scriptSends({ _tag: 'TimeoutAfterArrival' });
    const sent = await world.run(sendAttempt(created.topUp.id));
    const externalId = sent.attempts[0]?.providerExternalId ?? '';
    expect(sent.attempts[0]?.providerTransactionId).toBeUndefined();
    const update = world.provider.settle(externalId, 'COMPLETED');
    const applied = await world.run(applyProviderUpdate(update));
    expect(applied).toMatchObject({ _tag: 'Applied', topUp: { status: { class: 'COMPLETED' } } });
    expect(applied.topUp.attempts[0]?.providerTransactionId).toBe(update.providerTransactionId);
    expect(update.providerTransactionId).toEqual(expect.any(String));
  });
});
