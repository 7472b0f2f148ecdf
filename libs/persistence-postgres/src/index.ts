// The PostgreSQL adapters (TypeORM + pg) of the domain's persistence ports.
export {
  type DatabaseConfig,
  InvalidDatabaseConfig,
  DEFAULT_DATABASE_URL,
  databaseConfigFrom,
  redactUrl,
} from './lib/config/database.config';
export { makeDataSource } from './lib/data-source';
export { initializeDatabase, runMigrationsExclusively } from './lib/database';
export { pendingMigrations } from './lib/pending-migrations.queries';
export { migrations } from './lib/migrations';
export { makeUnitOfWork, unitOfWorkLayer } from './lib/unit-of-work/unit-of-work.adapter';
export { currentManager, sql, toPersistenceFailure } from './lib/unit-of-work/sql';
export { makeLedgerStore, ledgerStoreLayer } from './lib/ledger/ledger-store.adapter';
export {
  makeTopUpRepository,
  topUpRepositoryLayer,
  MAX_TOP_UPS_PER_CALL,
} from './lib/top-ups/top-up-repository.adapter';
export { dailyTotals, type DailyTotal } from './lib/top-ups/daily-totals.queries';
export { makeOutbox, outboxLayer } from './lib/outbox/outbox.adapter';
export {
  makeOutboxRelayStore,
  type OutboxRelayStore,
  type OutboxMessage,
  MAX_OUTBOX_BATCH,
  outboxFeedLayer,
} from './lib/outbox/outbox-relay.adapter';
export { makeProcessedMessages, type ProcessedMessagesStore, inboxLayer } from './lib/inbox/processed-messages.adapter';
export { makeProductCache, type ProductCacheStore } from './lib/products/product-cache.adapter';
export { makeTopUpRequestStore, topUpRequestStoreLayer } from './lib/top-up-requests/top-up-request-store.adapter';
export { makeAccountDirectory, accountDirectoryLayer } from './lib/accounts/account-directory.adapter';
export { makeApiKeyStore, apiKeyStoreLayer } from './lib/api-keys/api-key-store.adapter';
export {
  makeConsoleSessionStore,
  consoleSessionStoreLayer,
} from './lib/console-sessions/console-session-store.adapter';
export { makeTopUpQueries, topUpQueriesLayer } from './lib/top-ups/top-up-queries.adapter';
export { makeLedgerQueries, ledgerQueriesLayer } from './lib/ledger/ledger-queries.adapter';
export { makeTransferLog, transferLogLayer } from './lib/transfer-log/transfer-log.adapter';
export {
  makeCallbackDeliveryStore,
  callbackDeliveryStoreLayer,
  addCallbackSigningSecret,
  setCallbackSigningSecret,
  MAX_CALLBACK_BATCH,
  CALLBACK_SECRET_MIN_LENGTH,
  CALLBACK_SECRET_MAX_LENGTH,
} from './lib/callbacks/callback-delivery-store.adapter';
export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  type EmbeddedPostgresLogger,
  DEFAULT_EMBEDDED_POSTGRES_PORT,
  startEmbeddedPostgres,
} from './lib/embedded/embedded-postgres.server';
export { EmbeddedPostgresFailed } from './lib/embedded/embedded-postgres.errors';
export { makeDataFolder } from './lib/embedded/data-folder.check';
export { makeReconciliationStore, reconciliationStoreLayer } from './lib/reconciliation/reconciliation-store.adapter';
export {
  ABANDONED_RUN_SUMMARY,
  type FailedRun,
  makeReconciliationRunCloser,
  type ReconciliationRunCloser,
} from './lib/reconciliation/reconciliation-run-closing.adapter';
export {
  makeBatchedLedgerStore,
  batchedLedgerStoreLayer,
  type BatchedLedgerStore,
} from './lib/ledger/batched/batched-ledger-store.adapter';
export type { LedgerBatchStats } from './lib/ledger/batched/ledger-batch-transaction';
export {
  type LedgerBatchConfig,
  DEFAULT_LEDGER_BATCH_CONFIG,
  InvalidLedgerBatchConfig,
  ledgerBatchConfigFrom,
  ledgerBatchConfigFromEnv,
  LEDGER_BATCH_VARIABLES,
} from './lib/ledger/batched/ledger-batch.config';
export {
  makeGroupCommitUnitOfWork,
  groupCommitUnitOfWorkLayer,
  withOwnTransactions,
} from './lib/unit-of-work/group-commit/group-commit-unit-of-work.adapter';
export {
  type GroupCommitConfig,
  DEFAULT_GROUP_COMMIT_CONFIG,
  InvalidGroupCommitConfig,
} from './lib/unit-of-work/group-commit/group-commit.config';
export { type BatchQueueBounds, makeBatchQueue } from './lib/batching/batch-queue.runner';
export { areStorableKeys } from './lib/shared/text-keys';
