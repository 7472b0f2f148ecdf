// npm run ledger:fund — opens a ledger account when it is missing and
// deposits into it under a deposit id of the caller's choosing (a re-run of
// the same command adds nothing), on the database named by DATABASE_URL,
// then prints the account's balances, with a note when the account has no
// account record (it makes none: `npm run admin -- account create` does,
// which the admin CLI's other commands need). For running the consumer by hand
// (`npm run consumer`): a command for an account with no ledger account is
// dead-lettered ACCOUNT_NOT_FOUND. Never migrates the database (it says to
// run `npm run db:migrate`) and never prints the database password.
// `npm run ledger:fund -- --help` tells the flags.
import { LedgerStore } from '@airtime/domain';
import { makeAccountDirectory, makeLedgerStore } from '@airtime/persistence-postgres';
import { Effect, Either, Option } from 'effect';
import type { DataSource } from 'typeorm';
import { cliFail, messageOf, runCliMain, runOnCliDatabase } from '../db/cli-database.runner';
import { fundAccount, type FundAccountInput } from './fund-account.use-case';
import { FUND_USAGE, parseFundArguments } from './fund-arguments.input';
import { fundReport, refusalText } from './fund-report.format';

/** Ledger refusals of what was asked (exit 2); anything else is a failure (exit 1). */
const REFUSALS = new Set([
  'InvalidIdentifier',
  'InvalidLedgerCurrency',
  'InvalidLedgerAmount',
  'IdempotencyConflict',
  'CreditLimitInUse',
  'AccountAlreadyOpen',
]);

const fail = cliFail('ledger:fund');

const fund = async (dataSource: DataSource, input: FundAccountInput, url: string): Promise<number> => {
  const result = await Effect.runPromise(
    Effect.either(fundAccount(input).pipe(Effect.provideService(LedgerStore, makeLedgerStore(dataSource)))),
  );
  if (Either.isLeft(result)) {
    const error = result.left;
    return REFUSALS.has(error._tag) ? fail(`refused: ${refusalText(error)}`, 2) : fail(messageOf(error, url), 1);
  }
  // the ledger account alone is not an account: the admin CLI refuses keys, credit limits and secrets without a record
  const record = await Effect.runPromise(makeAccountDirectory(dataSource).find(input.accountId));
  process.stdout.write(`${fundReport(input, result.right, { accountRecord: Option.isSome(record) })}\n`);
  return 0;
};

const main = async (): Promise<number> => {
  const plan = parseFundArguments(process.argv.slice(2));
  if (Either.isLeft(plan)) return fail(`${plan.left}\n\n${FUND_USAGE}`, 2);
  if (plan.right.kind === 'help') {
    process.stdout.write(`${FUND_USAGE}\n`);
    return 0;
  }
  const input: FundAccountInput = plan.right;
  return runOnCliDatabase(fail, (dataSource, url) => fund(dataSource, input, url));
};

runCliMain(fail, main);
