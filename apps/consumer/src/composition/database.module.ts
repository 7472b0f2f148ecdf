// The database: one TypeORM DataSource over pg (migrated at start when
// DATABASE_MIGRATE_ON_START is true), destroyed when the container closes.
import { initializeDatabase, redactUrl } from '@airtime/persistence-postgres';
import { Effect } from 'effect';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

export const databaseModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.dataSource)
    .toDynamicValue(async (context) => {
      const { database } = context.get(TOKENS.config);
      const logger = context.get(TOKENS.logger);
      const dataSource = await Effect.runPromise(initializeDatabase(database));
      logger.info(
        { database: redactUrl(database.url), poolSize: database.poolSize, migrated: database.migrateOnStart },
        'database connected',
      );
      return dataSource;
    })
    .inSingletonScope()
    .onDeactivation(async (dataSource) => {
      if (dataSource.isInitialized) await dataSource.destroy();
    });
});
