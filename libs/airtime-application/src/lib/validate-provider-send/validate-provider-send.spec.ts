import { Option } from 'effect';
import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput, type SendScript } from '../../testing';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { validateProviderSend } from './validate-provider-send.use-case';

const PROVIDER = 'africastalking';

const sentTopUp = async (script: SendScript = { _tag: 'Pending', status: 'SUBMITTED' }) => {
  const world = inMemoryLayers({ products: sampleCatalogue, id: PROVIDER });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends(script);
  const sent = await world.run(sendAttempt(created.topUp.id));
  const attempt = sent.attempts[0];
  if (attempt?.providerTransactionId === undefined) throw new Error('expected a provider transaction id');
  return { world, topUp: sent, attempt, transactionId: attempt.providerTransactionId };
};

describe('validateProviderSend', () => {
  it('finds an open send of ours by the provider and its transaction id: the number and the amount sent', async () => {
    const { world, topUp, transactionId } = await sentTopUp();
    const found = await world.run(validateProviderSend({ providerId: PROVIDER, providerTransactionId: transactionId }));
    expect(Option.getOrThrow(found)).toEqual({
      topUpId: topUp.id,
      transactionId,
      destination: topUp.destination,
      amount: topUp.quote.receive,
    });
    expect(Option.getOrThrow(found).amount).toMatchObject({ amountMinor: 10_000n, currency: { code: 'PHP' } });
  });

  it("finds nothing for an unknown id, or another provider's transaction with the same id", async () => {
    const { world, transactionId } = await sentTopUp();
    expect(
      await world.run(validateProviderSend({ providerId: PROVIDER, providerTransactionId: 'ATQid_other' })),
    ).toEqual(Option.none());
    expect(
      await world.run(validateProviderSend({ providerId: 'dtone', providerTransactionId: transactionId })),
    ).toEqual(Option.none());
  });

  it('finds nothing once the attempt is settled: a replayed validation releases nothing', async () => {
    const { world, attempt, transactionId } = await sentTopUp();
    await world.run(applyProviderUpdate(world.provider.settle(attempt.providerExternalId, 'COMPLETED')));
    expect(
      await world.run(validateProviderSend({ providerId: PROVIDER, providerTransactionId: transactionId })),
    ).toEqual(Option.none());
    const declined = await sentTopUp({ _tag: 'Decline' });
    expect(
      await declined.world.run(
        validateProviderSend({ providerId: PROVIDER, providerTransactionId: declined.transactionId }),
      ),
    ).toEqual(Option.none());
  });
});
