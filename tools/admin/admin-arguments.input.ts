// The command line of `npm run admin`: a resource and a verb (account create,
// account deposit, account credit-limit, account callback-secret, key create,
// key revoke, key list, top-up settle) and their flags (and the top-up id of top-up settle), read
// into one AdminCommand. Only the shape is checked here (the command exists,
// every flag it needs is given once, nothing else; the top-up id is a UUID);
// the values are decoded by the use cases, which own their rules.
// Problems name commands and flags, never the values given.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Either } from 'effect';

export const ADMIN_USAGE = `Administers accounts, API keys and top-ups on the database named by DATABASE_URL
(tmp/services.env when unset). The database must be migrated first (npm run db:migrate).

  npm run admin -- account create --id ACCOUNT --name NAME
  npm run admin -- account deposit --id ACCOUNT --currency USD --amount 100.00 [--deposit-id ID]
  npm run admin -- account credit-limit --id ACCOUNT --currency USD --limit 50.00
  npm run admin -- account callback-secret --id ACCOUNT [--rotate]
  npm run admin -- key create --account ACCOUNT [--account ACCOUNT2 ...] --label LABEL
  npm run admin -- key revoke --key-id KEY_ID
  npm run admin -- key list --account ACCOUNT
  npm run admin -- top-up settle TOP_UP_ID --status STATUS --reason "WHY" [--operator NAME] [--force]

account deposit, account credit-limit, account callback-secret and key create need the account
made by account create first (npm run ledger:fund makes none): otherwise they are refused (exit 3).
Amounts are decimals in the currency's major units, with at most its number of decimals
(USD 2, JPY 0, KWD 3). --deposit-id names the deposit: the same deposit again adds nothing;
without it a fresh id is made and printed. key create prints the API key once: it is stored
hashed and cannot be shown again. A key sees and spends only the accounts it was created for.
account callback-secret makes the secret the account's callbacks are signed with (HMAC-SHA256,
header X-Airtime-Signature) and prints it once; until the account has one, a request naming a
callback_url for it is refused (CALLBACK_SECRET_MISSING). An account that has one keeps it
unless --rotate is given: then the new one signs every try from now on.
top-up settle moves a top-up the reconciler could not settle (a provider with no status query)
to a final DVS status (COMPLETED, DECLINED, REJECTED, CANCELLED; REVERSED for a COMPLETED one),
its ledger following; the reason (up to 500 characters, no control characters but tab and
line feed; refused before anything is written) and the operator (default: the login name) are
recorded with it. A final top-up is refused (but a COMPLETED one may be REVERSED). An open
top-up that the latest reconciliation run of its provider does not list as awaiting a
decision is refused, since its provider may still deliver it; --force settles it anyway,
once you have checked with the provider that it is final there.
TOP_UP_ID is the top-up's id, a UUID (any letter case); other text is a bad argument (exit 2).
Exit status: 0 done, 1 failure (database unreachable or not migrated), 2 bad arguments,
3 refused (unknown account, key or top-up, an account that exists, a deposit id used with
another amount, a top-up already final or not awaiting a decision, a callback secret already
set and no --rotate).`;

export type AdminCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'account-create'; readonly accountId: string; readonly name: string }
  | {
      readonly kind: 'account-deposit';
      readonly accountId: string;
      readonly currency: string;
      readonly amount: string;
      readonly depositId: string | undefined;
    }
  | {
      readonly kind: 'account-credit-limit';
      readonly accountId: string;
      readonly currency: string;
      readonly creditLimit: string;
    }
  | {
      readonly kind: 'account-callback-secret';
      readonly accountId: string;
      /** Replace the secret the account already has (without it, an existing secret is kept and the command refused). */
      readonly rotate: boolean;
    }
  | { readonly kind: 'key-create'; readonly accountIds: readonly string[]; readonly label: string }
  | { readonly kind: 'key-revoke'; readonly keyId: string }
  | { readonly kind: 'key-list'; readonly accountId: string }
  | {
      readonly kind: 'top-up-settle';
      readonly topUpId: string;
      readonly status: string;
      readonly reason: string;
      /** Undefined: the login name of whoever runs the command. */
      readonly operator: string | undefined;
      /** --force: settle an open top-up no reconciliation run has listed as awaiting a decision. */
      readonly force: boolean;
    };

