// The operators found for a number, and their products, as the API shows them.
import type { OperatorProducts } from '@airtime/application';
import type { OperatorMatch } from '@airtime/domain';
import type { LookupView, ProductsView } from './catalogue-view.schema';
import { productView } from './top-up-view.mapper';

const operatorOf = (match: { readonly operator: OperatorMatch['operator'] }) => ({
  id: match.operator.id,
  name: match.operator.name,
  country_iso: match.operator.countryIso,
});

export const lookupView = (matches: readonly OperatorMatch[]): LookupView => ({
  operators: matches.map((match) => ({ operator: operatorOf(match), identified: match.identified })),
});

export const productsView = (found: readonly OperatorProducts[]): ProductsView => ({
  operators: found.map((entry) => ({
    operator: operatorOf(entry),
    identified: entry.identified,
    products: entry.products.map(productView),
  })),
});
