// The errors of an app's database at start.
import { taggedError } from '@airtime/domain';

/** The database lacks migrations the code needs; the app (`service`) does not start on it (nor migrate it unasked). */
export class DatabaseNotMigrated extends taggedError('DatabaseNotMigrated', {
  code: 'DATABASE_NOT_MIGRATED',
  retryable: false,
})<{ readonly database: string; readonly pending: readonly string[]; readonly service: string }>(
  (e) =>
    `the database ${e.database} is not migrated (${e.pending.length} migration${e.pending.length === 1 ? '' : 's'} not applied: ${e.pending.join(', ')}): run npm run db:migrate first, or start the ${e.service} with DATABASE_MIGRATE_ON_START=true`,
) {}
