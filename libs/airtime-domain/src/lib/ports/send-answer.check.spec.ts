import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { arbitraryCurrency, testCurrency } from '../../testing/product.arbitraries';
import type { Currency } from '../money/currency';
import { formatScaled } from '../money/decimal';
import { money } from '../money/money';
import {
  comparePrecise,
  MAX_PRECISE_SCALE,
  parsePreciseMoney,
  type PreciseMoney,
  preciseOf,
} from '../money/precise-money';
import { DETAILED_STATUSES, transactionStatus } from '../transaction/transaction-status';
import type { ProviderTransaction } from './airtime-provider.port';
import { checkDeliveredAmount, checkReportedAmount, checkSendAnswer, retryLaterOfStatus } from './send-answer.check';
import { RETRY_LATER_DELAY_MINUTES } from '../transaction/retry.policy';

const PHP = testCurrency('PHP');
const KES = testCurrency('KES');
const USD = testCurrency('USD');

const precise = (text: string, currency: Currency) => Either.getOrThrow(parsePreciseMoney(text, currency));
const FIELDS = { externalId: 'external_id', amount: 'destination.amount', currency: 'destination.unit' };

/** Any precise amount of `currency` at a scale from its exponent to MAX_PRECISE_SCALE. */
const arbitraryPrecise = (currency: Currency): fc.Arbitrary<PreciseMoney> =>
  fc
    .tuple(
      fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
      fc.integer({ min: currency.exponent, max: MAX_PRECISE_SCALE }),
    )
    .map(([units, scale]) => precise(formatScaled(units, scale), currency));

const arbitraryRequested = (currency: Currency) =>
  fc.bigInt({ min: 1n, max: 10n ** 15n }).map((minor) => money(minor, currency));

const answer = (overrides: Partial<ProviderTransaction> = {}): ProviderTransaction => ({
  providerTransactionId: '9001',
  providerExternalId: 'topup-1-a-1',
  status: transactionStatus('COMPLETED'),
  receive: preciseOf(money(10_000n, PHP)),
  ...overrides,
});

describe('checkDeliveredAmount: what was delivered, held to what was asked', () => {
  it.each([
    ['engageSPARK amountSent -100 PHP', precise('-100', PHP), preciseOf(money(10_000n, PHP)), 'not a positive amount'],
    ['DVS destination amount 0', precise('0', PHP), preciseOf(money(10_000n, PHP)), 'not a positive amount'],
    [
      "Africa's Talking KES 999999999999999.0000 for KES 100",
      precise('999999999999999.0000', KES),
      preciseOf(money(10_000n, KES)),
      'above the requested amount',
    ],
    ['a DVS answer in USD for a PHP send', precise('100', USD), preciseOf(money(10_000n, PHP)), 'another currency'],
  ])('refuses %s, naming the field and not the value', (_case, delivered, requested, kind) => {
    const result = checkDeliveredAmount('provider', requested, delivered, FIELDS);
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isRight(result)) return;
    expect(result.left).toMatchObject({ _tag: 'ProviderAnswerMismatch', provider: 'provider' });
    expect(result.left.field).toBe(kind === 'another currency' ? 'destination.unit' : 'destination.amount');
    if (kind !== 'another currency') expect(result.left.reason).toBe(kind);
    expect(result.left.message).not.toMatch(/\d/);
  });

  it('keeps a smaller amount exactly as answered (PHP 99.995 for PHP 100)', () => {
    const delivered = precise('99.995', PHP);
    expect(checkDeliveredAmount('dtone', preciseOf(money(10_000n, PHP)), delivered, FIELDS)).toEqual(
      Either.right(delivered),
    );
  });

  test.prop([
    arbitraryCurrency().chain((currency) =>
      fc.tuple(fc.constant(currency), arbitraryRequested(currency), arbitraryPrecise(currency)),
    ),
  ])(
    'accepts exactly the positive amounts of the requested currency up to the request, unchanged',
    ([, requested, delivered]) => {
      const result = checkDeliveredAmount('p', preciseOf(requested), delivered, FIELDS);
      const expected = delivered.units > 0n && comparePrecise(delivered, preciseOf(requested)) !== 1;
      expect(Either.isRight(result)).toBe(expected);
      if (Either.isRight(result)) expect(result.right).toBe(delivered);
      else expect(result.left.field).toBe('destination.amount');
    },
  );

  test.prop([
    fc
      .tuple(arbitraryCurrency(), arbitraryCurrency())
      .filter(([a, b]) => a.code !== b.code)
      .chain(([asked, answered]) => fc.tuple(arbitraryRequested(asked), arbitraryPrecise(answered))),
  ])('refuses every amount in another currency, at the currency field', ([requested, delivered]) => {
    const result = checkDeliveredAmount('p', preciseOf(requested), delivered, FIELDS);
    expect(Either.isLeft(result) && result.left.field).toBe('destination.unit');
  });
});

