import { type Product } from '@airtime/domain';
import { arbitraryCatalogue, arbitraryCurrency, testCurrency } from '@airtime/domain/testing';
import { Either, Schema } from 'effect';
import fc from 'fast-check';
import { decodeStored, encodeStored } from './codec-support';
import { BigIntFromDecimal, CurrencyFromCode, MoneyFromJson } from './money.codec';
import { ProductFromJson, type ProductJson } from './product.codec';

const encode = encodeStored(ProductFromJson);
const decode = decodeStored(ProductFromJson);
const viaJson = (product: Product) =>
  decode(JSON.parse(JSON.stringify(Either.getOrThrow(encode(product, 'product')))), 'product');
const reasonOf = <A>(result: Either.Either<A, { reason: string }>) =>
  Either.isLeft(result) ? result.left.reason : 'decoded';

const fixedJson: ProductJson = {
  _tag: 'FixedProduct',
  id: '42',
  name: 'Smart 100',
  kind: 'AIRTIME',
  operator: { id: '7', name: 'Smart', countryIso: 'PH' },
  fee: { amount: '0.10', currency: 'USD' },
  destination: { amountMinor: '10000', currency: 'PHP' },
  wholesale: { amount: '1.90', currency: 'USD' },
};

describe('product codec', () => {
  it('gives back every product exactly through JSON text', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(arbitraryCurrency(), arbitraryCurrency(), arbitraryCurrency())
          .chain(([d, s1, s2]) => arbitraryCatalogue(d, [s1, s2])),
        (catalogue) => {
          for (const product of catalogue)
            expect(Either.getOrThrow(viaJson(product))).toStrictEqual(structuredClone(product));
        },
      ),
    );
  });

  it('writes amounts as decimal strings and currencies as codes, beyond 2^53 too', () => {
    const big = Either.getOrThrow(
      Schema.decodeUnknownEither(ProductFromJson)({
        ...fixedJson,
        wholesale: { amount: '900719925474099.31', currency: 'USD' },
      }),
    );
    expect(big._tag === 'FixedProduct' && big.wholesale.units).toBe(90071992547409931n);
    expect(Either.getOrThrow(encode(big, 'product'))).toMatchObject({
      wholesale: { amount: '900719925474099.31', currency: 'USD' },
    });
  });

  it('keeps DVS prices at their own precision, as plain decimal strings', () => {
    const dvsPriced = {
      ...fixedJson,
      wholesale: { amount: '1.857', currency: 'USD' },
      fee: { amount: '0.0125', currency: 'USD' },
    };
    const product = Either.getOrThrow(decode(dvsPriced, 'product 42'));
    expect(product._tag === 'FixedProduct' && product.wholesale).toMatchObject({ units: 1857n, scale: 3 });
    expect(Either.getOrThrow(encode(product, 'product 42'))).toMatchObject({
      wholesale: { amount: '1.857', currency: 'USD' },
      fee: { amount: '0.0125', currency: 'USD' },
    });
    for (const amount of ['1.857e0', ' 1.857', '1,857', '01.8', '.5', '']) {
      expect(reasonOf(decode({ ...fixedJson, wholesale: { amount, currency: 'USD' } }, 'product 42'))).toMatch(
        /wholesale /,
      );
    }
  });

  it('re-resolves currencies by code and refuses unknown ones or a wrong exponent', () => {
    expect(Schema.decodeUnknownSync(CurrencyFromCode)('BHD')).toEqual({ code: 'BHD', exponent: 3 });
    expect(reasonOf(decode({ ...fixedJson, fee: { amount: '0.10', currency: 'XXY' } }, 'product 42'))).toMatch(
      /^product 42 does not decode: fee\.currency is not a known ISO 4217 currency code/,
    );
    const wrongExponent = { ...testCurrency('USD'), exponent: 3 };
    expect(reasonOf(encodeStored(MoneyFromJson)({ amountMinor: 1n, currency: wrongExponent }, 'fee'))).toMatch(
      /currency has another exponent than ISO 4217 gives the currency/,
    );
  });

  it('refuses amounts that are not plain decimal integers', () => {
    for (const text of ['1e3', ' 12', '0x10', '1.0', '', '01', '+1']) {
      expect(Either.isLeft(Schema.decodeUnknownEither(BigIntFromDecimal)(text))).toBe(true);
    }
    expect(
      reasonOf(decode({ ...fixedJson, destination: { amountMinor: 10000, currency: 'PHP' } }, 'product 42')),
    ).toMatch(/destination\.amountMinor /);
  });

  it("refuses a product that breaks the domain's product rules, with the rule", () => {
    expect(reasonOf(decode({ ...fixedJson, wholesale: { amount: '0', currency: 'USD' } }, 'product 42'))).toMatch(
      /wholesale price must be positive/,
    );
    expect(reasonOf(decode({ ...fixedJson, fee: { amount: '0.10', currency: 'EUR' } }, 'product 42'))).toMatch(
      /fee and wholesale price differ in currency/,
    );
    expect(reasonOf(decode({ ...fixedJson, _tag: 'SomethingElse' }, 'product 42'))).toMatch(/_tag/);
    expect(reasonOf(decode('not a product', 'product 42'))).toMatch(/^product 42 does not decode/);
  });

  it('does not write a product it could not read back', () => {
    const decoded = Either.getOrThrow(decode(fixedJson, 'product 42'));
    const broken = { ...decoded, wholesale: { units: 0n, scale: 2, currency: testCurrency('USD') } } as Product;
    expect(reasonOf(encode(broken, 'product 42'))).toMatch(
      /^product 42 cannot be stored exactly: .*wholesale price must be positive/,
    );
  });
});
