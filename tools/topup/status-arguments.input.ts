// The command line of `npm run topup:status`, read into a plan: which top-up
// (by id, or by account and external id), and whether to watch it until it
// is final. Problems name flags, never values.
import { parseArgs } from 'node:util';
import { Either } from 'effect';

export const STATUS_USAGE = `Shows a top-up: its status, amounts and quote, its attempts and provider exchanges,
its ledger movements and its events, read from PostgreSQL (DATABASE_URL).

  npm run topup:status -- --account ACCOUNT --external-id ID [--watch] [--timeout SECONDS]
  npm run topup:status -- --id TOP_UP_ID [--watch] [--timeout SECONDS]

--watch polls every second until the top-up is final (COMPLETED, DECLINED, REJECTED,
CANCELLED or REVERSED), printing each change, then the whole report; it also waits for a
top-up the consumer has not created yet. --timeout bounds the wait (default 300 seconds).
The phone number is shown with all but its last 4 digits masked.
Exit status: 0 found (and final, with --watch), 1 not found, 2 bad arguments or settings,
3 still not final when --watch timed out.`;

/** Which top-up. */
export type TopUpLookup =
  | { readonly by: 'id'; readonly topUpId: string }
  | { readonly by: 'externalId'; readonly accountId: string; readonly externalId: string };

export type StatusPlan =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'show';
      readonly lookup: TopUpLookup;
      readonly watch: boolean;
      /** How long --watch waits for a final status. */
      readonly timeoutMs: number;
    };

export const DEFAULT_WATCH_TIMEOUT_MS = 300_000;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  id: { type: 'string' },
  account: { type: 'string' },
  'external-id': { type: 'string' },
  watch: { type: 'boolean', short: 'w' },
  timeout: { type: 'string' },
} as const;

const readFlags = (argv: readonly string[]) => {
  try {
    return Either.right(parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    // node's messages name the flag, never a value (not `instanceof Error`: another realm under jest)
    const message = (error as { readonly message?: unknown } | null)?.message;
    return Either.left(typeof message === 'string' ? message : 'unreadable arguments');
  }
};

/** A flag's value: present and not blank. */
const given = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

const timeoutOf = (value: string | undefined): Either.Either<number, string> => {
  if (value === undefined) return Either.right(DEFAULT_WATCH_TIMEOUT_MS);
  return /^[1-9][0-9]{0,5}$/.test(value) && Number(value) <= 86_400
    ? Either.right(Number(value) * 1_000)
    : Either.left('--timeout must be a whole number of seconds from 1 to 86400');
};

/** Reads the arguments (after `--`). */
export const parseStatusArguments = (argv: readonly string[]): Either.Either<StatusPlan, string> => {
  const parsed = readFlags(argv);
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const { values, positionals } = parsed.right;
  if (values.help === true) return Either.right({ kind: 'help' });
  if (positionals.length > 0) return Either.left('unexpected arguments: give every value after its flag');
  const timeoutMs = timeoutOf(values.timeout);
  if (Either.isLeft(timeoutMs)) return Either.left(timeoutMs.left);
  if (values.timeout !== undefined && values.watch !== true) return Either.left('--timeout goes with --watch');
  const watch = values.watch === true;

  const byKey = values.account !== undefined || values['external-id'] !== undefined;
  if (values.id !== undefined) {
    if (byKey) return Either.left('give either --id, or --account with --external-id, not both');
    if (!given(values.id)) return Either.left('--id must not be empty');
    return Either.right({ kind: 'show', lookup: { by: 'id', topUpId: values.id }, watch, timeoutMs: timeoutMs.right });
  }
  if (!byKey) return Either.left('say which top-up: --id, or --account with --external-id');
  const missing = (['account', 'external-id'] as const).filter((name) => !given(values[name]));
  if (missing.length > 0) return Either.left(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  return Either.right({
    kind: 'show',
    lookup: { by: 'externalId', accountId: values.account as string, externalId: values['external-id'] as string },
    watch,
    timeoutMs: timeoutMs.right,
  });
};

/** How the lookup reads in messages ("top-up 0193…", "top-up order-42 of account acme"). */
export const describeLookup = (lookup: TopUpLookup): string =>
  lookup.by === 'id'
    ? `top-up ${lookup.topUpId}`
    : `top-up with external id ${lookup.externalId} of account ${lookup.accountId}`;
