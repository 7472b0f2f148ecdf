// The application: the use cases of the platform as effect programs over the
// domain's ports (and the few ports of its own in lib/ports).
export {
  TopUpRequestStore,
  type TopUpRequestStoreService,
  type StoredTopUpRequest,
} from './lib/ports/top-up-requests.port';
export { AccountDirectory, type AccountDirectoryService, type Account } from './lib/ports/accounts.port';
export { AccountAlreadyExists } from './lib/ports/accounts.errors';
export { ApiKeyStore, type ApiKeyStoreService, type StoredApiKey } from './lib/ports/api-keys.port';
export { TopUpQueries, type TopUpQueriesService, type TopUpSearch, type PageOf } from './lib/ports/top-up-queries.port';
export { LedgerQueries, type LedgerQueriesService, type JournalQuery } from './lib/ports/ledger-queries.port';
export { Inbox, type InboxService } from './lib/ports/inbox.port';
export {
  TransferLog,
  type TransferLogService,
  type TransferLogEntry,
  type StoredExchange,
} from './lib/ports/transfer-log.port';
export { OutboxFeed, type OutboxFeedService, type PendingEvent } from './lib/ports/outbox-feed.port';
export { EventPublisher, type EventPublisherService } from './lib/ports/event-publisher.port';
export { EventPublishFailed } from './lib/ports/event-publisher.errors';
export { TopUpCommandQueue, type TopUpCommandQueueService } from './lib/ports/top-up-command-queue.port';
export { CommandEnqueueFailed } from './lib/ports/top-up-command-queue.errors';
export { ConsumeDecision, type CommandDelivery } from './lib/ports/command-delivery.port';
export {
  RequestTopUpInput,
  type RequestTopUpInputJson,
  DecimalAmount,
} from './lib/request-top-up/request-top-up.input';
export {
  CallbackDeliveryStore,
  type CallbackDeliveryStoreService,
  type CallbackDelivery,
  type CallbackTry,
  CallbackSender,
  type CallbackSenderService,
  CALLBACK_SIGNATURE_HEADER,
} from './lib/ports/callback-deliveries.port';

