// The PostgreSQL adapters (TypeORM + pg) of the domain's persistence ports.
export {
  type DatabaseConfig,
  InvalidDatabaseConfig,
  DEFAULT_DATABASE_URL,
  databaseConfigFrom,
  redactUrl,
} from './lib/config/database.config';
export { makeDataSource } from './lib/data-source';
export { initializeDatabase } from './lib/database';
export { migrations } from './lib/migrations';
export { makeUnitOfWork, unitOfWorkLayer } from './lib/unit-of-work/unit-of-work.adapter';
export { currentManager, sql, toPersistenceFailure } from './lib/unit-of-work/sql';
export { makeLedgerStore, ledgerStoreLayer } from './lib/ledger/ledger-store.adapter';
