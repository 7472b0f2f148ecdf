// Africa's Talking's status callback matched to our top-up over the in-memory
// ports, the configured provider being AT's: its requestId names the top-up,
// and its phoneNumber must be the top-up's recipient, read in the
// recipient's country (AT may write it nationally, '0711000111', or without
// the "+"). Another subscriber's number, or text that is no number, never
// settles anything: nothing is asked of the provider, nothing is written.
import {
  fundAccount,
  inMemoryLayers,
  SAMPLE_KE_NUMBER,
  sampleCatalogue,
  sampleRequestInput,
} from '@airtime/application/testing';
import { requestTopUp, sendAttempt } from '@airtime/application';
import { AFRICASTALKING_PROVIDER_ID } from '@airtime/provider-africastalking';
import { Either } from 'effect';
import { applyAtStatus } from './at-callbacks.handler';

/** A top-up to a Kenyan number sent to the scripted AT provider, pending there, then delivered (at AT). */
const deliveredAtAt = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue, id: AFRICASTALKING_PROVIDER_ID });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(
    requestTopUp(sampleRequestInput({ phone_number: SAMPLE_KE_NUMBER, currency: 'KES', max_amount: '100' })),
  );
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends({ _tag: 'Pending', status: 'SUBMITTED' });
  const sent = await world.run(sendAttempt(created.topUp.id));
  const attempt = sent.attempts[0];
  if (attempt?.providerTransactionId === undefined) throw new Error('expected a provider transaction id');
  world.provider.settle(attempt.providerExternalId, 'COMPLETED');
  return { world, topUp: sent, requestId: attempt.providerTransactionId };
};

const statusQueries = (world: Awaited<ReturnType<typeof deliveredAtAt>>['world']) =>
  world.provider.calls().filter((call) => call.operation === 'statusByExternalId').length;

const callback = (requestId: string, phoneNumber: string) => ({
  phoneNumber,
  status: 'Success',
  requestId,
  value: 'KES 100.0000',
});

describe("applyAtStatus: the status callback's number, read in the recipient's country", () => {
  it.each([
    ['E.164', SAMPLE_KE_NUMBER],
    ['E.164 without "+"', SAMPLE_KE_NUMBER.slice(1)],
    ['national (KE)', '0711000111'],
    ['national, spaced', '0711 000 111'],
  ])(
    'matches the top-up when the number is its recipient written as %s: settled by asking AT',
    async (_form, phone) => {
      // before: a national '0711000111' was read as '+0711000111', no number: 400, the top-up left to reconciliation
      const { world, topUp, requestId } = await deliveredAtAt();
      expect(await world.run(applyAtStatus(callback(requestId, phone)))).toMatchObject({
        _tag: 'Applied',
        topUp: { id: topUp.id, status: { class: 'COMPLETED' } },
      });
      expect(statusQueries(world)).toBe(1);
    },
  );

  it.each([
    // before: a national number was no number at all (400); now it is read, and is someone else (404)
    ["another subscriber's national number", '0711000112', 'UnknownCallback'],
    ["another subscriber's number without '+'", '254711000112', 'UnknownCallback'],
    ["another subscriber's E.164 number", '+254711000112', 'UnknownCallback'],
    ['the same digits in another country', '+255711000111', 'UnknownCallback'],
    ['text that is no number', 'not-a-number', 'InvalidRequest'],
    ['a number cut short', '0711', 'InvalidRequest'],
    ['nothing', '', 'InvalidRequest'],
  ])('never matches %s: refused, nothing asked, nothing written', async (_case, phone, tag) => {
    const { world, requestId } = await deliveredAtAt();
    const before = world.database.tables();
    expect(await world.runEither(applyAtStatus(callback(requestId, phone)))).toEqual(
      Either.left(expect.objectContaining({ _tag: tag })),
    );
    expect(statusQueries(world)).toBe(0);
    expect(world.database.tables()).toBe(before);
  });

  it('matches no top-up for an unknown requestId, whatever the number', async () => {
    const { world } = await deliveredAtAt();
    const before = world.database.tables();
    for (const phone of [SAMPLE_KE_NUMBER, SAMPLE_KE_NUMBER.slice(1)])
      expect(await world.runEither(applyAtStatus(callback('ATQid_unknown', phone)))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'UnknownCallback' })),
      );
    expect(statusQueries(world)).toBe(0);
    expect(world.database.tables()).toBe(before);
  });
});