// A: the use cases (each a vertical slice in lib/<use-case>/) and what they share
export {
  ProviderCatalogue,
  type ProviderCatalogueService,
  type CatalogueKey,
} from './lib/ports/provider-catalogue.port';
export {
  type ProviderCatalogueCacheOptions,
  DEFAULT_OPERATORS_TTL_MS,
  DEFAULT_PRODUCTS_TTL_MS,
  makeCachedProviderCatalogue,
  cachedProviderCatalogueLayer,
} from './lib/provider-catalogue/cached-provider-catalogue.adapter';
export { ProviderCallbackUrls, type ProviderCallbackUrlsService } from './lib/ports/provider-callback-urls.port';
export { TopUpNotFound } from './lib/top-up-change/top-up-change.errors';
export {
  TOP_UP_EVENT_TYPES,
  type TopUpEventType,
  FINAL_TOP_UP_EVENT_TYPES,
  isFinalEventType,
  eventTypesOf,
  eventPayloadOf,
} from './lib/top-up-change/top-up-events.mapper';
export {
  type VersionedTopUp,
  type SaveError,
  type SaveServices,
  applyLedgerMovements,
  saveNewTopUp,
  saveTopUpChange,
  loadTopUp,
  changeTopUp,
  commitAlone,
  commitTopUpChange,
  currentTopUpChangeCommitter,
  MAX_CONCURRENT_RETRIES,
  type TopUpChangeCommitter,
  withTopUpChangeCommitter,
} from './lib/top-up-change/save-top-up-change.use-case';
export {
  saveTopUpChangeBatch,
  saveTopUpChanges,
  type TopUpChangeAnswer,
  type TopUpChangeWrite,
} from './lib/top-up-change/save-top-up-changes.use-case';
export {
  InvalidTopUpRequest,
  OperatorNotFound,
  ProductNotFound,
  ExactAmountUnavailable,
} from './lib/quote-top-up/quote-top-up.errors';
export { QuoteTopUpInput, type QuoteTopUpInputJson } from './lib/quote-top-up/quote-top-up.input';
export { type QuoteError, quoteFor, quoteTopUp } from './lib/quote-top-up/quote-top-up.use-case';
export { CallbackSecretMissing, ExternalIdConflict } from './lib/request-top-up/request-top-up.errors';
export {
  type RequestTopUpResult,
  type RequestTopUpOptions,
  type RequestTopUpError,
  type RequestTopUpServices,
  requestTopUp,
} from './lib/request-top-up/request-top-up.use-case';
export {
  quoteTopUpItem,
  readyTopUpItem,
  requestTopUps,
  type TopUpRequestAnswer,
  type TopUpItemCheck,
  type TopUpRequestItem,
} from './lib/request-top-up/request-top-ups.use-case';
export { checkRequestAccountId, type TopUpRequestRules } from './lib/request-top-up/request-top-up.check';
export { EXACT_JSON_REASONS, exactJsonProblem, isExactJsonNumber } from './lib/request-top-up/exact-json.check';
export { TopUpMetadata } from './lib/request-top-up/request-top-up.input';
export { addressRefusal, callbackHostRefusal } from './lib/request-top-up/callback-host.policy';
export {
  type SendAttemptResult,
  type SendAttemptError,
  type SendAttemptServices,
  queryAttemptStatus,
  sendAttemptReporting,
  sendAttempt,
} from './lib/send-attempt/send-attempt.use-case';
export { UnknownProviderTransaction } from './lib/apply-provider-update/apply-provider-update.errors';
export {
  type ApplyProviderUpdateResult,
  type ApplyProviderUpdateOptions,
  type ApplyProviderUpdateError,
  applyProviderUpdate,
} from './lib/apply-provider-update/apply-provider-update.use-case';
export {
  type ProviderSend,
  type ValidateProviderSendInput,
  validateProviderSend,
} from './lib/validate-provider-send/validate-provider-send.use-case';
export {
  type ApplyProviderStatusError,
  type ApplyProviderStatusInput,
  type ApplyProviderStatusResult,
  applyProviderStatus,
} from './lib/validate-provider-send/apply-provider-status.use-case';

export {
  type SettleUnknownAttemptResult,
  type SettleUnknownAttemptError,
  settleUnknownAttempt,
} from './lib/settle-unknown-attempt/settle-unknown-attempt.use-case';
export {
  type RetryDueTopUpsOptions,
  DEFAULT_BATCH_CONCURRENCY,
  retryDueTopUps,
} from './lib/retry-due-top-ups/retry-due-top-ups.use-case';
export {
  type RecoverStalledTopUpsOptions,
  recoverStalledTopUps,
} from './lib/recover-stalled-top-ups/recover-stalled-top-ups.use-case';
export { CancelTopUpInput } from './lib/cancel-top-up/cancel-top-up.input';
export { type CancelTopUpError, cancelTopUp } from './lib/cancel-top-up/cancel-top-up.use-case';
export { transferLogOf } from './lib/transfer-log-of/transfer-log-of.use-case';

