import { currencyOf, money, parsePhoneNumber } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { makeInMemorySentAirtimeRegistry, type SentAirtime } from './sent-airtime-registry';
import { answerValidationCallback } from './validation-callback.handler';

const KES = Either.getOrThrow(currencyOf('KES'));
const sent: SentAirtime = {
  transactionId: 'ATQid_1be914ac47845eef1a1dab5d89ec50ff',
  destination: Either.getOrThrow(parsePhoneNumber('+254711000111')),
  amount: money(10_050n, KES),
};
const claim = {
  transactionId: sent.transactionId,
  phoneNumber: '+254711000111',
  sourceIpAddress: '52.1.2.3',
  currencyCode: 'KES',
  amount: 100.5,
};

const answer = async (body: unknown) => {
  const registry = makeInMemorySentAirtimeRegistry();
  await Effect.runPromise(registry.record(sent));
  return Effect.runPromise(Effect.either(answerValidationCallback(body, registry.find)));
};

describe("Africa's Talking validation callback", () => {
  it.each([
    ['the exact claim', claim],
    ['the amount as a decimal text', { ...claim, amount: '100.5000' }],
    ['the number without "+"', { ...claim, phoneNumber: '254711000111' }],
  ])('answers Validated for %s', async (_case, body) => {
    expect(await answer(body)).toEqual(Either.right({ status: 'Validated' }));
  });

  it.each([
    ['another transaction id', { ...claim, transactionId: 'ATQid_someoneElse' }],
    ['another number', { ...claim, phoneNumber: '+254722000222' }],
    ['another amount', { ...claim, amount: 100 }],
    ['a sub-cent amount', { ...claim, amount: 100.501 }],
    ['another currency', { ...claim, currencyCode: 'UGX' }],
    ['an unknown currency', { ...claim, currencyCode: 'XYZ' }],
    ['a number that is not a phone number', { ...claim, phoneNumber: 'abc' }],
  ])('answers Failed for %s', async (_case, body) => {
    expect(await answer(body)).toEqual(Either.right({ status: 'Failed' }));
  });

  it('answers Failed for a transaction we never sent', async () => {
    const result = await Effect.runPromise(answerValidationCallback(claim, () => Effect.succeed(Option.none())));
    expect(result).toEqual({ status: 'Failed' });
  });

  it('refuses a body missing fields with InvalidProviderCallback, naming fields but no values', async () => {
    const result = await answer({ phoneNumber: '+254711000111', amount: 100 });
    expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidProviderCallback' })));
    if (Either.isLeft(result)) {
      expect(result.left.message).toMatch(/transactionId is missing/);
      expect(result.left.message).toMatch(/currencyCode is missing/);
      expect(result.left.message).not.toContain('254711000111');
    }
  });

  it('forgets the oldest sends beyond its capacity', async () => {
    const registry = makeInMemorySentAirtimeRegistry(2);
    for (const id of ['a', 'b', 'c']) await Effect.runPromise(registry.record({ ...sent, transactionId: id }));
    expect(Option.isNone(await Effect.runPromise(registry.find('a')))).toBe(true);
    expect(Option.isSome(await Effect.runPromise(registry.find('c')))).toBe(true);
  });
});
