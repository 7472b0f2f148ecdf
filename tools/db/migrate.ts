// npm run db:migrate [-- up|down|status]: applies, reverts (the last one) or
// lists the committed migrations on the database named by DATABASE_URL.
import { databaseConfigFrom, makeDataSource, redactUrl, runMigrationsExclusively } from '@airtime/persistence-postgres';
import { Either } from 'effect';

const main = async (command: string): Promise<number> => {
  const config = databaseConfigFrom(process.env);
  if (Either.isLeft(config)) {
    console.error(config.left.message);
    return 2;
  }
  const dataSource = makeDataSource(config.right);
  await dataSource.initialize();
  try {
    console.log(`database: ${redactUrl(config.right.url)}`);
    if (command === 'up') {
      const applied = await runMigrationsExclusively(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
    } else if (command === 'down') {
      const [last] = (await dataSource
        .query('SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1')
        .catch(() => [])) as { name: string }[];
      if (!last) {
        console.log('nothing to revert');
        return 0;
      }
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log(`reverted ${last.name}`);
    } else if (command === 'status') {
      console.log((await dataSource.showMigrations()) ? 'pending migrations' : 'up to date');
    } else {
      console.error('usage: db:migrate [up|down|status]');
      return 2;
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
};

main(process.argv[2] ?? 'up').then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
