import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Either } from 'effect';
import fc from 'fast-check';
import { checkCurrency, CODES_WITHOUT_MINOR_UNIT, currencyOf, knownCurrencies } from './currency';
import { parseProviderAmount } from './money';

/** ISO 4217 list one as `currency-codes` ships it: code -> minor units ("2", "0", "N.A."). */
const isoMinorUnits = (): ReadonlyMap<string, string> => {
  const xml = readFileSync(join(dirname(require.resolve('currency-codes')), 'iso-4217-list-one.xml'), 'utf8');
  const entries = [...xml.matchAll(/<Ccy>([A-Z]{3})<\/Ccy>[\s\S]*?<CcyMnrUnts>([^<]*)<\/CcyMnrUnts>/g)];
  return new Map(entries.map(([, code = '', units = '']) => [code, units]));
};

const NO_MINOR_UNIT = ['XXX', 'XTS', 'XAU', 'XAG', 'XDR', 'XBA', 'XBB', 'XBC', 'XBD', 'XPD', 'XPT', 'XSU', 'XUA'];

describe('only real money currencies', () => {
  it.each(NO_MINOR_UNIT)('refuses %s, which ISO 4217 gives no minor unit', (code) => {
    const looked = currencyOf(code);
    expect(Either.isLeft(looked) && looked.left).toMatchObject({ _tag: 'UnknownCurrency', currencyCode: code });
    const parsed = parseProviderAmount(`${code} 1`);
    expect(Either.isLeft(parsed) && parsed.left._tag).toBe('UnknownCurrency');
  });

  it('excludes exactly the codes whose minor unit ISO 4217 lists as N.A.', () => {
    const iso = isoMinorUnits();
    const notApplicable = [...iso].filter(([, units]) => units === 'N.A.').map(([code]) => code);
    expect([...notApplicable].sort()).toEqual([...CODES_WITHOUT_MINOR_UNIT].sort());
    expect([...CODES_WITHOUT_MINOR_UNIT].sort()).toEqual([...NO_MINOR_UNIT].sort());
    for (const currency of knownCurrencies()) {
      expect({ code: currency.code, units: iso.get(currency.code) }).toEqual({
        code: currency.code,
        units: String(currency.exponent),
      });
    }
  });

  it('keeps the real exponent-0 and other currencies', () => {
    for (const code of ['JPY', 'XAF', 'XOF', 'XPF', 'KES', 'BHD', 'USD', 'XCD']) {
      expect(Either.isRight(currencyOf(code))).toBe(true);
    }
  });

  it('names a refused code only when it is three capital letters', () => {
    for (const text of ['254711000111', 'kes', 'KES ', 'a secret value', '']) {
      const looked = currencyOf(text);
      expect(Either.isLeft(looked) && looked.left.currencyCode).toBe('(not a code)');
      expect(Either.isLeft(looked) && text.length > 0 && looked.left.message.includes(text)).toBe(false);
    }
  });

  it('never quotes the code in its message (it becomes a dead-letter reason), only in currencyCode', () => {
    const looked = currencyOf('XYZ');
    expect(Either.isLeft(looked) && looked.left).toMatchObject({
      currencyCode: 'XYZ',
      message: 'unknown currency: not an ISO 4217 code with a known number of minor units',
    });
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{3}$/), (code) => {
        for (const refused of [currencyOf(code), checkCurrency({ code, exponent: 0.5 })]) {
          // The same words whatever the code: nothing of it reaches the message.
          if (Either.isLeft(refused))
            expect(refused.left.message).toBe(currencyOf('QQQ').pipe(Either.flip, Either.getOrThrow).message);
        }
      }),
    );
  });
});
