// The database: one TypeORM DataSource over pg (DATABASE_URL: PostgreSQL,
// or an embedded PostgreSQL's URL), destroyed when the container closes.
// With DATABASE_MIGRATE_ON_START=true pending migrations are applied at
// start; otherwise a database with pending migrations stops the start with
// DatabaseNotMigrated (run `npm run db:migrate`), before any request is
// served against a schema older than the code.
import { initializeDatabase, pendingMigrations, redactUrl } from '@airtime/persistence-postgres';
import { Effect } from 'effect';
import { ContainerModule } from 'inversify';
import { DatabaseNotMigrated } from './database.errors';
import { TOKENS } from './tokens';

export const databaseModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.dataSource)
    .toDynamicValue(async (context) => {
      const { database } = context.get(TOKENS.config);
      const dataSource = await Effect.runPromise(initializeDatabase(database));
      const pending = await pendingMigrations(dataSource).catch(async (error: unknown) => {
        await dataSource.destroy();
        throw error;
      });
      if (pending.length > 0) {
        await dataSource.destroy();
        throw new DatabaseNotMigrated({ database: redactUrl(database.url), pending });
      }
      context
        .get(TOKENS.logger)
        .info(
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
