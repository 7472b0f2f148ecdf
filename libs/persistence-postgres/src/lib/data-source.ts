import { Client, type ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from './config/database.config';
import { migrations } from './migrations';

/**
 * pg's client with an 'error' listener of its own from the start. pg-pool
 * takes its idle listener off a client when it hands it out, and the new
 * holder (TypeORM's query runner, pg-pool's own `query`, a batch) attaches
 * its listener a moment later: a connection error arriving in between, such
 * as the server ending the session (57P01, `pg_terminate_backend`), was an
 * 'error' event with no listener, which node throws as an uncaught exception
 * that stops the app. Nothing is lost by ignoring it here: the client is
 * broken from then on, so its holder's next statement fails (a
 * PersistenceFailure) and the pool drops it when it comes back.
 */
export class GuardedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

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
      Client: GuardedClient,
      max: config.poolSize,
      statement_timeout: config.statementTimeoutMs,
      idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs,
      connectionTimeoutMillis: config.connectTimeoutMs,
      application_name: 'airtime-platform',
      // a session option (pg's startup `options`): the isolation of every transaction unless it says otherwise
      options: '-c default_transaction_isolation=read\\ committed',
    },
  });
