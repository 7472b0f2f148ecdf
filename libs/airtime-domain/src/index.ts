// The public API of @airtime/domain: the pure airtime model and its ports.

// Errors: one way to declare them, one way to ask whether to retry
export { type Retryability, type TaggedErrorClass, taggedError, isRetryable } from './lib/errors/tagged-error';
export {
  MAX_DESCRIBED_ISSUES,
  decodeNamingField,
  describeParseError,
  ruleViolation,
} from './lib/errors/parse-error.format';

// Money
export {
  type Currency,
  CODES_WITHOUT_MINOR_UNIT,
  currencyOf,
  checkCurrency,
  knownCurrencies,
  sameCurrency,
} from './lib/money/currency';
export {
  type Money,
  money,
  zero,
  parseMoney,
  parseProviderAmount,
  moneyFromJsonNumber,
  formatMoney,
  formatProviderAmount,
  MAX_PROVIDER_FRACTION_DIGITS,
  addMoney,
  subtractMoney,
  compareMoney,
  isPositive,
  moneyEquals,
} from './lib/money/money';
export {
  type ExchangeRate,
  parseExchangeRate,
  impliedRate,
  sourceCostOf,
  formatExchangeRate,
} from './lib/money/exchange-rate';
export {
  type PreciseMoney,
  MAX_PRECISE_SCALE,
  preciseMoney,
  isWellFormedPrecise,
  preciseOf,
  parsePreciseMoney,
  preciseMoneyFromJsonNumber,
  comparePrecise,
  addPrecise,
  subtractPrecise,
  unitsAtScale,
  exactMoneyOf,
  chargeOf,
  formatPrecise,
  isPositivePrecise,
} from './lib/money/precise-money';
export { InvalidAmount, UnknownCurrency, CurrencyMismatch, InvalidExchangeRate } from './lib/money/money.errors';

// Phone numbers
export {
  type PhoneNumber,
  parsePhoneNumber,
  parseInternationalDigits,
  parseNationalNumber,
  toE164,
  toInternationalDigits,
  lastDigits,
} from './lib/phone/phone-number';
export { InvalidPhoneNumber } from './lib/phone/phone.errors';

// Products and the denomination selector
export {
  type Operator,
  type ProductKind,
  type FixedProduct,
  type RangedProduct,
  type Product,
  makeFixedProduct,
  makeRangedProduct,
  destinationCurrencyOf,
  sourceCurrencyOf,
  gridSize,
  destinationAt,
  wholesaleAt,
  exactCostAt,
  costAt,
  compareProductIds,
  compareProducts,
} from './lib/product/product';
export { InvalidProduct } from './lib/product/product.errors';
export { type Quote, type SelectionRequest, type SelectionRule } from './lib/selector/quote';
export { selectDenomination } from './lib/selector/denomination-selector';
export {
  NoMatchingProduct,
  CurrencyNotAccepted,
  InvalidSelectionRequest,
  type SelectionError,
} from './lib/selector/selector.errors';

// Transaction statuses and the state machine
export {
  TRANSACTION_CLASSES,
  FINAL_CLASSES,
  FAILURE_CLASSES,
  PENDING_CLASSES,
  TRANSACTION_STATUS_CATALOGUE,
  DETAILED_STATUSES,
  type TransactionClass,
  type FailureClass,
  type PendingClass,
  type DetailedStatus,
  type DetailedStatusOf,
  type TransactionStatus,
  transactionStatus,
  statusOfClass,
  describeStatus,
  parseTransactionStatus,
  parseTransactionClass,
  isFinalClass,
  isFailureClass,
  isPendingClass,
  sameStatus,
} from './lib/transaction/transaction-status';
export {
  TRANSITIONS,
  canTransition,
  pathBetween,
  isReachable,
  type StatusChange,
  applyStatus,
  type LedgerMovementKind,
  ledgerMovementFor,
  movementsOf,
} from './lib/transaction/transaction.machine';
export { UnknownTransactionStatus, IllegalTransition } from './lib/transaction/transaction.errors';