describe('checkSendAnswer: the answer is about our transaction and delivers what was asked', () => {
  const request = { providerExternalId: 'topup-1-a-1', receive: money(10_000n, PHP) };

  it('refuses an answer about another transaction (DVS external_id "someone-else")', () => {
    const result = checkSendAnswer('dtone', request, answer({ providerExternalId: 'someone-else' }), FIELDS);
    expect(result).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'ProviderAnswerMismatch',
          field: 'external_id',
          reason: 'an answer about another transaction',
        }),
      ),
    );
    if (Either.isLeft(result)) expect(result.left.message).not.toContain('someone-else');
  });

  it('passes an answer without a delivered amount (unknown, never replaced by the requested one)', () => {
    const { receive: _dropped, ...withoutAmount } = answer();
    expect(checkSendAnswer('dtone', request, withoutAmount, FIELDS)).toEqual(Either.right(withoutAmount));
  });

  test.prop([fc.string({ minLength: 1, maxLength: 40 }), arbitraryPrecise(PHP)])(
    'passes an answer only when its external id is ours and its amount passes checkDeliveredAmount',
    (externalId, delivered) => {
      const result = checkSendAnswer(
        'p',
        request,
        answer({ providerExternalId: externalId, receive: delivered }),
        FIELDS,
      );
      const amountOk = Either.isRight(checkDeliveredAmount('p', preciseOf(request.receive), delivered, FIELDS));
      expect(Either.isRight(result)).toBe(externalId === request.providerExternalId && amountOk);
      if (externalId !== request.providerExternalId && Either.isLeft(result))
        expect(result.left.field).toBe('external_id');
    },
  );
});

describe('checkReportedAmount: an amount reported without the request at hand', () => {
  test.prop([arbitraryPrecise(PHP)])('passes exactly the positive amounts', (delivered) => {
    const result = checkReportedAmount('p', delivered, 'value');
    expect(Either.isRight(result)).toBe(delivered.units > 0n);
    if (Either.isLeft(result)) expect(result.left).toMatchObject({ field: 'value', reason: 'not a positive amount' });
  });
});

describe('retryLaterOfStatus: DVS statuses that mean "not now"', () => {
  const now = new Date('2026-11-02T10:00:00Z');

  it('turns a duplicated transaction into a retry no sooner than 5 minutes later', () => {
    const refusal = retryLaterOfStatus('dtone', transactionStatus('DECLINED-DUPLICATED-TRANSACTION'), now);
    expect(refusal).toMatchObject({ _tag: 'ProviderRetryLater', provider: 'dtone', retryable: true });
    expect(refusal?.earliestRetryAt.toISOString()).toBe('2026-11-02T10:05:00.000Z');
  });

  it('turns the limits on the beneficiary number into a retry an hour later', () => {
    const refusal = retryLaterOfStatus(
      'dtone',
      transactionStatus('REJECTED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY'),
      now,
    );
    expect(refusal?.earliestRetryAt.toISOString()).toBe('2026-11-02T11:00:00.000Z');
  });

  it('leaves every other status alone', () => {
    const others = DETAILED_STATUSES.filter((status) => RETRY_LATER_DELAY_MINUTES[status] === undefined);
    expect(
      others.filter((status) => retryLaterOfStatus('dtone', transactionStatus(status), now) !== undefined),
    ).toEqual([]);
  });

  it('only lists failure statuses', () => {
    for (const status of Object.keys(RETRY_LATER_DELAY_MINUTES) as (keyof typeof RETRY_LATER_DELAY_MINUTES)[]) {
      expect(['REJECTED', 'DECLINED']).toContain(transactionStatus(status).class);
    }
  });
});
