import { Either } from 'effect';
import { currencyOf } from './currency';
import { formatProviderAmount, parseMoney, parseProviderAmount } from './money';

const kes = Either.getOrThrow(currencyOf('KES'));

describe('money', () => {
  it('parses a provider amount exactly', () => {
    const parsed = Either.getOrThrow(parseProviderAmount('KES 100.0000'));
    expect(parsed.amountMinor).toBe(10000n);
    expect(parsed.currency).toBe(kes);
    expect(formatProviderAmount(parsed, 4)).toBe('KES 100.0000');
  });
  it('refuses a digit past the exponent', () => {
    expect(Either.isLeft(parseMoney('1.005', kes))).toBe(true);
  });
});
