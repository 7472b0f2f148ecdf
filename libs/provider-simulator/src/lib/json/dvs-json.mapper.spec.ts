import { currencyOf, money } from '@airtime/domain';
import { Either } from 'effect';
import { DEFAULT_CATALOGUE } from '../engine/catalogue.fixture';
import { productById } from '../engine/catalogue.queries';
import { jsonAmount, productJson } from './dvs-json.mapper';

const currency = (code: string) => Either.getOrThrow(currencyOf(code));

describe('DVS JSON mapping', () => {
  it.each([
    [1n, 'USD', '0.01'],
    [10n, 'USD', '0.1'],
    [1_999n, 'USD', '19.99'],
    [123_456_789_012_345n, 'USD', '1234567890123.45'],
    [5n, 'JPY', '5'],
    [1_234n, 'KWD', '1.234'],
    [-250n, 'USD', '-2.5'],
  ])('%s minor %s is written as exactly %s', (minor, code, text) => {
    expect(JSON.stringify(jsonAmount(money(minor, currency(code))))).toBe(text);
  });

  it('refuses an amount a JSON number cannot carry exactly', () => {
    expect(() => jsonAmount(money(2n ** 52n, currency('USD')))).toThrow(RangeError);
  });

  it('a fixed product has the amounts, prices and rates of the reference shape', () => {
    const product = productById(DEFAULT_CATALOGUE, 103);
    if (!product) throw new Error('no product 103');
    expect(productJson(DEFAULT_CATALOGUE, product)).toMatchObject({
      id: 103,
      type: 'FIXED_VALUE_RECHARGE',
      operator: { id: 1, name: 'Globe Telecom', country: { iso_code: 'PHL', name: 'Philippines' } },
      service: { id: 1, subservice: { id: 11 } },
      source: { unit_type: 'CURRENCY', unit: 'USD', amount: 0.46 },
      destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 25 },
      prices: { wholesale: { unit: 'USD', amount: 0.46, fee: 0 }, retail: { unit: 'USD', amount: 0.51, fee: 0 } },
      required_credit_party_identifier_fields: [['mobile_number']],
    });
  });

  it('a ranged product has min, max and increment', () => {
    const product = productById(DEFAULT_CATALOGUE, 401);
    if (!product) throw new Error('no product 401');
    expect(productJson(DEFAULT_CATALOGUE, product)).toMatchObject({
      type: 'RANGED_VALUE_RECHARGE',
      destination: { unit: 'KES', amount: { min: 10, max: 5000, increment: 5 } },
      source: { unit: 'USD', amount: { min: 0.08, max: 39.22 } },
      rates: { base: 129.5, wholesale: 127.5, retail: 124 },
    });
  });
});
