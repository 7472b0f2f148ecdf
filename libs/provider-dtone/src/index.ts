// provider-dtone: the DT One DVS adapter of the AirtimeProvider port.

// Configuration
export {
  type DvsConfig,
  InvalidDvsConfig,
  dvsConfigFrom,
  DVS_PRODUCTION_URL,
  DVS_PREPRODUCTION_URL,
  DEFAULT_DVS_TIMEOUT_MS,
  DEFAULT_DVS_PRODUCT_CACHE_TTL_MS,
  DEFAULT_DVS_MAX_RETRIES_ON_429,
  DTONE_PROVIDER_ID,
} from './lib/config/dvs.config';

// The provider (port adapter) and its layers
export {
  type DtOneProvider,
  type DtOneProviderOptions,
  DEFAULT_PORT_PRODUCT_TYPES,
  makeDtOneProvider,
  productsQueryOf,
  dtOneProviderLayer,
  dtOneProviderLayerFromEnv,
  DUPLICATE_AT_PROVIDER_WARNING,
} from './lib/provider/dtone.adapter';
export { answeredAmongDuplicates, duplicateRankOf } from './lib/provider/duplicate-transactions.policy';
export {
  type DtOneTransactionListOptions,
  makeDtOneTransactionList,
} from './lib/provider/dtone-transaction-list.adapter';
export { DVS_MAX_LIST_WINDOW_MS, splitWindow, isInWindow } from './lib/provider/transaction-window';

// The DVS client: every endpoint, typed
export {
  type DvsClient,
  type DvsClientOptions,
  type DvsListOptions,
  makeDvsClient,
  transactionBody,
} from './lib/client/dvs.client';
export type {
  DvsServicesQuery,
  DvsCountriesQuery,
  DvsOperatorsQuery,
  DvsPromotionsQuery,
  DvsCampaignsQuery,
  DvsProductsQuery,
  DvsTransactionsQuery,
  DvsBalancesQuery,
  DvsCalculation,
  DvsPartyIdentifierInput,
  DvsPartyInput,
  DvsStatementIdentifierInput,
  DvsAdditionalIdentifierInput,
  DvsTransactionInput,
  DvsTransactionMode,
  DvsWriteOptions,
  DvsReadOptions,
} from './lib/client/dvs-client.input';

// HTTP layer (DVS's request shape and read retries on the one transport of @airtime/provider-http-kit)
export {
  type DvsHttpClient,
  type DvsHttpOptions,
  type DvsHttpSettings,
  type DvsRequest,
  type DvsResponse,
  type DvsQuery,
  type DvsQueryValue,
  DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
  makeDvsHttpClient,
} from './lib/http/dvs-http.client';
export {
  DVS_ERROR_CODES,
  type DvsErrorCodeEntry,
  type DvsErrorOutcome,
  type DvsCodeImplication,
  type DvsFailureContext,
  type DvsApiError,
  dvsErrorCodeEntry,
  dvsCodeImplies,
  dvsErrorsOf,
  providerErrorOf,
} from './lib/http/dvs-errors.table';
export {
  type HeaderSource,
  type PageInfo,
  type FetchedPage,
  type PageRead,
  type FollowOptions,
  DVS_MAX_PER_PAGE,
  pageInfoOf,
  nextPageOf,
  followPages,
} from './lib/http/pagination-follower';
export { JsonDecimal, type JsonValue, encodeJson, jsonDecimalOf } from './lib/http/dvs-json.codec';

// Schemas of the DVS JSON objects
export {
  DvsRegion,
  DvsCountry,
  DvsOperator,
  DvsSubservice,
  DvsAmountRange,
  DvsValue,
  DvsFixedValue,
  DvsPrice,
  DvsPrices,
  DvsRates,
  DvsBenefit,
  DvsPromotionSummary,
  DvsRequiredFields,
  DvsPartyIdentifier,
  DvsParty,
} from './lib/schemas/dvs-common.schema';
export {
  DvsService,
  DvsBenefitType,
  DvsProductSummary,
  DvsPromotion,
  DvsCampaign,
  DvsLookupOperator,
} from './lib/schemas/dvs-discovery.schema';
export {
  DvsProduct,
  DvsProductService,
  DVS_PRODUCT_TYPES,
  type DvsProductType,
  DVS_BENEFIT_TYPES,
  type DvsBenefitTypeName,
} from './lib/schemas/dvs-product.schema';
export { DvsTransaction, DvsTransactionStatus } from './lib/schemas/dvs-transaction.schema';
export { DvsBalance, DvsBalanceFields } from './lib/schemas/dvs-balance.schema';
export { DvsErrorBody } from './lib/schemas/dvs-error.schema';

// Mappers
export {
  type MoneyRange,
  type MoneyOrRange,
  type PriceRange,
  type PriceOrRange,
  type DvsProductPricing,
  type DvsProductRequirements,
  type MappedDvsProduct,
  MOBILE_SERVICE_ID,
  SUBSERVICE_OF_KIND,
  isMoneyRange,
  isPriceRange,
  productKindOf,
  mapDvsProduct,
} from './lib/mappers/dvs-product.mapper';
export {
  type DeliveredFields,
  statusOfDvs,
  deliveredFieldsOf,
  receivedValueOf,
  mapDvsTransaction,
  callbackOfDvs,
  createdAtOfDvs,
  chargedOfDvs,
} from './lib/mappers/dvs-transaction.mapper';
export { balancesOfDvs } from './lib/mappers/dvs-balance.mapper';
export { operatorOf, operatorMatchOf } from './lib/mappers/dvs-operator.mapper';
export { alpha2Of, alpha3Of } from './lib/mappers/country-code.table';

// Product cache
export { type ProductCatalogueCache, makeProductCatalogueCache } from './lib/provider/product-catalogue-cache';

// Transfer log: the kit's one record type
export type { TransferLogRecord } from '@airtime/provider-http-kit';
