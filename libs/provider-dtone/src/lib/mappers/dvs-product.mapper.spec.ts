import {
  costAt,
  type FixedProduct,
  formatPrecise,
  money,
  parsePreciseMoney,
  preciseOf,
  type RangedProduct,
  sourceCostOf,
} from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import { Either, Schema } from 'effect';
import { sampleDvsFixedProduct, sampleDvsOperator, sampleDvsRangedProduct } from '../../testing/dvs.fixture';
import { DvsProduct } from '../schemas/dvs-product.schema';
import { mapDvsProduct, productKindOf } from './dvs-product.mapper';

const USD = testCurrency('USD');
const PHP = testCurrency('PHP');

const usd = (text: string) => Either.getOrThrow(parsePreciseMoney(text, USD));

const decode = (json: unknown) => Schema.decodeUnknownSync(DvsProduct)(json);
const mapped = (json: unknown) => Either.getOrThrow(mapDvsProduct(decode(json)));
const failure = (json: unknown) => Either.flip(mapDvsProduct(decode(json))).pipe(Either.getOrThrow);

describe('DVS product schema', () => {
  it('decodes the reference shape, ignoring fields it does not know and accepting nulls', () => {
    const product = decode(sampleDvsFixedProduct());
    expect(product.id).toBe(11001);
    expect(product).not.toHaveProperty('brand_new_field');
    expect(product.regions).toBeNull();
  });

  it('reads ranged amounts and prices given only by unit and fee', () => {
    const product = decode(
      sampleDvsRangedProduct({ prices: { wholesale: { unit_type: 'CURRENCY', unit: 'USD', fee: 0.1 }, retail: null } }),
    );
    expect(product.destination?.amount).toEqual({ min: 10, max: 1000, increment: 0.5 });
    expect(product.prices?.wholesale?.amount).toBeUndefined();
  });
});

describe('DVS product -> domain product', () => {
  it('maps a fixed value recharge with its destination, wholesale price, fee, source and retail price, exactly', () => {
    const result = mapped(sampleDvsFixedProduct());
    expect(result.dvsType).toBe('FIXED_VALUE_RECHARGE');
    expect(result.product).toEqual({
      _tag: 'FixedProduct',
      id: '11001',
      name: 'Globe 100 PHP',
      kind: 'AIRTIME',
      operator: { id: '1597', name: 'Globe Telecom', countryIso: 'PH' },
      destination: money(10000n, PHP),
      wholesale: usd('1.85'),
      fee: usd('0.05'),
    });
    expect(result.pricing).toEqual({
      destination: money(10000n, PHP),
      wholesale: usd('1.85'),
      wholesaleFee: usd('0.05'),
      source: usd('1.95'),
      retail: usd('2.10'),
      retailFee: preciseOf(money(0n, USD)),
    });
    expect(result.requirements.creditPartyIdentifier).toEqual([['mobile_number']]);
    expect(result.requirements.sender).toEqual([]);
  });

  it('maps a ranged value recharge to a range on its increment grid, priced through rates.wholesale', () => {
    const result = mapped(sampleDvsRangedProduct());
    const product = result.product as RangedProduct;
    expect(product._tag).toBe('RangedProduct');
    expect(product.destinationMin).toEqual(money(1000n, PHP));
    expect(product.destinationMax).toEqual(money(100000n, PHP));
    expect(product.stepMinor).toBe(50n);
    expect(product.fee).toEqual(usd('0.10'));
    expect(product.rate).toMatchObject({ source: USD, destination: PHP, numerator: 113n, denominator: 2n });
    // 1000 PHP at 56.5 PHP per USD: 17.699... USD, rounded up
    expect(sourceCostOf(product.rate, 100000n)).toEqual(money(1770n, USD));
    expect(costAt(product, 0n)).toEqual(money(28n, USD));
    expect(result.pricing.source).toEqual({ min: usd('0.18'), max: usd('17.70') });
    expect(result.pricing.wholesale).toEqual({ min: usd('0.18'), max: usd('17.70') });
  });

  it('uses one minor unit as the step when DVS gives no increment, and the implied rate when no rates', () => {
    const product = mapped(
      sampleDvsRangedProduct({
        destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: { min: 10, max: 1000 } },
        rates: null,
      }),
    ).product as RangedProduct;
    expect(product.stepMinor).toBe(1n);
    // 1000 PHP for 17.70 USD
    expect(product.rate).toMatchObject({ numerator: 10000n, denominator: 177n });
  });

  it('knows airtime, bundles and data by subservice, else by benefits', () => {
    expect(productKindOf({ service: { id: 1, subservice: { id: 13, name: 'Data' } } })).toBe('DATA');
    expect(productKindOf({ service: { id: 1, subservice: { id: 12, name: 'Bundle' } } })).toBe('BUNDLE');
    expect(productKindOf({ service: { id: 1, subservice: { id: 99, name: 'Mobile Data Plus' } } })).toBe('DATA');
    expect(productKindOf({ benefits: [{ type: 'DATA' }] })).toBe('DATA');
    expect(productKindOf({ benefits: [{ type: 'DATA' }, { type: 'SMS' }] })).toBe('BUNDLE');
    expect(productKindOf({ benefits: [{ type: 'TALKTIME' }] })).toBe('AIRTIME');
  });

  it('refuses what it cannot map exactly, saying why', () => {
    expect(
      failure(sampleDvsFixedProduct({ destination: { unit_type: 'DATA', unit: 'GB', amount: 1 } })).reason,
    ).toMatch(/destination.unit is not in a currency/);
    expect(
      failure(sampleDvsFixedProduct({ destination: { unit_type: 'CURRENCY', unit: 'XYZ', amount: 1 } })).reason,
    ).toMatch(/destination.unit is not a known currency/);
    expect(
      failure(sampleDvsFixedProduct({ destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 1.005 } })).reason,
    ).toMatch(/destination.amount/);
    expect(failure(sampleDvsFixedProduct({ prices: { wholesale: null } })).reason).toMatch(
      /prices.wholesale is missing/,
    );
    const global = failure(
      sampleDvsFixedProduct({ operator: { id: 1, name: 'Global', country: { iso_code: 'GXX' } } }),
    );
    expect(global.reason).toMatch(/operator.country.iso_code is not a country/);
    expect(global.reason).not.toMatch(/GXX/);
    expect(
      failure(sampleDvsRangedProduct({ destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 10 } })).reason,
    ).toMatch(/single destination/);
    expect(
      failure(
        sampleDvsRangedProduct({ rates: null, prices: { wholesale: { unit_type: 'CURRENCY', unit: 'USD', fee: 0 } } }),
      ).reason,
    ).toMatch(/neither rates.wholesale nor prices.wholesale.amount/);
  });

  it('names fields and kinds, never the values DVS sent (ids, units, types)', () => {
    const reasons = [
      failure(sampleDvsFixedProduct({ id: 639171234567, destination: { unit_type: 'X', unit: 'Y', amount: 1 } })),
      failure(
        sampleDvsFixedProduct({
          id: 639171234567,
          destination: { unit_type: 'CURRENCY', unit: '639171234567', amount: 1 },
        }),
      ),
      failure(
        sampleDvsRangedProduct({
          id: 639171234567,
          type: 'RANGED_VALUE_639171234567',
          destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 10 },
        }),
      ),
    ].map((error) => error.message);
    for (const reason of reasons) expect(reason).not.toContain('639171234567');
  });
});