// Top-ups, attempts and retries
export {
  type ExternalId,
  EXTERNAL_ID_MAX_LENGTH,
  parseExternalId,
  providerExternalIdFor,
  accountTag,
} from './lib/transaction/external-id';
export {
  RETRY_DELAYS_MINUTES,
  MAX_ATTEMPTS,
  retryDelayMinutes,
  nextAttemptAt,
  hasAttemptsLeft,
  RETRY_LATER_DELAY_MINUTES,
  retryLaterDelayMinutesOf,
} from './lib/transaction/retry.policy';
export {
  type AttemptFailureReason,
  RETRYABLE_FAILURE_REASONS,
  isRetryableFailureReason,
  type UnknownOutcomeReason,
  type AttemptFailure,
  type AttemptOutcome,
  attemptSucceeded,
  attemptAccepted,
  attemptFailed,
  attemptUnknown,
  type ProviderStatusAnswer,
  providerFound,
  providerNotFound,
  failureOfStatus,
  type AttemptState,
  type Attempt,
  isSettled,
  type AttemptRef,
  findAttempt,
} from './lib/transaction/attempt';
export {
  type TopUp,
  type TopUpFailure,
  type TopUpFailureReason,
  type TopUpChange,
  type NewTopUp,
  createTopUp,
  lastAttemptOf,
} from './lib/transaction/top-up';
export {
  type StartedAttempt,
  startAttempt,
  recordAttemptOutcome,
  resolveUnknownAttempt,
  applyProviderEvent,
  cancelTopUp,
  rejectForRefusedHold,
  NOT_FOUND_CONFIRMATION_MINUTES,
} from './lib/transaction/top-up-lifecycle';
export {
  InvalidTopUp,
  TopUpAlreadyFinal,
  UnresolvedAttempt,
  AttemptNotDue,
  AttemptsExhausted,
  AttemptNotFound,
  FailoverNotAllowed,
} from './lib/transaction/top-up.errors';

// Identifiers (account, deposit, transaction and external ids): one rule, each kind its bound
export {
  type IdentifierRule,
  IDENTIFIER_RULES,
  ACCOUNT_ID_MAX_LENGTH,
  DEPOSIT_ID_MAX_LENGTH,
  TRANSACTION_ID_MAX_LENGTH,
  checkIdentifier,
  isValidIdentifier,
  checkAccountId,
  checkDepositId,
  checkTransactionId,
} from './lib/identifier/identifier';
export { type IdentifierKind, type IdentifierProblem, InvalidIdentifier } from './lib/identifier/identifier.errors';

// Balance ledger
export {
  type Ledger,
  type LedgerAccount,
  type Hold,
  type HoldStatus,
  type JournalEntry,
  type JournalEntryKind,
  type LedgerMovementResult,
  type LedgerAccountResult,
  type Refusal,
  emptyLedger,
  accountKey,
  findAccount,
  findHold,
  findRefusal,
  holdStatus,
} from './lib/ledger/ledger';
export {
  type OpenAccountInput,
  type SetCreditLimitInput,
  type DepositInput,
  openAccount,
  setCreditLimit,
  deposit,
} from './lib/ledger/ledger-accounts';
export {
  type AuthorizeInput,
  type VoidHoldInput,
  type CaptureInput,
  type ReverseInput,
  type AuthorizeError,
  type AuthorizeFailure,
  refusalError,
  authorize,
  voidHold,
  capture,
  reverse,
} from './lib/ledger/ledger-operations';
export {
  type LedgerInputError,
  MAX_LEDGER_AMOUNT_MINOR,
  checkLedgerCurrency,
  checkOpenAccountInput,
  checkSetCreditLimitInput,
  checkDepositInput,
  checkAuthorizeInput,
  checkVoidHoldInput,
  checkCaptureInput,
  checkReverseInput,
  type RecordedClaim,
  checkDepositRepeat,
  checkAuthorizeRepeat,
  checkCaptureRepeat,
} from './lib/ledger/ledger-input.check';
export { type InvariantRule, type InvariantViolation, checkInvariants } from './lib/ledger/ledger-invariants';
export { type JournalBalances, journalBalances } from './lib/ledger/ledger-journal';
export {
  AccountNotFound,
  AccountAlreadyOpen,
  CreditLimitInUse,
  InvalidLedgerAmount,
  InvalidLedgerCurrency,
  InsufficientFunds,
  IdempotencyConflict,
  HoldNotFound,
  HoldAlreadySettled,
  CaptureExceedsHold,
  HoldNotCaptured,
  type LedgerError,
} from './lib/ledger/ledger.errors';

