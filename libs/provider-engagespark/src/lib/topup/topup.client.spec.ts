import { currencyOf, money, parsePhoneNumber, preciseOf, transactionStatus } from '@airtime/domain';
import { Either } from 'effect';
import { knownTopupError } from './topup-errors.table';
import { formatTopupAmount, mapTopupResult, type TopupRequest } from './topup.client';

const PHP = Either.getOrThrow(currencyOf('PHP'));
const JPY = Either.getOrThrow(currencyOf('JPY'));
const request: TopupRequest = {
  clientRef: 'ref-1',
  destination: Either.getOrThrow(parsePhoneNumber('+639171234567')),
  maxAmount: money(2_500n, PHP),
};
const map = (result: Parameters<typeof mapTopupResult>[0]) => mapTopupResult(result, request);

describe('engageSPARK top-up mapping', () => {
  it.each([
    [money(1_000_000n, PHP), '10000'],
    [money(2_550n, PHP), '25.5'],
    [money(2_505n, PHP), '25.05'],
    [money(500n, JPY), '500'],
  ])('writes %o as "%s"', (amount, text) => {
    expect(formatTopupAmount(amount)).toBe(text);
  });

  it('reads the reference success body', () => {
    const completed = map({
      id: '12345',
      clientRef: 'ref-1',
      currency: 'PHP',
      amountSent: 25,
      price: 0.55,
      createdDate: '2021-04-16T18:53:44Z',
      error: '',
    });
    expect(completed).toEqual(
      Either.right({
        id: '12345',
        amountSent: preciseOf(money(2_500n, PHP)),
        price: '0.55',
        createdDate: '2021-04-16T18:53:44Z',
        transaction: {
          providerTransactionId: '12345',
          providerExternalId: 'ref-1',
          status: transactionStatus('COMPLETED'),
          receive: preciseOf(money(2_500n, PHP)),
        },
      }),
    );
  });

  it('reads numeric ids, string amounts and an odd price without doubting the top-up', () => {
    const completed = Either.getOrThrow(
      map({ id: 987, currency: 'PHP', amountSent: '24.50', price: 'n/a', error: null }),
    );
    expect(completed).toMatchObject({ id: '987', amountSent: preciseOf(money(2_450n, PHP)) });
    expect(completed.price).toBeUndefined();
  });

  it('recognizes the documented errors whatever their case', () => {
    expect(knownTopupError(' No matching product found. ')).toMatchObject({
      providerCode: 'NO_MATCHING_PRODUCT',
      retryable: false,
    });
    expect(knownTopupError('Invalid phone number')).toMatchObject({
      providerCode: 'INVALID_PHONE_NUMBER',
      status: 'REJECTED-INVALID-CREDIT-PARTY',
    });
    expect(knownTopupError('something else')).toBeUndefined();
  });

  it('reads an unrecognized error, with or without a transaction id, as an unknown outcome', () => {
    expect(map({ error: 'operator offline' })).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'ProviderOutcomeUnknown',
          reason: 'error is not a documented refusal (without a transaction id)',
          kind: 'UNPROVEN_REFUSAL',
        }),
      ),
    );
    expect(map({ id: '', error: 'operator offline' })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderOutcomeUnknown', kind: 'UNPROVEN_REFUSAL' })),
    );
    expect(map({ id: '9', error: 'operator offline' })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderOutcomeUnknown', kind: 'UNPROVEN_REFUSAL' })),
    );
  });

  it('reads a success it cannot read whole as an unknown outcome of kind UNREADABLE_ANSWER', () => {
    for (const result of [{ currency: 'PHP', amountSent: 25 }, { id: '5' }])
      expect(map(result)).toEqual(
        Either.left(expect.objectContaining({ _tag: 'ProviderOutcomeUnknown', kind: 'UNREADABLE_ANSWER' })),
      );
  });

  it('refuses a documented error without a transaction id as a definite refusal', () => {
    expect(map({ error: 'Invalid phone number.' })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderRejected', providerCode: 'INVALID_PHONE_NUMBER' })),
    );
  });

  it('reads a documented error on a recorded transaction as an unknown outcome (engageSPARK retries it itself)', () => {
    expect(map({ id: '1', error: 'no matching product found' })).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'ProviderOutcomeUnknown',
          kind: 'UNPROVEN_REFUSAL',
          reason: 'error refuses the top-up, but id shows engageSPARK may have taken it',
        }),
      ),
    );
  });
});
