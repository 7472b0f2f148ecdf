// Which of the committed migrations a database has not applied, read without
// writing anything (TypeORM's own check, showMigrations, creates its
// migrations table): for the apps and tools that need the schema but must
// not migrate it themselves (the consumer refuses to start on an older one).
import type { DataSource } from 'typeorm';

/** The names of the data source's migrations not recorded in its migrations table (all of them when it has none). */
export const pendingMigrations = async (dataSource: DataSource): Promise<string[]> => {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [{ present } = { present: false }] = (await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS present', [
    table,
  ])) as { present: boolean }[];
  const applied = present
    ? new Set(((await dataSource.query(`SELECT name FROM "${table}"`)) as { name: string }[]).map((row) => row.name))
    : new Set<string>();
  return dataSource.migrations
    .map((migration) => migration.name ?? migration.constructor.name)
    .filter((name) => !applied.has(name));
};