// Issue 10: API keys, accounts (admin), the API's scoped reads, lookups and provider callbacks
export { type ApiPrincipal, type ScopedRequest, canSee } from './lib/api-access/api-principal';
export { InvalidInput, CustomerAccountNotFound } from './lib/api-access/api-access.errors';
export { checkAccountScope, checkTopUpScope, directoryAccount } from './lib/api-access/api-scope.check';
export { type Paged, offsetOf, pageCountOf } from './lib/api-access/pagination';
export {
  MAX_PER_PAGE,
  DEFAULT_PER_PAGE,
  MAX_PAGE,
  AccountIdField,
  TopUpIdField,
  DepositIdField,
  ExternalIdField,
  DecimalText,
  CurrencyCodeField,
  IsoTimeText,
  PageField,
  PerPageField,
} from './lib/api-access/api-fields.schema';
export {
  API_KEY_SCHEME,
  MAX_API_KEY_LENGTH,
  type ApiKeyParts,
  formatApiKey,
  parseApiKey,
} from './lib/api-access/api-key';
export { IssueApiKeyInput, type IssueApiKeyInputJson, MAX_KEY_ACCOUNTS } from './lib/issue-api-key/issue-api-key.input';
export { type IssuedApiKey, type IssueApiKeyError, issueApiKey } from './lib/issue-api-key/issue-api-key.use-case';
export { RevokeApiKeyInput } from './lib/revoke-api-key/revoke-api-key.input';
export { ApiKeyNotFound } from './lib/revoke-api-key/revoke-api-key.errors';
export { type RevokeApiKeyError, revokeApiKey } from './lib/revoke-api-key/revoke-api-key.use-case';
export { ApiKeyRefused } from './lib/authenticate-api-key/authenticate-api-key.errors';
export { authenticateApiKey } from './lib/authenticate-api-key/authenticate-api-key.use-case';
export {
  OpenCustomerAccountInput,
  type OpenCustomerAccountInputJson,
} from './lib/open-customer-account/open-customer-account.input';
export {
  type OpenedCustomerAccount,
  type OpenCustomerAccountError,
  openCustomerAccount,
} from './lib/open-customer-account/open-customer-account.use-case';
export { DepositFundsInput, type DepositFundsInputJson } from './lib/deposit-funds/deposit-funds.input';
export { type DepositedFunds, type DepositFundsError, depositFunds } from './lib/deposit-funds/deposit-funds.use-case';
export {
  SetAccountCreditLimitInput,
  type SetAccountCreditLimitInputJson,
} from './lib/set-account-credit-limit/set-account-credit-limit.input';
export {
  type SetAccountCreditLimitError,
  ensureLedgerAccount,
  setAccountCreditLimit,
} from './lib/set-account-credit-limit/set-account-credit-limit.use-case';
export { FindTopUpInput, type FindTopUpInputJson } from './lib/find-top-up/find-top-up.input';
export { type FoundTopUp, type FindTopUpError, findTopUp } from './lib/find-top-up/find-top-up.use-case';
export { ListTopUpsInput, type ListTopUpsInputJson } from './lib/list-top-ups/list-top-ups.input';
export { type ListTopUpsError, listTopUps } from './lib/list-top-ups/list-top-ups.use-case';
export { type TransferLogForError, transferLogFor } from './lib/transfer-log-for/transfer-log-for.use-case';
export { type CancelTopUpForError, cancelTopUpFor } from './lib/cancel-top-up-for/cancel-top-up-for.use-case';
export { AccountBalancesInput, type AccountBalancesInputJson } from './lib/account-balances/account-balances.input';
export { type AccountBalancesError, accountBalances } from './lib/account-balances/account-balances.use-case';
export { AccountJournalInput, type AccountJournalInputJson } from './lib/account-journal/account-journal.input';
export { type AccountJournalError, accountJournal } from './lib/account-journal/account-journal.use-case';
export { LookupPhoneInput, type LookupPhoneInputJson } from './lib/lookup-phone/lookup-phone.input';
export { phoneOf, lookupPhone } from './lib/lookup-phone/lookup-phone.use-case';
export { type OperatorProducts, productsForPhone } from './lib/products-for-phone/products-for-phone.use-case';
export { ApplyProviderCallbackInput } from './lib/apply-provider-callback/apply-provider-callback.input';
export {
  type ApplyProviderCallbackRequest,
  type ApplyProviderCallbackError,
  applyProviderCallback,
} from './lib/apply-provider-callback/apply-provider-callback.use-case';