// Ports
export {
  AirtimeProvider,
  type AirtimeProviderService,
  type OperatorMatch,
  type ProductFilter,
  type SendRequest,
  type ProviderTransaction,
  type TransactionWindow,
  type ListProgress,
  type ProviderBalance,
  type ProviderBalances,
  type UnreadableBalance,
  type ProviderCallback,
} from './lib/ports/airtime-provider.port';
export {
  type AnswerFields,
  checkDeliveredAmount,
  checkSendAnswer,
  checkReportedAmount,
  retryLaterOfStatus,
} from './lib/ports/send-answer.check';
export {
  ProviderUnavailable,
  ProviderRateLimited,
  ProviderRejected,
  ProviderOutcomeUnknown,
  type UnknownOutcomeKind,
  ProviderAnswerMismatch,
  ProviderRetryLater,
  ExternalIdAlreadyUsed,
  StatusQueryUnsupported,
  TransactionListUnsupported,
  ProviderResponseInvalid,
  InvalidProviderCallback,
  type ProviderError,
} from './lib/ports/provider.errors';
export {
  TopUpRepository,
  type TopUpRepositoryService,
  type TopUpUpdate,
  type TopUpFilter,
  type Page,
} from './lib/ports/top-up-repository.port';
export {
  type HoldSettlement,
  LedgerStore,
  type LedgerStoreService,
  settleHold,
  type StoredMovement,
} from './lib/ports/ledger-store.port';
export { Outbox, type OutboxService, type OutboxEvent } from './lib/ports/outbox.port';
export { UnitOfWork, type UnitOfWorkService } from './lib/ports/unit-of-work.port';
export { Clock, type ClockService } from './lib/ports/clock.port';
export { IdGenerator, type IdGeneratorService } from './lib/ports/id-generator.port';
export { PersistenceFailure, ConcurrentModification, DuplicateKey } from './lib/ports/persistence.errors';

// Reconciliation: our attempts against the provider's transactions and balances
export {
  MISMATCH_KINDS,
  type MismatchKind,
  type OurAttempt,
  type Mismatch,
  type MatchOptions,
  type MatchResult,
  NEVER_SENT_REASONS,
  isExpectedAbsent,
  isInFlight,
} from './lib/reconciliation/reconciliation';
export {
  matchTransactions,
  distinctTransactions,
  externalIdsWithConflictingListings,
  sameListing,
} from './lib/reconciliation/transaction-match';
export {
  type OurExposure,
  type TheirExposure,
  type BalanceField,
  type BalanceComparison,
  compareBalances,
} from './lib/reconciliation/balance-comparison';
export { preciseZero, totalsPerCurrency, totalIn } from './lib/reconciliation/currency-totals';
export { formatAmount, samePrecise } from './lib/reconciliation/mismatch-detail.format';
export {
  type CurrencyAmounts,
  capturedByUs,
  capturedByThem,
  amountAtStake,
  amountsPerCurrency,
} from './lib/reconciliation/reconciliation-amounts';
