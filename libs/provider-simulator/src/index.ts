// provider-simulator: the DT One DVS sandbox, in-process and over HTTP.

// Engine (no HTTP)
export {
  SimulatorEngine,
  type SimulatorEngineOptions,
  type TransactionQuery,
  type TransactionListener,
} from './lib/engine/simulator-engine';
export {
  SimulationScheduler,
  realTimer,
  type SimulatorTimer,
  type SchedulerOptions,
} from './lib/engine/simulation-scheduler';
export {
  sandboxOutcome,
  duringOutage,
  DELAY_CLASS_MS,
  type SandboxOutcome,
  type DelayClass,
} from './lib/engine/sandbox-rules';
export { BalanceLedger, type Balance, type BalanceSeed, type HoldState } from './lib/engine/balance-ledger';
export {
  CallbackDispatcher,
  DEFAULT_CALLBACK_RETRY,
  retryDelayMs,
  type CallbackSender,
  type CallbackRetryPolicy,
  type CallbackAttempt,
  type CallbackOutcome,
} from './lib/engine/callback-dispatcher';
export { NO_FAULTS, FaultsPatch, decodeFaultsPatch, applyFaultsPatch, type Faults } from './lib/engine/faults';
export { DvsError, DVS_ERRORS, dvsError, type DvsErrorCode } from './lib/engine/simulator.errors';
export { CLASS_IDS, dvsStatusOf, statusIdOf, type DvsStatus } from './lib/engine/dvs-status.table';
export {
  paginate,
  paginationHeaders,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  type PageRequest,
  type PageOf,
} from './lib/engine/pagination';
export { seededRandom } from './lib/engine/seeded-random';
export { priceTransaction, chargeOf } from './lib/engine/transaction-pricing';
export {
  type InjectTransactionInput,
  type AmendTransactionInput,
  type SeedAmount,
  holdStateOf,
  seededCharge,
} from './lib/engine/transaction-seeding';
export type {
  CreateTransactionInput,
  CalculationMode,
  RequestedAmount,
  PartyFields,
  SimTransaction,
  TransactionPricing,
  StatusChange,
} from './lib/engine/transaction.types';

// Catalogue
export { DEFAULT_CATALOGUE } from './lib/engine/catalogue.fixture';
export {
  filterProducts,
  filterPromotions,
  filterCampaigns,
  benefitTypesOf,
  operatorRegions,
  lookupMobileNumber,
  type ProductQuery,
  type OfferQuery,
  type LookupMatch,
} from './lib/engine/catalogue.queries';
export { isPinPurchase } from './lib/engine/catalogue.types';
export type {
  Catalogue,
  SimService,
  SimSubservice,
  SimCountry,
  SimOperator,
  SimProduct,
  SimFixedProduct,
  SimRangedProduct,
  SimBenefit,
  SimRegion,
  SimPinInfo,
  SimPromotion,
  SimCampaign,
  ValidityUnit,
  ProductType,
  BenefitType,
} from './lib/engine/catalogue.types';

// DVS JSON
export {
  transactionJson,
  productJson,
  operatorJson,
  countryJson,
  serviceJson,
  balanceJson,
  promotionJson,
  campaignJson,
  benefitTypeJson,
  jsonAmount,
  type Json,
} from './lib/json/dvs-json.mapper';

// In-process provider
export {
  makeSimulatorProvider,
  simulatorProviderLayer,
  simulatorProviderLayerFromOptions,
  SIMULATOR_PROVIDER_ID,
  type SimulatorProviderOptions,
} from './lib/in-process/simulator.adapter';
export { toDomainProduct, toDomainOperator } from './lib/in-process/domain-product.mapper';

// HTTP server
export { startSimulatorServer, type SimulatorServer, type SimulatorServerOptions } from './lib/http/simulator.server';
export { fetchCallbackSender } from './lib/http/fetch-callback.client';