describe('DVS product prices as DT One writes them (more decimals than the currency has)', () => {
  const precisePrices = sampleDvsFixedProduct({
    source: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.953 },
    prices: {
      wholesale: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.857, fee: 0.0125 },
      retail: { unit_type: 'CURRENCY', unit: 'USD', amount: 2.105, fee: 0 },
    },
  });

  it('keeps retail 2.105, wholesale 1.857, fee 0.0125 and source 1.953 exactly, and charges 1.8695 as 1.87', () => {
    const result = mapped(precisePrices);
    const product = result.product as FixedProduct;
    expect(formatPrecise(product.wholesale)).toBe('1.857');
    expect(formatPrecise(product.fee)).toBe('0.0125');
    expect(result.pricing.retail).toEqual(usd('2.105'));
    expect(result.pricing.source).toEqual(usd('1.953'));
    expect(costAt(product, 0n)).toEqual(money(187n, USD));
  });

  it('keeps a price range minimum of 10.005 exactly', () => {
    const result = mapped(
      sampleDvsRangedProduct({
        prices: {
          wholesale: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 10.005, max: 17.7 }, fee: 0.1 },
          retail: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 10.005, max: 20 }, fee: 0 },
        },
      }),
    );
    expect(result.pricing.wholesale).toEqual({ min: usd('10.005'), max: usd('17.70') });
    expect(result.pricing.retail).toEqual({ min: usd('10.005'), max: usd('20.00') });
  });

  it('accepts nulls in optional nested fields (validity quantity, region code, subservice name, benefit type)', () => {
    const product = mapped(
      sampleDvsFixedProduct({
        validity: { unit: 'DAY', quantity: null },
        regions: [{ name: 'Luzon', code: null }],
        operator: sampleDvsOperator({ regions: [{ name: 'Luzon', code: null }] }),
        service: { id: 1, name: 'Mobile', subservice: { id: 11, name: null } },
        benefits: [{ type: null, unit_type: null, unit: null, amount: null }],
      }),
    );
    expect(product.product.id).toBe('11001');
    expect(product.product.kind).toBe('AIRTIME');
  });
});