// M: the top-up command (schema v1), the outbox relay, the caller's callbacks
export {
  TopUpCommandV1,
  type TopUpCommandV1Json,
  TOP_UP_COMMAND_VERSION,
  MAX_TOP_UP_COMMAND_BYTES,
  decodeTopUpCommand,
  encodeTopUpCommand,
} from './lib/top-up-command/top-up-command.schema';
export { MalformedCommand } from './lib/top-up-command/top-up-command.errors';
export { type RelayOutboxOptions, relayOutbox } from './lib/relay-outbox/relay-outbox.use-case';
export {
  type DeliverCallbacksOptions,
  type DeliverCallbacksReport,
  CALLBACK_EVENT_ID_HEADER,
  CALLBACK_CONCURRENCY,
  DEFAULT_CALLBACK_POST_TIMEOUT_MS,
  CALLBACK_POST_GRACE_MS,
  CALLBACK_LEASE_MARGIN,
  CALLBACK_MIN_LEASE_MS,
  callbackLeaseMs,
  callbackHeaders,
  deliverCallbacks,
} from './lib/deliver-callbacks/deliver-callbacks.use-case';
export {
  DEFAULT_CALLBACK_TOLERANCE_MS,
  CALLBACK_SIGNATURE_SCHEME,
  type CallbackSignatureRefusal,
  type CallbackSignatureCheck,
  callbackSignature,
  callbackSignatureHeader,
  verifyCallbackSignature,
} from './lib/deliver-callbacks/callback-signature';
export {
  CALLBACK_RETRY_DELAYS_MS,
  MAX_CALLBACK_TRIES,
  nextCallbackTryAt,
} from './lib/deliver-callbacks/callback-retry.policy';

// Issue 11: the nightly reconciler (its store, the report, reconcileDay, settling by hand)
export {
  ReconciliationStore,
  type ReconciliationStoreService,
  type ReconciliationWindow,
  type SettlementActor,
  type SettlementState,
  type SettlementRecord,
  type StoredRun,
  type StartedRun,
  type FinishedRun,
  type HeldNeverSent,
  type ListedAttempt,
  windowKeyOf,
} from './lib/ports/reconciliation-store.port';
export { ReconciliationWindowBusy } from './lib/ports/reconciliation-store.errors';
export type {
  ReconciliationOutcome,
  ReconciliationReport,
  ReconciliationReportJson,
  ReportAmount,
  ReportMismatchKind,
  ReportOurSide,
  ReportTheirSide,
  ReportMismatch,
  ReportSettlement,
  ReportAwaitingDecision,
  ReportHeldNeverSent,
  ReportBalance,
  ReportCurrencyAmounts,
  ReportCounts,
  ReportMatchPhase,
} from './lib/reconcile-day/reconciliation-report.types';
export { ourAttemptOf, ourAttemptsOf, HELD_STATES, holdingOf } from './lib/reconcile-day/our-attempt.mapper';
export {
  ReconcileDayInput,
  type ReconcileDayInputJson,
  DEFAULT_SETTLE_AFTER_MS,
  DEFAULT_DECISION_AFTER_MS,
} from './lib/reconcile-day/reconcile-day.input';
export { ReconcileProviderMismatch } from './lib/reconcile-day/reconcile-day.errors';
export {
  RECONCILE_PHASES,
  type ReconcilePhase,
  type ReconcileProgress,
  silentProgress,
} from './lib/reconcile-day/reconcile-progress';
export { type AwaitingDecision, settleCommandFor } from './lib/reconcile-day/awaiting-decision';
export {
  type SettlementIntent,
  type SettlementRefusal,
  type ApplySettlement,
  applyAsProviderUpdate,
  applyAsOperatorDecision,
  checkStillDecided,
  finishSettlement,
  settle,
} from './lib/reconcile-day/settlement.use-case';
export { SettlementOutdated } from './lib/reconcile-day/settlement.errors';
export { type SettlePhaseOptions, SETTLE_CONCURRENCY, settlePhase } from './lib/reconcile-day/settle-phase.use-case';
export { type MatchPhaseOptions, type MatchPhaseResult, matchPhase } from './lib/reconcile-day/match-phase.use-case';
export { type ComparedBalance, balancePhase, isBalanceMismatch } from './lib/reconcile-day/balance-phase.use-case';
export {
  type ReportInput,
  buildReport,
  mismatchCount,
  ourSideOf,
  theirSideOf,
} from './lib/reconcile-day/reconciliation-report';
export { formatSummary } from './lib/reconcile-day/reconciliation-summary.format';
export { escapeHiddenCharacters, HIDDEN_CHARACTER } from './lib/visible-text/hidden-characters.format';
export { refusesOurCredentials, stopsTheRun } from './lib/reconcile-day/provider-failure.policy';
export {
  RECONCILIATION_COMPLETED,
  type ReconcileDayError,
  type ReconcileDayServices,
  type ReconcileDayResult,
  reconcileDay,
} from './lib/reconcile-day/reconcile-day.use-case';
export {
  SettleTopUpByHandInput,
  type SettleTopUpByHandInputJson,
  FINAL_STATUSES,
  MAX_SETTLEMENT_REASON_LENGTH,
} from './lib/settle-top-up-by-hand/settle-top-up-by-hand.input';
export {
  NoAttemptToSettle,
  NotAwaitingDecision,
  SettlementRefused,
} from './lib/settle-top-up-by-hand/settle-top-up-by-hand.errors';
export {
  type SettleTopUpByHandResult,
  type SettleTopUpByHandError,
  settleTopUpByHand,
} from './lib/settle-top-up-by-hand/settle-top-up-by-hand.use-case';

