import { parsePhoneNumber, transactionStatus } from '@airtime/domain';
import { Either } from 'effect';
import { fundAccount, inMemoryLayers, SAMPLE_KE_NUMBER, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { applyProviderStatus } from './apply-provider-status.use-case';

const PROVIDER = 'africastalking';

const pendingTopUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue, id: PROVIDER });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends({ _tag: 'Pending', status: 'SUBMITTED' });
  const sent = await world.run(sendAttempt(created.topUp.id));
  const transactionId = sent.attempts[0]?.providerTransactionId;
  if (transactionId === undefined) throw new Error('expected a provider transaction id');
  return { world, topUp: sent, transactionId };
};

describe('applyProviderStatus', () => {
  it('applies a status matched on the transaction id alone, once: a repeat is Unchanged', async () => {
    const { world, topUp, transactionId } = await pendingTopUp();
    const update = { providerTransactionId: transactionId, status: transactionStatus('COMPLETED') };
    expect(await world.run(applyProviderStatus({ providerId: PROVIDER, update }))).toMatchObject({
      _tag: 'Applied',
      topUp: { id: topUp.id, status: { class: 'COMPLETED' } },
    });
    const before = world.database.tables();
    expect(await world.run(applyProviderStatus({ providerId: PROVIDER, update }))).toMatchObject({ _tag: 'Unchanged' });
    expect(world.database.tables()).toBe(before);
  });

  it("refuses an unknown transaction id, and another provider's, writing nothing", async () => {
    const { world, transactionId } = await pendingTopUp();
    const before = world.database.tables();
    const status = transactionStatus('DECLINED');
    for (const [providerId, providerTransactionId] of [
      [PROVIDER, 'ATQid_unknown'],
      ['dtone', transactionId],
    ] as const) {
      expect(
        await world.runEither(applyProviderStatus({ providerId, update: { providerTransactionId, status } })),
      ).toEqual(Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction', provider: providerId })));
    }
    expect(world.database.tables()).toBe(before);
  });

  it("applies a status naming the top-up's number, and refuses one naming another number", async () => {
    const { world, topUp, transactionId } = await pendingTopUp();
    const other = Either.getOrThrow(parsePhoneNumber(SAMPLE_KE_NUMBER));
    const update = { providerTransactionId: transactionId, status: transactionStatus('COMPLETED') };
    expect(await world.runEither(applyProviderStatus({ providerId: PROVIDER, update, destination: other }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction' })),
    );
    expect(
      await world.run(applyProviderStatus({ providerId: PROVIDER, update, destination: topUp.destination })),
    ).toMatchObject({ _tag: 'Applied' });
  });
});
