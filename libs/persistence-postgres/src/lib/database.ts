import { PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import { type DatabaseConfig, redactUrl } from './config/database.config';
import { makeDataSource } from './data-source';

/**
 * Connects to the configured database and, when `migrateOnStart` is set,
 * applies pending migrations (each in its own transaction). For the apps'
 * start-up; `npm run db:migrate` does the same from the command line.
 */
export const initializeDatabase = (config: DatabaseConfig): Effect.Effect<DataSource, PersistenceFailure> =>
  Effect.tryPromise({
    try: async () => {
      const dataSource = makeDataSource(config);
      await dataSource.initialize();
      if (config.migrateOnStart) await dataSource.runMigrations({ transaction: 'each' });
      return dataSource;
    },
    catch: (cause) =>
      new PersistenceFailure({
        reason: `cannot open ${redactUrl(config.url)}: ${cause instanceof Error ? cause.message.replace(config.url, redactUrl(config.url)) : String(cause)}`,
        retryable: true,
      }),
  });
