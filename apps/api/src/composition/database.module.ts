// The database: one TypeORM DataSource over pg (DATABASE_URL: PostgreSQL,
// or an embedded PostgreSQL's URL), destroyed when the container closes.
// With DATABASE_MIGRATE_ON_START=true pending migrations are applied at
// start; otherwise a database with pending migrations stops the start with
// DatabaseNotMigrated (platform-runtime's openMigratedDatabase; run
// `npm run db:migrate`), before any request is served against a schema
// older than the code.
import { openMigratedDatabase } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

export const databaseModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.dataSource)
    .toDynamicValue(async (context) =>
      openMigratedDatabase(context.get(TOKENS.config).database, { service: 'API', logger: context.get(TOKENS.logger) }),
    )
    .inSingletonScope()
    .onDeactivation(async (dataSource) => {
      if (dataSource.isInitialized) await dataSource.destroy();
    });
});
