import { holdStatus, parsePhoneNumber, type TopUp } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import { fundAccount, inMemoryLayers, SAMPLE_KE_NUMBER, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { applyProviderStatus } from './apply-provider-status.use-case';

const PROVIDER = 'africastalking';

/** A top-up sent to the scripted provider `PROVIDER` and pending there. */
const pendingTopUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue, id: PROVIDER });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends({ _tag: 'Pending', status: 'SUBMITTED' });
  const sent = await world.run(sendAttempt(created.topUp.id));
  const attempt = sent.attempts[0];
  if (attempt?.providerTransactionId === undefined) throw new Error('expected a provider transaction id');
  return { world, topUp: sent, transactionId: attempt.providerTransactionId, externalId: attempt.providerExternalId };
};

const statusQueries = (world: Awaited<ReturnType<typeof pendingTopUp>>['world']) =>
  world.provider.calls().filter((call) => call.operation === 'statusByExternalId').length;

describe('applyProviderStatus (a status callback is a hint: the provider is asked)', () => {
  it('settles the named top-up by what the provider answers, once: a repeat is Unchanged', async () => {
    const { world, topUp, transactionId, externalId } = await pendingTopUp();
    world.provider.settle(externalId, 'COMPLETED');
    const hint = { providerId: PROVIDER, providerTransactionId: transactionId };
    expect(await world.run(applyProviderStatus(hint))).toMatchObject({
      _tag: 'Applied',
      topUp: { id: topUp.id, status: { class: 'COMPLETED' } },
    });
    expect(statusQueries(world)).toBe(1);
    const before = world.database.tables();
    expect(await world.run(applyProviderStatus(hint))).toMatchObject({ _tag: 'Unchanged' });
    expect(world.database.tables()).toBe(before);
  });

  it('a forged "Failed" for a top-up the provider delivered ends COMPLETED and charged, never released', async () => {
    const { world, topUp, transactionId, externalId } = await pendingTopUp();
    world.provider.settle(externalId, 'COMPLETED');
    // whatever the body claimed, only the named top-up reaches the use case: the answer is the provider's
    const answer = await world.run(
      applyProviderStatus({
        providerId: PROVIDER,
        providerTransactionId: transactionId,
        destination: topUp.destination,
      }),
    );
    expect(answer).toMatchObject({ _tag: 'Applied', topUp: { status: { class: 'COMPLETED' } } });
    const holds = [...world.database.tables().ledger.holds.values()].map(holdStatus);
    expect(holds).toEqual(['CAPTURED']);
  });

  it('leaves a top-up the provider says is still pending, or cannot answer for, unchanged', async () => {
    const { world, topUp, transactionId } = await pendingTopUp();
    const before = world.database.tables();
    const hint = { providerId: PROVIDER, providerTransactionId: transactionId };
    expect(await world.run(applyProviderStatus(hint))).toMatchObject({
      _tag: 'Unchanged',
      topUp: { id: topUp.id, status: { class: 'SUBMITTED' } },
    });
    world.provider.scriptStatusQueries({ _tag: 'Unsupported' });
    expect(await world.run(applyProviderStatus(hint))).toMatchObject({ _tag: 'Unchanged' });
    expect(world.database.tables().topUps.get(topUp.id)?.topUp.status).toEqual(
      before.topUps.get(topUp.id)?.topUp.status,
    );
  });

  it("refuses an unknown transaction id, another provider's, and another number, asking nothing, writing nothing", async () => {
    const { world, topUp, transactionId } = await pendingTopUp();
    const before = world.database.tables();
    const other = Either.getOrThrow(parsePhoneNumber(SAMPLE_KE_NUMBER));
    for (const input of [
      { providerId: PROVIDER, providerTransactionId: 'ATQid_unknown' },
      { providerId: 'dtone', providerTransactionId: transactionId },
      { providerId: PROVIDER, providerTransactionId: transactionId, destination: other },
    ]) {
      expect(await world.runEither(applyProviderStatus(input))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction', provider: input.providerId })),
      );
    }
    expect(statusQueries(world)).toBe(0);
    expect(world.database.tables()).toBe(before);
    expect(topUp.destination.e164).not.toBe(other.e164);
  });

  it('answers for its own provider only: a status of a provider this process does not send with is unknown', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue, id: 'dtone' });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput()));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    world.provider.scriptSends({ _tag: 'Pending', status: 'SUBMITTED' });
    const sent = await world.run(sendAttempt(created.topUp.id));
    const transactionId = sent.attempts[0]?.providerTransactionId ?? '';
    expect(
      await world.runEither(applyProviderStatus({ providerId: PROVIDER, providerTransactionId: transactionId })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction' })));
  });

  it('never moves a top-up to a final status the provider did not answer (any provider status, any hint)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('COMPLETED', 'DECLINED', 'SUBMITTED', undefined),
        fc.integer({ min: 1, max: 3 }),
        async (atProvider, hints) => {
          const { world, transactionId, externalId } = await pendingTopUp();
          if (atProvider !== undefined) world.provider.settle(externalId, atProvider);
          let last: TopUp | undefined;
          for (let hint = 0; hint < hints; hint += 1)
            last = (
              await world.run(applyProviderStatus({ providerId: PROVIDER, providerTransactionId: transactionId }))
            ).topUp;
          const expected = atProvider === undefined ? 'SUBMITTED' : atProvider;
          expect(last?.status.class).toBe(expected);
        },
      ),
      { numRuns: 12 },
    );
  });
});
