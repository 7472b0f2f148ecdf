// What `npm run ledger:fund` prints: what this run did (opened the account,
// deposited, or found the deposit id already recorded and added nothing,
// changed the credit limit), then the account's balances after it, in the
// currency's major units, and a note when the account has no account record
// (the admin CLI's account create); and a refusal of the ledger told in
// major units too.
import { type Currency, currencyOf, formatMoney, type LedgerAccount, money } from '@airtime/domain';
import { Either } from 'effect';
import type { FundAccountInput, FundAccountResult } from './fund-account.use-case';

/** An amount in major units with its code (`USD 4.84`, `KWD -0.001`). */
export const amount = (minor: bigint, currency: Currency): string =>
  `${currency.code} ${formatMoney(money(minor, currency))}`;

/** The lines of what this run did. */
const actions = (input: FundAccountInput, result: FundAccountResult): string[] => {
  const { currency } = input;
  return [
    result.opened
      ? `opened account ${input.accountId} in ${currency.code} (credit limit ${amount(result.account.creditLimitMinor, currency)})`
      : undefined,
    result.deposited
      ? `deposited ${amount(input.amountMinor, currency)} under deposit id ${input.depositId}`
      : `deposit id ${input.depositId} was already recorded: nothing added`,
    result.creditLimitChanged ? `credit limit set to ${amount(result.account.creditLimitMinor, currency)}` : undefined,
  ].filter((line): line is string => line !== undefined);
};

/** The balances of an account, one per line, the numbers aligned on the right. */
export const balanceLines = (account: LedgerAccount): string[] => {
  const rows: [string, bigint][] = [
    ['available', account.availableMinor],
    ['holding', account.holdingMinor],
    ['credit limit', account.creditLimitMinor],
    ['funded', account.fundedMinor],
    ['captured', account.capturedMinor],
    ['reversed', account.reversedMinor],
  ];
  const numbers = rows.map(([label, minor]) => [label, formatMoney(money(minor, account.currency))] as const);
  const width = Math.max(...numbers.map(([, text]) => text.length));
  return numbers.map(([label, text]) => `  ${`${label}:`.padEnd(14)}${account.currency.code} ${text.padStart(width)}`);
};

/** A word for the shell: as it is when it is plain, else in single quotes. */
const shellWord = (text: string): string =>
  /^[A-Za-z0-9_./@%+=:,-]+$/.test(text) ? text : `'${text.split("'").join(`'\\''`)}'`;

/**
 * The note of an account with no account record (the directory's, made by
 * `npm run admin -- account create`): the ledger account is funded, but the
 * admin CLI refuses the account's keys, credit limits and callback secret
 * until the record is made.
 */
const missingRecordNote = (accountId: string): string[] => [
  `note: ${accountId} has no account record, so npm run admin refuses its API keys, credit limits and callback secret`,
  `  (exit 3 "no such account"); make it first: npm run admin -- account create --id ${shellWord(accountId)} --name "<name>"`,
];

/**
 * The whole report; with `accountRecord: false` (the account is not in the
 * account directory), ending with how to make its record.
 */
export const fundReport = (
  input: FundAccountInput,
  result: FundAccountResult,
  options: { readonly accountRecord: boolean } = { accountRecord: true },
): string =>
  [
    ...actions(input, result),
    `account ${result.account.accountId} (${result.account.currency.code}) now:`,
    ...balanceLines(result.account),
    ...(options.accountRecord ? [] : missingRecordNote(input.accountId)),
  ].join('\n');

/**
 * A refusal of the ledger as printed: the amounts of a deposit id recorded
 * with another amount in major units ("recorded as USD 100.00 ..., now USD
 * 50.00 ..."), where the ledger tells them in minor units; any other
 * refusal as the ledger tells it.
 */
export const refusalText = (error: { readonly _tag: string; readonly message: string }): string =>
  error._tag !== 'IdempotencyConflict'
    ? error.message
    : error.message.replace(
        /\b(recorded as|now) (\d+) ([A-Z]{3}) (to|on) "/g,
        (text: string, lead: string, minor: string, code: string, preposition: string) => {
          const currency = currencyOf(code);
          return Either.isLeft(currency) ? text : `${lead} ${amount(BigInt(minor), currency.right)} ${preposition} "`;
        },
      );