// The browser console's sessions (issue 13): sign-in with an API key, a session token in a cookie
export {
  ConsoleSessionStore,
  type ConsoleSessionStoreService,
  type StoredConsoleSession,
  type ConsoleSessionWithKey,
} from './lib/ports/console-sessions.port';
export {
  ConsoleSessionTimings,
  type ConsoleSessionTimingsInput,
  DEFAULT_CONSOLE_IDLE_TIMEOUT_MS,
  DEFAULT_CONSOLE_SESSION_LIFETIME_MS,
  MIN_CONSOLE_SESSION_TIMING_MS,
  MAX_CONSOLE_SESSION_TIMING_MS,
  CONSOLE_TOUCH_INTERVAL_MS,
} from './lib/console-sessions/console-session.config';
export { csrfTokenMatches, isSessionToken, hashSessionToken } from './lib/console-sessions/console-session-token';
export { type ConsoleSessionEndReason, ConsoleSessionEnded } from './lib/console-sessions/console-sessions.errors';
export {
  type OpenConsoleSessionInput,
  type OpenedConsoleSession,
  type OpenConsoleSessionError,
  openConsoleSession,
} from './lib/console-sessions/open-console-session.use-case';
export {
  type ResumeConsoleSessionInput,
  type ResumedConsoleSession,
  type ResumeConsoleSessionError,
  resumeConsoleSession,
} from './lib/console-sessions/resume-console-session.use-case';
export { closeConsoleSession } from './lib/console-sessions/close-console-session.use-case';
export { pruneConsoleSessions } from './lib/console-sessions/prune-console-sessions.use-case';

// Issue 13: the transfer log console's read side (a top-up's detail, resends, the accounts' overview)
export type {
  StoredTopUpEvent,
  ActivityQuery,
  HourlyClassCount,
  OutcomeCount,
  ProviderOutcomes,
  OperatorOutcomes,
  TopUpActivity,
} from './lib/ports/top-up-queries.port';
export { MAX_PHONE_SEARCH_LENGTH, PhoneSearchField, phoneOfSearchText } from './lib/list-top-ups/phone-search.schema';
export {
  type TopUpRequestExtras,
  type TopUpDetail,
  type TopUpDetailForError,
  type TopUpDetailForServices,
  topUpDetailFor,
} from './lib/top-up-detail-for/top-up-detail-for.use-case';
export {
  RESEND_OF_KEY,
  failedForCertain,
  resendOfRequest,
  resendExternalIdFor,
} from './lib/resend-top-up/resend.policy';
export {
  type ResendFamily,
  type ResendRefusal,
  resendFamilyOf,
  resendRefusalOf,
} from './lib/resend-top-up/resend-family.use-case';
export { TopUpNotResendable } from './lib/resend-top-up/plan-resend-for.errors';
export {
  type ResendPlan,
  type PlanResendForError,
  type PlanResendForServices,
  planResendFor,
} from './lib/resend-top-up/plan-resend-for.use-case';
export {
  AccountOverviewForInput,
  type AccountOverviewForInputJson,
} from './lib/account-overview-for/account-overview-for.input';
export {
  OVERVIEW_STATUSES,
  type OverviewStatus,
  OVERVIEW_HOURS,
  type StatusCounts,
  type HourOfTopUps,
  type SuccessRate,
  type AccountBalancesOf,
  type AccountOverview,
  type AccountOverviewForError,
  accountOverviewFor,
} from './lib/account-overview-for/account-overview-for.use-case';