type Values = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

interface CommandSpec {
  /** Flags taken once, whether required. */
  readonly flags: Readonly<Record<string, 'required' | 'optional'>>;
  /** A flag that may be repeated (at least once). */
  readonly repeated?: string;
  /** Flags that take no value (`--rotate`), false when not given. */
  readonly switches?: readonly string[];
  /** The name of the one argument the command takes before its flags (e.g. a top-up id). */
  readonly argument?: string;
  /**
   * The shape the argument must have, told when it has another (a usage
   * error, exit 2, before anything is read or written).
   */
  readonly argumentShape?: { readonly test: (given: string) => boolean; readonly rule: string };
  readonly build: (values: Values, argument: string) => AdminCommand;
}

const text = (values: Values, flag: string): string => {
  const value = values[flag];
  return typeof value === 'string' ? value : '';
};

const optionalText = (values: Values, flag: string): string | undefined => {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
};

const list = (values: Values, flag: string): readonly string[] => {
  const value = values[flag];
  return Array.isArray(value) ? value : [];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A top-up id: the platform's ids are UUIDs, so any other text is a usage
 * error (exit 2), never looked up (it was "no top-up with this id", exit 3,
 * as if a well-formed id had been refused).
 */
const TOP_UP_ID_SHAPE = {
  test: (given: string): boolean => UUID.test(given.trim()),
  rule: 'must be a top-up id: a UUID, 32 hexadecimal digits in groups of 8-4-4-4-12 (any letter case)',
} as const;

/**
 * A top-up id as stored: the platform's ids are lower-case UUIDs, so one
 * pasted in capitals (a provider's dashboard, a ticket) is read in lower
 * case (the shape is checked first: TOP_UP_ID_SHAPE).
 */
const topUpIdOf = (given: string): string => given.trim().toLowerCase();

/** Every command: `<resource> <verb>` and its flags. */
const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  'account create': {
    flags: { id: 'required', name: 'required' },
    build: (values) => ({ kind: 'account-create', accountId: text(values, 'id'), name: text(values, 'name') }),
  },
  'account deposit': {
    flags: { id: 'required', currency: 'required', amount: 'required', 'deposit-id': 'optional' },
    build: (values) => ({
      kind: 'account-deposit',
      accountId: text(values, 'id'),
      currency: text(values, 'currency'),
      amount: text(values, 'amount'),
      depositId: optionalText(values, 'deposit-id'),
    }),
  },
  'account credit-limit': {
    flags: { id: 'required', currency: 'required', limit: 'required' },
    build: (values) => ({
      kind: 'account-credit-limit',
      accountId: text(values, 'id'),
      currency: text(values, 'currency'),
      creditLimit: text(values, 'limit'),
    }),
  },
  'account callback-secret': {
    flags: { id: 'required' },
    switches: ['rotate'],
    build: (values) => ({
      kind: 'account-callback-secret',
      accountId: text(values, 'id'),
      rotate: values['rotate'] === true,
    }),
  },
  'key create': {
    flags: { label: 'required' },
    repeated: 'account',
    build: (values) => ({ kind: 'key-create', accountIds: list(values, 'account'), label: text(values, 'label') }),
  },
  'key revoke': {
    flags: { 'key-id': 'required' },
    build: (values) => ({ kind: 'key-revoke', keyId: text(values, 'key-id') }),
  },
  'key list': {
    flags: { account: 'required' },
    build: (values) => ({ kind: 'key-list', accountId: text(values, 'account') }),
  },
  'top-up settle': {
    argument: 'TOP_UP_ID',
    argumentShape: TOP_UP_ID_SHAPE,
    flags: { status: 'required', reason: 'required', operator: 'optional' },
    switches: ['force'],
    build: (values, topUpId) => ({
      kind: 'top-up-settle',
      topUpId: topUpIdOf(topUpId),
      status: text(values, 'status'),
      reason: text(values, 'reason'),
      operator: optionalText(values, 'operator'),
      force: values['force'] === true,
    }),
  },
};

