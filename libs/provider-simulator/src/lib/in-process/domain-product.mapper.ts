// The simulator's catalogue records as domain operators and products.
import {
  type InvalidProduct,
  makeFixedProduct,
  makeRangedProduct,
  type Operator,
  preciseOf,
  type Product,
  type ProductKind,
} from '@airtime/domain';
import type { Either } from 'effect';
import { countryByIso, operatorById } from '../engine/catalogue.queries';
import type { Catalogue, SimOperator, SimProduct } from '../engine/catalogue.types';

const SUBSERVICE_KINDS: Readonly<Record<number, ProductKind>> = { 11: 'AIRTIME', 12: 'BUNDLE', 13: 'DATA' };

export const KIND_SUBSERVICES: Readonly<Record<ProductKind, number>> = { AIRTIME: 11, BUNDLE: 12, DATA: 13 };

export const toDomainOperator = (catalogue: Catalogue, operator: SimOperator): Operator => ({
  id: String(operator.id),
  name: operator.name,
  countryIso: countryByIso(catalogue, operator.countryIso)?.isoAlpha2 ?? operator.countryIso,
});

export const toDomainProduct = (catalogue: Catalogue, product: SimProduct): Either.Either<Product, InvalidProduct> => {
  const simOperator = operatorById(catalogue, product.operatorId);
  const operator: Operator = simOperator
    ? toDomainOperator(catalogue, simOperator)
    : { id: String(product.operatorId), name: String(product.operatorId), countryIso: '' };
  const common = {
    id: String(product.id),
    name: product.name,
    kind: SUBSERVICE_KINDS[product.subserviceId] ?? 'AIRTIME',
    operator,
    fee: preciseOf(product.wholesaleFee),
  };
  return product.kind === 'FIXED'
    ? makeFixedProduct({ ...common, destination: product.destination, wholesale: preciseOf(product.wholesale) })
    : makeRangedProduct({
        ...common,
        destinationMin: product.destinationMin,
        destinationMax: product.destinationMax,
        stepMinor: product.stepMinor,
        rate: product.wholesaleRate,
      });
};
