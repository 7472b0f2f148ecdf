// What the database command lines share (npm run admin, npm run
// ledger:fund): their stderr lines, the database of DATABASE_URL opened
// with a small pool, refused when it is not migrated (they never migrate:
// they say to run `npm run db:migrate`), and closed at the end, the database
// password never printed.
import { databaseConfigFrom, makeDataSource, pendingMigrations, redactUrl } from '@airtime/persistence-postgres';
import { Either } from 'effect';
import type { DataSource } from 'typeorm';

/** Exit statuses the tools share: 1 a failure, 2 a bad argument (DATABASE_URL included). */
const EXIT = { failure: 1, badArguments: 2 } as const;

/** A command line's failure writer: writes `<name>: <message>` to stderr and answers `code`. */
export type CliFail = (message: string, code: number) => number;

/** The failure writer of the command line `name` (`admin`, `ledger:fund`). */
export const cliFail =
  (name: string): CliFail =>
  (message, code) => {
    process.stderr.write(`${name}: ${message}\n`);
    return code;
  };

/** The message of an error with the database URL (its password) masked. */
export const messageOf = (error: unknown, url: string): string => {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(url).join(redactUrl(url));
};

/**
 * Runs `work` on the database of DATABASE_URL (pool of 2) and answers its
 * exit status. Exit 2 when DATABASE_URL is not valid; exit 1 when the
 * database does not open (`cannot open the database <url without password>`),
 * has migrations not applied, or `work` rejects (`failed: <message>`). The
 * database is closed whatever happens.
 */
export const runOnCliDatabase = async (
  fail: CliFail,
  work: (dataSource: DataSource, url: string) => Promise<number>,
): Promise<number> => {
  const config = databaseConfigFrom(process.env);
  if (Either.isLeft(config)) return fail(config.left.message, EXIT.badArguments);
  const { url } = config.right;
  const dataSource = makeDataSource({ ...config.right, poolSize: 2 });
  try {
    await dataSource.initialize();
  } catch (error) {
    return fail(
      `cannot open the database ${redactUrl(url)}: ${messageOf(error, url)} (is PostgreSQL running? npm run services)`,
      EXIT.failure,
    );
  }
  try {
    const pending = await pendingMigrations(dataSource);
    if (pending.length > 0) {
      return fail(
        `the database ${redactUrl(url)} is not migrated (${pending.length} migration${pending.length === 1 ? '' : 's'} not applied): run npm run db:migrate first`,
        EXIT.failure,
      );
    }
    return await work(dataSource, url);
  } catch (error) {
    return fail(`failed: ${messageOf(error, url)}`, EXIT.failure);
  } finally {
    await dataSource.destroy();
  }
};

/** Runs a command line's `main` and sets the exit status it answers (1 when it rejects, naming the kind only). */
export const runCliMain = (fail: CliFail, main: () => Promise<number>): void => {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // the database URL is not in scope here: the kind of failure only
      process.exitCode = fail(`unexpected failure: ${error instanceof Error ? error.name : 'unknown'}`, EXIT.failure);
    },
  );
};
