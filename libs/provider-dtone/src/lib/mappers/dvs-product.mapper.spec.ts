import { costAt, money, type RangedProduct, sourceCostOf } from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import { Either, Schema } from 'effect';
import { sampleDvsFixedProduct, sampleDvsRangedProduct } from '../../testing/dvs.samples';
import { DvsProduct } from '../schemas/dvs-product.schema';
import { mapDvsProduct, productKindOf } from './dvs-product.mapper';

const USD = testCurrency('USD');
const PHP = testCurrency('PHP');

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
      wholesale: money(185n, USD),
      fee: money(5n, USD),
    });
    expect(result.pricing).toEqual({
      destination: money(10000n, PHP),
      wholesale: money(185n, USD),
      wholesaleFee: money(5n, USD),
      source: money(195n, USD),
      retail: money(210n, USD),
      retailFee: money(0n, USD),
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
    expect(product.fee).toEqual(money(10n, USD));
    expect(product.rate).toMatchObject({ source: USD, destination: PHP, numerator: 113n, denominator: 2n });
    // 1000 PHP at 56.5 PHP per USD: 17.699... USD, rounded up
    expect(sourceCostOf(product.rate, 100000n)).toEqual(money(1770n, USD));
    expect(costAt(product, 0n)).toEqual(money(28n, USD));
    expect(result.pricing.source).toEqual({ min: money(18n, USD), max: money(1770n, USD) });
    expect(result.pricing.wholesale).toEqual({ min: money(18n, USD), max: money(1770n, USD) });
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
    ).toMatch(/not a currency/);
    expect(
      failure(sampleDvsFixedProduct({ destination: { unit_type: 'CURRENCY', unit: 'XYZ', amount: 1 } })).reason,
    ).toMatch(/unknown currency/);
    expect(
      failure(sampleDvsFixedProduct({ destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 1.005 } })).reason,
    ).toMatch(/destination/);
    expect(failure(sampleDvsFixedProduct({ prices: { wholesale: null } })).reason).toMatch(/no wholesale price/);
    expect(
      failure(sampleDvsFixedProduct({ operator: { id: 1, name: 'Global', country: { iso_code: 'GXX' } } })).reason,
    ).toMatch(/GXX/);
    expect(
      failure(sampleDvsRangedProduct({ destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 10 } })).reason,
    ).toMatch(/single destination/);
    expect(
      failure(
        sampleDvsRangedProduct({ rates: null, prices: { wholesale: { unit_type: 'CURRENCY', unit: 'USD', fee: 0 } } }),
      ).reason,
    ).toMatch(/neither rates.wholesale nor a wholesale amount/);
  });
});