/** The commands, as `<resource> <verb>`, for messages. */
export const ADMIN_COMMANDS: readonly string[] = Object.keys(COMMANDS);

const errorMessage = (error: unknown): string => {
  // node's messages name the flag, never a value (not `instanceof Error`: another realm under jest)
  const message = (error as { readonly message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : 'unreadable arguments';
};

/**
 * Every flag that takes a value read as a list, so that a repeated single
 * flag is told, not silently the last one; a switch is a boolean (given
 * with a value, `--rotate=no`, it is refused).
 */
const optionsOf = (spec: CommandSpec): ParseArgsConfig['options'] => ({
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(
    [...Object.keys(spec.flags), ...(spec.repeated === undefined ? [] : [spec.repeated])].map((flag) => [
      flag,
      { type: 'string', multiple: true },
    ]),
  ),
  ...Object.fromEntries((spec.switches ?? []).map((flag) => [flag, { type: 'boolean' }])),
});

/** Flags of `spec` given more than once, or given empty, or missing: the first problem, naming the flag. */
const flagProblem = (spec: CommandSpec, values: Values): string | undefined => {
  const missing = Object.entries(spec.flags)
    .filter(([flag, need]) => need === 'required' && list(values, flag).length === 0)
    .map(([flag]) => `--${flag}`);
  if (spec.repeated !== undefined && list(values, spec.repeated).length === 0) missing.unshift(`--${spec.repeated}`);
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const repeated = Object.keys(spec.flags).find((flag) => list(values, flag).length > 1);
  if (repeated !== undefined) return `--${repeated} is given more than once`;
  const flags = [...Object.keys(spec.flags), ...(spec.repeated === undefined ? [] : [spec.repeated])];
  const empty = flags.find((flag) => list(values, flag).some((value) => value.trim() === ''));
  return empty === undefined ? undefined : `--${empty} is empty`;
};

/** Single flags as strings, the repeated flag as a list. */
const settle = (spec: CommandSpec, values: Values): Values =>
  Object.fromEntries(
    Object.entries(values).map(([flag, value]) =>
      flag !== spec.repeated && Array.isArray(value) ? [flag, value[0]] : [flag, value],
    ),
  );

/**
 * Reads the arguments (after `--`): `help` for `--help`/`-h`/no arguments,
 * otherwise the command, or the problem (an unknown command, a missing,
 * repeated, empty or unknown flag, a stray argument, a missing argument of
 * a command that takes one, or one not of its shape: a TOP_UP_ID that is
 * no UUID).
 */
export const parseAdminArguments = (argv: readonly string[]): Either.Either<AdminCommand, string> => {
  const [resource, verb, ...rest] = argv;
  if (resource === undefined || resource === '--help' || resource === '-h' || resource === 'help')
    return Either.right({ kind: 'help' });
  const name = `${resource} ${verb ?? ''}`.trim();
  const spec = COMMANDS[name];
  if (spec === undefined)
    return Either.left(
      verb === undefined || verb.startsWith('-')
        ? `unknown or incomplete command: give one of ${ADMIN_COMMANDS.join(', ')}`
        : `unknown command: give one of ${ADMIN_COMMANDS.join(', ')}`,
    );
  let values: Values;
  let positionals: readonly string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: optionsOf(spec),
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return Either.left(`${name}: ${errorMessage(error)}`);
  }
  if (values['help'] === true) return Either.right({ kind: 'help' });
  const expected = spec.argument === undefined ? 0 : 1;
  if (positionals.length > expected)
    return Either.left(`${name}: unexpected arguments: give every value after its flag`);
  const [argument = ''] = positionals;
  if (spec.argument !== undefined && argument.trim() === '') return Either.left(`${name}: missing ${spec.argument}`);
  // the argument's rule, never the text given (it may be long or hold escapes)
  if (spec.argument !== undefined && spec.argumentShape !== undefined && !spec.argumentShape.test(argument))
    return Either.left(`${name}: ${spec.argument} ${spec.argumentShape.rule}`);
  const problem = flagProblem(spec, values);
  return problem === undefined
    ? Either.right(spec.build(settle(spec, values), argument))
    : Either.left(`${name}: ${problem}`);
};
