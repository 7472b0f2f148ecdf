// The command line of `npm run ledger:fund`, read into the fundAccount input:
// the account and currency, the amount and the credit limit as decimals in
// the currency's major units (the domain's parseMoney: never rounded), and
// the deposit id that makes a re-run add nothing. Problems name flags, never
// the values given.
import { checkAccountId, checkDepositId, currencyOf, MAX_LEDGER_AMOUNT_MINOR, parseMoney } from '@airtime/domain';
import { parseArgs } from 'node:util';
import { Either } from 'effect';
import type { FundAccountInput } from './fund-account.use-case';

export const FUND_USAGE = `Opens a ledger account when it is missing and deposits money into it, on the database
named by DATABASE_URL (tmp/services.env when unset), then prints its balances.

  npm run ledger:fund -- --account ACCOUNT --currency USD --amount 100.00 --deposit-id ID [--credit-limit 50.00]

--amount and --credit-limit are decimals in the currency's major units, with at most its number
of decimals (USD 2, JPY 0, KWD 3). --deposit-id is yours to choose and names this deposit: running
the same command again adds nothing, so a new deposit needs a new id (using an id again with
another account or amount is refused). --credit-limit opens the account with that limit, or sets
it on an account already open; without it a new account has none and an open one keeps its own.
It makes no account record: the admin CLI's key create, account credit-limit and account
callback-secret refuse the account until npm run admin -- account create makes it (the report
then ends with a note saying so).
The database must be migrated first (npm run db:migrate); this command never migrates it.
Exit status: 0 done (or already done), 1 failure (database unreachable or not migrated),
2 bad arguments or settings, or a deposit or credit limit the ledger refuses.`;

export type FundPlan = { readonly kind: 'help' } | ({ readonly kind: 'fund' } & FundAccountInput);

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  account: { type: 'string' },
  currency: { type: 'string' },
  amount: { type: 'string' },
  'deposit-id': { type: 'string' },
  'credit-limit': { type: 'string' },
} as const;

const REQUIRED = ['account', 'currency', 'amount', 'deposit-id'] as const;

const readFlags = (argv: readonly string[]) => {
  try {
    return Either.right(parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    // node's messages name the flag, never a value (not `instanceof Error`: another realm under jest)
    const message = (error as { readonly message?: unknown } | null)?.message;
    return Either.left(typeof message === 'string' ? message : 'unreadable arguments');
  }
};

/** A decimal amount of `currency` in minor units, at least `minimumMinor`; the problem names the flag. */
const amountOf = (
  flag: '--amount' | '--credit-limit',
  text: string,
  currency: FundAccountInput['currency'],
  minimumMinor: bigint,
): Either.Either<bigint, string> => {
  const parsed = parseMoney(text, currency);
  if (Either.isLeft(parsed)) return Either.left(`${flag}: ${parsed.left.reason}`);
  const minor = parsed.right.amountMinor;
  if (minor < minimumMinor)
    return Either.left(minimumMinor > 0n ? `${flag} must be more than zero` : `${flag} must not be negative`);
  if (minor > MAX_LEDGER_AMOUNT_MINOR) return Either.left(`${flag} is more than the ledger can hold`);
  return Either.right(minor);
};

/** Reads the arguments (after `--`). */
export const parseFundArguments = (argv: readonly string[]): Either.Either<FundPlan, string> => {
  const parsed = readFlags(argv);
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const { values, positionals } = parsed.right;
  if (values.help === true) return Either.right({ kind: 'help' });
  if (positionals.length > 0) return Either.left('unexpected arguments: give every value after its flag');
  const missing = REQUIRED.filter((name) => values[name] === undefined);
  if (missing.length > 0) return Either.left(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  const { account = '', currency: code = '', amount = '', 'deposit-id': deposit = '' } = values;

  const accountId = checkAccountId(account);
  if (Either.isLeft(accountId)) return Either.left(`--account: ${accountId.left.message}`);
  const depositId = checkDepositId(deposit);
  if (Either.isLeft(depositId)) return Either.left(`--deposit-id: ${depositId.left.message}`);
  const currency = currencyOf(code);
  if (Either.isLeft(currency))
    return Either.left('--currency must be an ISO 4217 code with minor units, in capitals (USD, PHP, KES, JPY)');
  const amountMinor = amountOf('--amount', amount, currency.right, 1n);
  if (Either.isLeft(amountMinor)) return Either.left(amountMinor.left);
  const limit = values['credit-limit'];
  const creditLimitMinor =
    limit === undefined ? Either.right(undefined) : amountOf('--credit-limit', limit, currency.right, 0n);
  if (Either.isLeft(creditLimitMinor)) return Either.left(creditLimitMinor.left);

  return Either.right({
    kind: 'fund',
    accountId: accountId.right,
    currency: currency.right,
    amountMinor: amountMinor.right,
    depositId: depositId.right,
    creditLimitMinor: creditLimitMinor.right,
  });
};
