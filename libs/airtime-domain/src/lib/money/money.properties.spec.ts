import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { knownCurrencies } from './currency';
import { formatProviderAmount, money, parseProviderAmount } from './money';

const anyCurrency = fc.constantFrom(...knownCurrencies());

/** Whole numbers around the accepted range, and numbers that are not whole. */
const anyFractionDigits = fc.oneof(
  fc.integer({ min: -2, max: 14 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2.5),
);

const anyAmountMinor = fc.oneof(
  fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }),
  fc.bigInt({ min: -(10n ** 70n), max: 10n ** 70n }),
);

/** A provider amount as someone may write it: spaces, leading and trailing zeros. */
const providerText = fc
  .record({
    currency: anyCurrency,
    whole: fc.stringMatching(/^[0-9]{1,25}$/),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,25}$/), { nil: undefined }),
    space: fc.constantFrom(' ', '  ', '\t'),
  })
  .map(({ currency, whole, fraction, space }) =>
    fraction === undefined ? `${currency.code}${space}${whole}` : `${currency.code}${space}${whole}.${fraction}`,
  );

describe('provider amount properties', () => {
  test.prop([anyCurrency, anyAmountMinor, anyFractionDigits])(
    'what is formatted reads back as the same money; only negatives, bad digits and huge amounts are refused',
    (currency, amountMinor, fractionDigits) => {
      const value = money(amountMinor, currency);
      const text = formatProviderAmount(value, fractionDigits);
      const acceptable =
        Number.isInteger(fractionDigits) &&
        fractionDigits >= 0 &&
        fractionDigits <= 12 &&
        amountMinor >= 0n &&
        amountMinor.toString().length <= 60;
      expect(Either.isRight(text)).toBe(acceptable);
      if (Either.isRight(text)) expect(Either.getOrThrow(parseProviderAmount(text.right))).toEqual(value);
    },
  );

  test.prop([providerText])('what is read is written back and read again as the same money', (text) => {
    const parsed = parseProviderAmount(text);
    fc.pre(Either.isRight(parsed));
    const value = Either.getOrThrow(parsed);
    const written = Either.getOrThrow(formatProviderAmount(value, 4));
    expect(Either.getOrThrow(parseProviderAmount(written))).toEqual(value);
  });

  test.prop([fc.stringMatching(/^[0-9]{3}[a-z][0-9]{3}$/), fc.constantFrom('KES ', 'KES -', 'XXY ', '', 'KES 1.')])(
    'an error never quotes the text it was given',
    (marker, prefix) => {
      const result = parseProviderAmount(`${prefix}${marker}`);
      expect(Either.isLeft(result)).toBe(true);
      if (Either.isLeft(result)) {
        expect(result.left.message).not.toContain(marker);
        expect(JSON.stringify({ ...result.left })).not.toContain(marker);
      }
    },
  );
});
