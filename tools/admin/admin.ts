// npm run admin — administers customer accounts, API keys and top-ups on the
// database named by DATABASE_URL: open an account, deposit funds, set a
// credit limit, make an account's callback signing secret (printed once),
// create (printed once), revoke and list API keys, settle a
// top-up by hand (a recorded decision, the operator being the login name
// unless --operator names one), through the application's use cases over
// the PostgreSQL adapters. Never migrates the database (it
// says to run `npm run db:migrate`), never prints the database password, a
// key's hash or a stack trace. `npm run admin -- --help` tells the commands.
import {
  addCallbackSigningSecret,
  reconciliationStoreLayer,
  setCallbackSigningSecret,
} from '@airtime/persistence-postgres';
import { makeScaledClock, persistenceLayer, scaledClockLayer, uuidIdGeneratorLayer } from '@airtime/platform-runtime';
import { Effect, Either, Layer } from 'effect';
import { userInfo } from 'node:os';
import type { DataSource } from 'typeorm';
import { ADMIN_USAGE, parseAdminArguments } from './admin-arguments.input';
import { cliFail, messageOf, runCliMain, runOnCliDatabase } from '../db/cli-database.runner';
import { type AdminAction, runAdminCommand } from './admin-command.use-case';
import { adminRefusalText, adminReport, isBadArgument, isRefusal } from './admin-report.format';
import { CallbackSecretWriter } from './callback-secret-writer.port';

/** Exit statuses (see ADMIN_USAGE). */
const EXIT = { done: 0, failure: 1, badArguments: 2, refused: 3 } as const;

const fail = cliFail('admin');

/**
 * The ports of the admin commands over one DataSource (the platform's, the
 * reconciliation store and the callback secrets' writer), real time and
 * UUID v7 ids.
 */
const adminLayer = (dataSource: DataSource) =>
  Layer.mergeAll(
    persistenceLayer(dataSource),
    reconciliationStoreLayer(dataSource),
    Layer.succeed(CallbackSecretWriter, {
      set: (accountId, secret) => setCallbackSigningSecret(dataSource, accountId, secret),
      add: (accountId, secret) => addCallbackSigningSecret(dataSource, accountId, secret),
    }),
    uuidIdGeneratorLayer(),
    scaledClockLayer(makeScaledClock({ scale: 1 })),
  );

/** Who runs the command, for a settlement by hand without --operator: the login name. */
const loginName = (): string => {
  try {
    return userInfo().username || 'operator';
  } catch {
    return process.env['USER'] ?? 'operator';
  }
};

const run = async (dataSource: DataSource, action: AdminAction, url: string): Promise<number> => {
  const result = await Effect.runPromise(
    Effect.either(runAdminCommand(action, loginName()).pipe(Effect.provide(adminLayer(dataSource)))),
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
  return runOnCliDatabase(fail, (dataSource, url) => run(dataSource, command, url));
};

runCliMain(fail, main);
