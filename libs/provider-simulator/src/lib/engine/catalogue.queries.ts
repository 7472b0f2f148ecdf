import {
  BENEFIT_TYPES,
  type BenefitType,
  type Catalogue,
  type ProductType,
  type SimCampaign,
  type SimCountry,
  type SimOperator,
  type SimProduct,
  type SimPromotion,
  type SimRegion,
} from './catalogue.types';

/** The product filters of GET /v1/products. */
export interface ProductQuery {
  readonly type?: ProductType | undefined;
  readonly serviceId?: number | undefined;
  readonly subserviceId?: number | undefined;
  /** Alpha-3 country code. */
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  /** A country (alpha-3 or alpha-2) or one of its regions (ISO 3166-2, "KE-30") the product covers. */
  readonly region?: string | undefined;
  /** A product matches when it has at least one of these benefit types. */
  readonly benefitTypes?: readonly BenefitType[] | undefined;
  /** A product matches when it has every one of these tags. */
  readonly tags?: readonly string[] | undefined;
}

export const operatorById = (catalogue: Catalogue, id: number): SimOperator | undefined =>
  catalogue.operators.find((operator) => operator.id === id);

export const countryByIso = (catalogue: Catalogue, isoCode: string): SimCountry | undefined =>
  catalogue.countries.find((country) => country.isoCode === isoCode);

export const countryByAlpha2 = (catalogue: Catalogue, alpha2: string): SimCountry | undefined =>
  catalogue.countries.find((country) => country.isoAlpha2 === alpha2.toUpperCase());

export const productById = (catalogue: Catalogue, id: number): SimProduct | undefined =>
  catalogue.products.find((product) => product.id === id);

/** The regions an operator covers: its `regionCodes` among its country's regions, else all of them. */
export const operatorRegions = (catalogue: Catalogue, operator: SimOperator): readonly SimRegion[] => {
  const regions = countryByIso(catalogue, operator.countryIso)?.regions ?? [];
  const codes = operator.regionCodes;
  return codes === undefined ? regions : regions.filter((region) => codes.includes(region.code));
};

const coversRegion = (catalogue: Catalogue, operator: SimOperator | undefined, region: string): boolean => {
  if (!operator) return false;
  const country = countryByIso(catalogue, operator.countryIso);
  if (region === operator.countryIso || region === country?.isoAlpha2) return true;
  return operatorRegions(catalogue, operator).some((candidate) => candidate.code === region);
};

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
    if (query.region !== undefined && !coversRegion(catalogue, operator, query.region)) return false;
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
  query: {
    readonly countryIsoCode?: string | undefined;
    readonly serviceId?: number | undefined;
    readonly subserviceId?: number | undefined;
  },
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
  query: { readonly serviceId?: number | undefined; readonly subserviceId?: number | undefined },
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

/** The benefit types of the account's products, in the reference's order (`GET /benefit-types`). */
export const benefitTypesOf = (catalogue: Catalogue): readonly BenefitType[] =>
  BENEFIT_TYPES.filter((type) =>
    catalogue.products.some((product) => product.benefits.some((benefit) => benefit.type === type)),
  );

/** The filters of `GET /promotions` and `GET /campaigns`. */
export interface OfferQuery {
  /** Alpha-3 country code. */
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  readonly productId?: number | undefined;
}

/** Whether one of `productIds` passes the query's operator, country and product filters. */
const offersMatch = (catalogue: Catalogue, productIds: readonly number[], query: OfferQuery): boolean =>
  productIds.some((id) => {
    const product = productById(catalogue, id);
    if (!product) return false;
    if (query.productId !== undefined && id !== query.productId) return false;
    if (query.operatorId !== undefined && product.operatorId !== query.operatorId) return false;
    return query.countryIsoCode === undefined || countryOfProduct(catalogue, product)?.isoCode === query.countryIsoCode;
  });

export const promotionById = (catalogue: Catalogue, id: number): SimPromotion | undefined =>
  catalogue.promotions?.find((promotion) => promotion.id === id);

export const campaignById = (catalogue: Catalogue, id: number): SimCampaign | undefined =>
  catalogue.campaigns?.find((campaign) => campaign.id === id);

export const filterPromotions = (catalogue: Catalogue, query: OfferQuery): readonly SimPromotion[] =>
  (catalogue.promotions ?? []).filter((promotion) => offersMatch(catalogue, promotion.productIds, query));

export const filterCampaigns = (catalogue: Catalogue, query: OfferQuery): readonly SimCampaign[] =>
  (catalogue.campaigns ?? []).filter((campaign) => offersMatch(catalogue, campaign.productIds, query));

/** The promotions that name `product`. */
export const promotionsOfProduct = (catalogue: Catalogue, product: SimProduct): readonly SimPromotion[] =>
  (catalogue.promotions ?? []).filter((promotion) => promotion.productIds.includes(product.id));
