// The JSON shape of the operators found for a number, and of their products.
import { Schema } from 'effect';
import { OperatorView, ProductView } from './top-up-view.schema';

/** An operator the provider found for the number; `identified` when the provider identified it (not a guess). */
export const OperatorMatchView = Schema.Struct({
  operator: OperatorView,
  identified: Schema.Boolean,
}).annotations({ identifier: 'OperatorMatch' });
export type OperatorMatchView = typeof OperatorMatchView.Type;

export const LookupView = Schema.Struct({
  operators: Schema.Array(OperatorMatchView),
}).annotations({ identifier: 'Lookup' });
export type LookupView = typeof LookupView.Type;

export const OperatorProductsView = Schema.Struct({
  operator: OperatorView,
  identified: Schema.Boolean,
  products: Schema.Array(ProductView),
}).annotations({ identifier: 'OperatorProducts' });
export type OperatorProductsView = typeof OperatorProductsView.Type;

export const ProductsView = Schema.Struct({
  operators: Schema.Array(OperatorProductsView),
}).annotations({ identifier: 'Products' });
export type ProductsView = typeof ProductsView.Type;
