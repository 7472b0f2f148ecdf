import { DataSource } from 'typeorm';
import type { DatabaseConfig } from './config/database.config';
import { migrations } from './migrations';

/**
 * The TypeORM data source over pg: committed migrations only, never
 * `synchronize`; pool size and statement timeout from the configuration.
 * No entity metadata is needed: the adapters speak SQL through the manager.
 * Every session starts READ COMMITTED (`default_transaction_isolation`), so
 * that a unit of work opens its transaction with one `START TRANSACTION`
 * round trip rather than two (`SET TRANSACTION ISOLATION LEVEL` after it).
 */
export const makeDataSource = (config: DatabaseConfig): DataSource =>
  new DataSource({
    type: 'postgres',
    url: config.url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    migrations,
    entities: [],
    logging: false,
    extra: {
      max: config.poolSize,
      statement_timeout: config.statementTimeoutMs,
      idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs,
      connectionTimeoutMillis: config.connectTimeoutMs,
      application_name: 'airtime-platform',
      // a session option (pg's startup `options`): the isolation of every transaction unless it says otherwise
      options: '-c default_transaction_isolation=read\\ committed',
    },
  });
