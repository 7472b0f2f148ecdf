// npm run admin — administers customer accounts and API keys on the database
// named by DATABASE_URL: open an account, deposit funds, set a credit limit,
// create (printed once), revoke and list API keys, through the application's
// use cases over the PostgreSQL adapters. Never migrates the database (it
// says to run `npm run db:migrate`), never prints the database password, a
// key's hash or a stack trace. `npm run admin -- --help` tells the commands.
import {
  accountDirectoryLayer,
  apiKeyStoreLayer,
  databaseConfigFrom,
  ledgerStoreLayer,
  makeDataSource,
  pendingMigrations,
  redactUrl,
  unitOfWorkLayer,
} from '@airtime/persistence-postgres';
import { makeScaledClock, scaledClockLayer, uuidIdGeneratorLayer } from '@airtime/platform-runtime';
import { Effect, Either, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { ADMIN_USAGE, parseAdminArguments } from './admin-arguments.input';
import { type AdminAction, runAdminCommand } from './admin-command.use-case';
import { adminRefusalText, adminReport, isBadArgument, isRefusal } from './admin-report.format';

/** Exit statuses (see ADMIN_USAGE). */
const EXIT = { done: 0, failure: 1, badArguments: 2, refused: 3 } as const;

const fail = (message: string, code: number): number => {
  process.stderr.write(`admin: ${message}\n`);
  return code;
};

/** The message of an error with the database URL (its password) masked. */
const messageOf = (error: unknown, url: string): string => {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(url).join(redactUrl(url));
};

/** The ports of the admin commands over one DataSource, real time and UUID v7 ids. */
const adminLayer = (dataSource: DataSource) =>
  Layer.mergeAll(
    accountDirectoryLayer(dataSource),
    apiKeyStoreLayer(dataSource),
    ledgerStoreLayer(dataSource),
    unitOfWorkLayer(dataSource),
    uuidIdGeneratorLayer(),
    scaledClockLayer(makeScaledClock({ scale: 1 })),
  );

const run = async (dataSource: DataSource, action: AdminAction, url: string): Promise<number> => {
  const pending = await pendingMigrations(dataSource);
  if (pending.length > 0) {
    return fail(
      `the database ${redactUrl(url)} is not migrated (${pending.length} migration${pending.length === 1 ? '' : 's'} not applied): run npm run db:migrate first`,
      EXIT.failure,
    );
  }
  const result = await Effect.runPromise(
    Effect.either(runAdminCommand(action).pipe(Effect.provide(adminLayer(dataSource)))),
  );
  if (Either.isRight(result)) {
    process.stdout.write(`${adminReport(result.right)}\n`);
    return EXIT.done;
  }
  const error = result.left;
  if (isBadArgument(error)) return fail(`${adminRefusalText(error)}\n\n${ADMIN_USAGE}`, EXIT.badArguments);
  if (isRefusal(error)) return fail(`refused: ${adminRefusalText(error)}`, EXIT.refused);
  return fail(messageOf(error, url), EXIT.failure);
};

const main = async (): Promise<number> => {
  const parsed = parseAdminArguments(process.argv.slice(2));
  if (Either.isLeft(parsed)) return fail(`${parsed.left}\n\n${ADMIN_USAGE}`, EXIT.badArguments);
  const command = parsed.right;
  if (command.kind === 'help') {
    process.stdout.write(`${ADMIN_USAGE}\n`);
    return EXIT.done;
  }
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
    return await run(dataSource, command, url);
  } catch (error) {
    return fail(`failed: ${messageOf(error, url)}`, EXIT.failure);
  } finally {
    await dataSource.destroy();
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // the database URL is not in scope here: the kind of failure only
    process.exitCode = fail(`unexpected failure: ${error instanceof Error ? error.name : 'unknown'}`, EXIT.failure);
  },
);
