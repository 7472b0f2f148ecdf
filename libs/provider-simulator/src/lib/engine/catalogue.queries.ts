import type { BenefitType, Catalogue, ProductType, SimCountry, SimOperator, SimProduct } from './catalogue.types';

/** The product filters of GET /v1/products. */
export interface ProductQuery {
  readonly type?: ProductType;
  readonly serviceId?: number;
  readonly subserviceId?: number;
  /** Alpha-3 country code. */
  readonly countryIsoCode?: string;
  readonly operatorId?: number;
  /** Alpha-3 country (no sub-regions are simulated). */
  readonly region?: string;
  /** A product matches when it has at least one of these benefit types. */
  readonly benefitTypes?: readonly BenefitType[];
  /** A product matches when it has every one of these tags. */
  readonly tags?: readonly string[];
}

export const operatorById = (catalogue: Catalogue, id: number): SimOperator | undefined =>
  catalogue.operators.find((operator) => operator.id === id);

export const countryByIso = (catalogue: Catalogue, isoCode: string): SimCountry | undefined =>
  catalogue.countries.find((country) => country.isoCode === isoCode);

export const countryByAlpha2 = (catalogue: Catalogue, alpha2: string): SimCountry | undefined =>
  catalogue.countries.find((country) => country.isoAlpha2 === alpha2.toUpperCase());

export const productById = (catalogue: Catalogue, id: number): SimProduct | undefined =>
  catalogue.products.find((product) => product.id === id);

export const countryOfProduct = (catalogue: Catalogue, product: SimProduct): SimCountry | undefined => {
  const operator = operatorById(catalogue, product.operatorId);
  return operator && countryByIso(catalogue, operator.countryIso);
};

export const filterProducts = (catalogue: Catalogue, query: ProductQuery): readonly SimProduct[] =>
  catalogue.products.filter((product) => {
    const operator = operatorById(catalogue, product.operatorId);
    if (query.type !== undefined && product.type !== query.type) return false;
    if (query.serviceId !== undefined && product.serviceId !== query.serviceId) return false;
    if (query.subserviceId !== undefined && product.subserviceId !== query.subserviceId) return false;
    if (query.operatorId !== undefined && product.operatorId !== query.operatorId) return false;
    if (query.countryIsoCode !== undefined && operator?.countryIso !== query.countryIsoCode) return false;
    if (query.region !== undefined && operator?.countryIso !== query.region) return false;
    if (
      query.benefitTypes !== undefined &&
      !product.benefits.some((benefit) => query.benefitTypes?.includes(benefit.type))
    )
      return false;
    if (query.tags !== undefined && !query.tags.every((tag) => product.tags.includes(tag))) return false;
    return true;
  });

export const filterOperators = (
  catalogue: Catalogue,
  query: { readonly countryIsoCode?: string; readonly serviceId?: number; readonly subserviceId?: number },
): readonly SimOperator[] =>
  catalogue.operators.filter((operator) => {
    if (query.countryIsoCode !== undefined && operator.countryIso !== query.countryIsoCode) return false;
    if (query.serviceId === undefined && query.subserviceId === undefined) return true;
    return catalogue.products.some(
      (product) =>
        product.operatorId === operator.id &&
        (query.serviceId === undefined || product.serviceId === query.serviceId) &&
        (query.subserviceId === undefined || product.subserviceId === query.subserviceId),
    );
  });

export const filterCountries = (
  catalogue: Catalogue,
  query: { readonly serviceId?: number; readonly subserviceId?: number },
): readonly SimCountry[] =>
  catalogue.countries.filter((country) =>
    filterOperators(catalogue, { countryIsoCode: country.isoCode, ...query }).some(() => true),
  );

export interface LookupMatch {
  readonly operator: SimOperator;
  /** True when a number prefix of the operator matched; false for the country's other mobile operators. */
  readonly identified: boolean;
}

/**
 * Resolves a mobile number to operators: the operator with the longest
 * matching prefix is `identified`; a number of a known country that no
 * prefix matches gets every mobile operator of the country, unidentified.
 */
export const lookupMobileNumber = (catalogue: Catalogue, e164: string): readonly LookupMatch[] => {
  let best: { readonly operator: SimOperator; readonly length: number } | undefined;
  for (const operator of catalogue.operators) {
    for (const prefix of operator.numberPrefixes) {
      if (e164.startsWith(prefix) && (!best || prefix.length > best.length)) best = { operator, length: prefix.length };
    }
  }
  if (best) return [{ operator: best.operator, identified: true }];
  const country = catalogue.countries
    .filter((candidate) => e164.startsWith(`+${candidate.callingCode}`))
    .sort((a, b) => b.callingCode.length - a.callingCode.length)[0];
  if (!country) return [];
  return catalogue.operators
    .filter((operator) => operator.countryIso === country.isoCode && operator.numberPrefixes.length > 0)
    .map((operator) => ({ operator, identified: false }));
};
