import { LedgerStore, NOT_FOUND_CONFIRMATION_MINUTES, providerExternalIdFor } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { fundAccount, inMemoryLayers, type InMemoryWorld, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import type { SendScript } from '../../testing';
import { settleUnknownAttempt } from './settle-unknown-attempt.use-case';

const MINUTE = 60_000;

const unknownTopUp = async (script: SendScript = { _tag: 'TimeoutAfterArrival' }) => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends(script);
  const topUp = await world.run(sendAttempt(created.topUp.id));
  return { world, topUp };
};

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const sends = (world: InMemoryWorld) => world.provider.calls().filter((call) => call.operation === 'send');

describe('settleUnknownAttempt', () => {
  it('applies what the provider has when a send timed out after it arrived: completed, captured once, never resent', async () => {
    const { world, topUp } = await unknownTopUp();
    const settled = await world.run(settleUnknownAttempt(topUp.id));
    expect(settled).toMatchObject({
      _tag: 'Settled',
      topUp: { status: { class: 'COMPLETED' }, awaitingStatusQuery: false },
    });
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, holdingMinor: 0n });
    expect(sends(world)).toHaveLength(1);
    expect(world.database.tables().outbox.map((record) => record.event.type)).toEqual([
      'topup.created',
      'topup.unknown_outcome',
      'topup.completed',
    ]);
  });

  it('decides again on a fresh read when a callback settles the attempt during the status query: one capture, one final event', async () => {
    let callbacks = 0;
    const world: InMemoryWorld = inMemoryLayers({
      products: sampleCatalogue,
      // the provider's callback is applied while the status query is on its way
      gate: (call) =>
        call.operation === 'statusByExternalId' && callbacks++ === 0
          ? Effect.asVoid(
              Effect.promise(() =>
                world.run(applyProviderUpdate(world.provider.settle(call.providerExternalId ?? '', 'COMPLETED'))),
              ),
            )
          : Effect.void,
    });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput()));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    world.provider.scriptSends({ _tag: 'TimeoutAfterArrival' });
    const unknown = await world.run(sendAttempt(created.topUp.id));
    expect(unknown.attempts[0]?.state).toBe('Unknown');
    const settled = await world.run(settleUnknownAttempt(unknown.id));
    expect(callbacks).toBe(1);
    // the query's answer, decided on the read before it, met the callback's write and was decided again on a fresh read
    expect(settled).toMatchObject({ topUp: { status: { class: 'COMPLETED' }, attempts: [{ state: 'Succeeded' }] } });
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, holdingMinor: 0n });
    expect(
      world.database
        .tables()
        .outbox.map((record) => record.event.type)
        .filter((type) => type === 'topup.completed'),
    ).toHaveLength(1);
  });

  it('from a copy in hand gone stale (a callback settled the attempt after it was read): decided again on a fresh read', async () => {
    const { world, topUp } = await unknownTopUp();
    const stored = world.database.tables().topUps.get(topUp.id);
    if (stored === undefined) throw new Error('expected the stored top-up');
    const copy = { topUp: stored.topUp, version: stored.version };
    await world.run(
      applyProviderUpdate(world.provider.settle(topUp.attempts[0]?.providerExternalId ?? '', 'COMPLETED')),
    );
    const settled = await world.run(settleUnknownAttempt(topUp.id, copy));
    // the answer, decided on the copy, met the callback's write and was decided again on a fresh read
    expect(settled.topUp).toMatchObject({ status: { class: 'COMPLETED' }, attempts: [{ state: 'Succeeded' }] });
    expect(world.provider.calls().filter((call) => call.operation === 'statusByExternalId')).toHaveLength(1);
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, holdingMinor: 0n });
    expect(world.database.tables().outbox.filter((record) => record.event.type === 'topup.completed')).toHaveLength(1);
    expect(sends(world)).toHaveLength(1);
  });

  it('refuses a copy in hand of another top-up as a defect', async () => {
    const { world, topUp } = await unknownTopUp();
    const stored = world.database.tables().topUps.get(topUp.id);
    if (stored === undefined) throw new Error('expected the stored top-up');
    const exit = await world.runtime.runPromiseExit(settleUnknownAttempt('another-top-up', stored));
    expect(exit._tag === 'Failure' && exit.cause._tag).toBe('Die');
  });

  it('schedules a resend under the same external id when the provider never received it', async () => {
    const { world, topUp } = await unknownTopUp({ _tag: 'LostBeforeArrival' });
    const settled = await world.run(settleUnknownAttempt(topUp.id));
    expect(settled).toMatchObject({
      _tag: 'Settled',
      topUp: {
        status: { class: 'CREATED' },
        attempts: [{ state: 'Failed', failure: { reason: 'NOT_FOUND_AT_PROVIDER' } }],
      },
    });
    expect(settled.topUp.nextAttemptAt?.getTime()).toBe(world.clock.current().getTime() + MINUTE);
    world.clock.advance(MINUTE);
    const resent = await world.run(sendAttempt(topUp.id));
    const firstId = providerExternalIdFor('account-1', topUp.externalId, 1);
    expect(resent.attempts.map((attempt) => attempt.providerExternalId)).toEqual([firstId, firstId]);
    expect(resent.status.class).toBe('COMPLETED');
  });

  it('leaves an attempt the provider cannot be asked about as it is (QueryUnsupported), for the callback or reconciliation', async () => {
    const { world, topUp } = await unknownTopUp();
    world.provider.scriptStatusQueries({ _tag: 'Unsupported' });
    const result = await world.run(settleUnknownAttempt(topUp.id));
    expect(result).toMatchObject({ _tag: 'QueryUnsupported', topUp: { awaitingStatusQuery: true } });
    expect(sends(world)).toHaveLength(1);
  });

  it('fails (retryable) when the provider cannot answer now, changing nothing', async () => {
    const { world, topUp } = await unknownTopUp();
    world.provider.scriptStatusQueries({ _tag: 'Unavailable' });
    const result = await world.runEither(settleUnknownAttempt(topUp.id));
    expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'ProviderUnavailable', retryable: true })));
    expect(world.database.tables().topUps.get(topUp.id)?.topUp.awaitingStatusQuery).toBe(true);
  });

  it('answers Unchanged for a top-up with nothing to settle, asking nothing', async () => {
    const { world, topUp } = await unknownTopUp({ _tag: 'Complete' });
    expect(await world.run(settleUnknownAttempt(topUp.id))).toMatchObject({ _tag: 'Unchanged' });
    expect(world.provider.calls().some((call) => call.operation === 'statusByExternalId')).toBe(false);
  });

  it('polls a pending attempt: Unchanged while the provider still holds it, Settled once it completed', async () => {
    const { world, topUp } = await unknownTopUp({ _tag: 'Pending' });
    expect(await world.run(settleUnknownAttempt(topUp.id))).toMatchObject({ _tag: 'Unchanged' });
    world.provider.settle(topUp.attempts[0]?.providerExternalId ?? '', 'COMPLETED');
    expect(await world.run(settleUnknownAttempt(topUp.id))).toMatchObject({
      _tag: 'Settled',
      topUp: { status: { class: 'COMPLETED' } },
    });
  });

  it('on the last attempt, voids the hold only after a second "not found" at least the confirmation window later', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput()));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    const id = created.topUp.id;
    world.provider.scriptSends(...Array.from({ length: 6 }, () => ({ _tag: 'Unavailable' }) as const), {
      _tag: 'LostBeforeArrival',
    });
    for (const delayMinutes of [1, 2, 5, 30, 60, 120, 0]) {
      await world.run(sendAttempt(id));
      world.clock.advance(delayMinutes * MINUTE);
    }
    const first = await world.run(settleUnknownAttempt(id));
    expect(first.topUp).toMatchObject({
      awaitingStatusQuery: true,
      attempts: expect.arrayContaining([expect.objectContaining({ unknownReason: 'NOT_FOUND_AWAITING_CONFIRMATION' })]),
    });
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n });
    world.clock.advance(NOT_FOUND_CONFIRMATION_MINUTES * MINUTE);
    const confirmed = await world.run(settleUnknownAttempt(id));
    expect(confirmed).toMatchObject({ _tag: 'Settled', topUp: { status: { class: 'DECLINED' } } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
  });
});
