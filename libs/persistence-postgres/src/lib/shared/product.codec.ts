// Products as exact JSON (the product cache and every stored quote use it).
// A product goes through the domain's own constructor both ways: one that
// breaks the product rules is neither stored nor, if found stored, used.
import {
  type FixedProduct,
  makeFixedProduct,
  makeRangedProduct,
  type Operator,
  type Product,
  type RangedProduct,
} from '@airtime/domain';
import { Either, Schema } from 'effect';
import { fromDomain } from './codec-support';
import { ExchangeRateFromJson, MoneyFromJson, PositiveBigIntFromDecimal, PreciseMoneyFromJson } from './money.codec';

export const OperatorFromJson: Schema.Schema<Operator> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  countryIso: Schema.String,
});

const ProductKindJson = Schema.Literal('AIRTIME', 'DATA', 'BUNDLE');

const base = {
  id: Schema.String,
  name: Schema.String,
  kind: ProductKindJson,
  operator: OperatorFromJson,
  fee: PreciseMoneyFromJson,
};

const FixedProductFields = Schema.Struct({
  _tag: Schema.Literal('FixedProduct'),
  ...base,
  destination: MoneyFromJson,
  wholesale: PreciseMoneyFromJson,
});

const RangedProductFields = Schema.Struct({
  _tag: Schema.Literal('RangedProduct'),
  ...base,
  destinationMin: MoneyFromJson,
  destinationMax: MoneyFromJson,
  stepMinor: PositiveBigIntFromDecimal,
  rate: ExchangeRateFromJson,
});

const isTagged =
  <A extends Product>(tag: A['_tag']) =>
  (input: unknown): input is A =>
    typeof input === 'object' && input !== null && (input as Product)._tag === tag;

const FixedProductFromJson = Schema.transformOrFail(
  FixedProductFields,
  Schema.declare(isTagged<FixedProduct>('FixedProduct'), { identifier: 'FixedProduct' }),
  {
    strict: true,
    decode: ({ _tag, ...fields }, _, ast) => fromDomain(makeFixedProduct(fields), ast, fields, (error) => error.reason),
    // what could not be read back is not written
    encode: ({ _tag, ...fields }, _, ast) =>
      Either.map(
        fromDomain(makeFixedProduct(fields), ast, fields, (error) => error.reason),
        () => ({ _tag, ...fields }),
      ),
  },
);

const RangedProductFromJson = Schema.transformOrFail(
  RangedProductFields,
  Schema.declare(isTagged<RangedProduct>('RangedProduct'), { identifier: 'RangedProduct' }),
  {
    strict: true,
    decode: ({ _tag, ...fields }, _, ast) =>
      fromDomain(makeRangedProduct(fields), ast, fields, (error) => error.reason),
    encode: ({ _tag, ...fields }, _, ast) =>
      Either.map(
        fromDomain(makeRangedProduct(fields), ast, fields, (error) => error.reason),
        () => ({ _tag, ...fields }),
      ),
  },
);

/** A fixed or ranged product, told apart by `_tag`; a ranged one keeps its rate as an exact fraction. */
export const ProductFromJson: Schema.Schema<
  Product,
  Schema.Schema.Encoded<typeof FixedProductFields> | Schema.Schema.Encoded<typeof RangedProductFields>
> = Schema.Union(FixedProductFromJson, RangedProductFromJson);

export type ProductJson = Schema.Schema.Encoded<typeof ProductFromJson>;
