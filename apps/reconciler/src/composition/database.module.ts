// The database: one TypeORM DataSource over pg, destroyed when the container
// closes. With DATABASE_MIGRATE_ON_START=true pending migrations are applied
// at start; otherwise a database with pending migrations stops the run with
// DatabaseNotMigrated (platform-runtime's openMigratedDatabase; run
// `npm run db:migrate`) before anything is read.
import { openMigratedDatabase } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import { TOKENS } from './tokens';

export const databaseModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.dataSource)
    .toDynamicValue(async (context) =>
      openMigratedDatabase(context.get(TOKENS.config).database, {
        service: 'reconciler',
        logger: context.get(TOKENS.logger),
      }),
    )
    .inSingletonScope()
    .onDeactivation(async (dataSource) => {
      if (dataSource.isInitialized) await dataSource.destroy();
    });
});
