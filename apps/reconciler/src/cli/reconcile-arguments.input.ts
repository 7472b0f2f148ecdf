// The command line of `npm run reconcile`: the window to reconcile (one UTC
// day with --date, or --from/--to instants; yesterday by default), the
// provider, where the report goes, --json and --help, read with node's
// parseArgs into one ReconcileCommand. A problem is one line naming the
// flag and what it expects, never the value given.
import { parseArgs } from 'node:util';
import { Either } from 'effect';

export const RECONCILE_USAGE = `Reconciles one window of our books with the provider's: settles stale top-ups,
matches the provider's transaction list against ours, compares balances, and writes a report.

  npm run reconcile -- [--date YYYY-MM-DD | --from ISO --to ISO] [--provider ID]
                       [--report-dir DIR] [--json]

  --date YYYY-MM-DD   the UTC day [00:00, 24:00) (default: yesterday, UTC)
  --from, --to ISO    an instant window [from, to), e.g. 2026-11-30T00:00:00Z (both, at most 31 days;
                      to the millisecond at most)
  --provider ID       the provider's id (default: the configured provider's, PROVIDER: dtone);
                      africastalking or engagespark: that provider, from its own variables
  --report-dir DIR    where the report files go (default: RECONCILE_REPORT_DIR, reports/reconciliation)
  --json              print the JSON report on stdout instead of the summary (progress goes to stderr)
  --help              this text

Exit status: 0 everything matches or was settled,
1 mismatches remain, or the provider cannot list its transactions (UNVERIFIED): see the report,
2 bad arguments or configuration,
3 another run of the window is in progress, or the run failed (provider or database unreachable):
  run it again later (it resumes).`;

/** The longest window one run reconciles. */
export const MAX_WINDOW_DAYS = 31;

const DAY_MS = 86_400_000;

export interface ReconcileRun {
  readonly kind: 'run';
  /** Window start, inclusive (UTC instant). */
  readonly from: Date;
  /** Window end, exclusive (UTC instant). */
  readonly to: Date;
  /** The provider id asked for; undefined: the configured provider's. */
  readonly providerId: string | undefined;
  /** The report folder asked for; undefined: the configured one. */
  readonly reportDir: string | undefined;
  /** Print the JSON report on stdout (the summary otherwise). */
  readonly json: boolean;
}

export type ReconcileCommand = { readonly kind: 'help' } | ReconcileRun;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An instant with its offset: date, time to the minute at least, then Z or ±HH:MM. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The UTC midnight starting the calendar day `text` (YYYY-MM-DD), or undefined when it is no such day. */
export const utcDayStart = (text: string): Date | undefined => {
  const match = DATE.exec(text);
  if (match === null) return undefined;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const start = new Date(Date.UTC(year, month - 1, day));
  const real =
    start.getUTCFullYear() === year && start.getUTCMonth() === month - 1 && start.getUTCDate() === day && year >= 2000;
  return real ? start : undefined;
};

/** Yesterday (UTC) of `now`: [previous midnight - 24 h, previous midnight). */
export const yesterdayOf = (now: Date): { readonly from: Date; readonly to: Date } => {
  const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  return { from: new Date(to.getTime() - DAY_MS), to };
};

const instantOf = (text: string): Date | undefined => {
  // the calendar day itself must exist (Date would roll 2026-11-31 over to December)
  if (!INSTANT.test(text) || utcDayStart(text.slice(0, 10)) === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  date: { type: 'string', multiple: true },
  from: { type: 'string', multiple: true },
  to: { type: 'string', multiple: true },
  provider: { type: 'string', multiple: true },
  'report-dir': { type: 'string', multiple: true },
} as const;

const FLAGS = ['date', 'from', 'to', 'provider', 'report-dir', 'json', 'help'].map((flag) => `--${flag}`).join(', ');

/** node's parseArgs error as one line of ours (node's own advises on positionals, with an unbalanced quote). */
const errorMessage = (error: unknown): string => {
  const { code, message } = (error ?? {}) as { readonly code?: unknown; readonly message?: unknown };
  const text = typeof message === 'string' ? message : '';
  // the flag as typed, before any "=value" (node quotes only the flag's name)
  const flag = /'(-{1,2}[^'\s=<]*)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined)
    return `unknown flag ${flag}; the flags are ${FLAGS}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined)
    return text.includes('does not take an argument') ? `${flag}: takes no value` : `${flag}: expected a value`;
  return `unreadable arguments; the flags are ${FLAGS}`;
};

/** Digits of a fraction of a second finer than the millisecond that are not zero. */
const FINER_THAN_MS = /\.\d{3}0*[1-9]/;

const windowOf = (
  values: { readonly date: string | undefined; readonly from: string | undefined; readonly to: string | undefined },
  now: Date,
): Either.Either<{ readonly from: Date; readonly to: Date }, string> => {
  if (values.date !== undefined) {
    if (values.from !== undefined || values.to !== undefined)
      return Either.left('give --date or --from/--to, not both');
    const start = utcDayStart(values.date);
    if (start === undefined) return Either.left('--date: expected a calendar day YYYY-MM-DD (UTC), from 2000');
    return Either.right({ from: start, to: new Date(start.getTime() + DAY_MS) });
  }
  if (values.from === undefined && values.to === undefined) return Either.right(yesterdayOf(now));
  if (values.from === undefined || values.to === undefined) return Either.left('give both --from and --to');
  for (const [flag, text] of [
    ['--from', values.from],
    ['--to', values.to],
  ] as const) {
    if (INSTANT.test(text) && FINER_THAN_MS.test(text))
      return Either.left(`${flag}: at most milliseconds (e.g. 2026-11-30T00:00:00.123Z)`);
  }
  const from = instantOf(values.from);
  if (from === undefined)
    return Either.left('--from: expected an ISO 8601 instant with its offset, e.g. 2026-11-30T00:00:00Z');
  const to = instantOf(values.to);
  if (to === undefined)
    return Either.left('--to: expected an ISO 8601 instant with its offset, e.g. 2026-12-01T00:00:00Z');
  if (to.getTime() <= from.getTime()) return Either.left('--to: expected an instant after --from');
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS)
    return Either.left(`--from/--to: expected a window of at most ${MAX_WINDOW_DAYS} days`);
  return Either.right({ from, to });
};

/**
 * Reads the arguments (after `--`) at `now`: `help` for --help/-h, otherwise
 * the run, or the one-line problem (unknown or repeated flag, a flag without
 * its value, stray argument, bad date or instant, an instant finer than the
 * millisecond (refused, never cut), a window that is empty, longer than
 * MAX_WINDOW_DAYS or starts after `now`, a bad provider id, an empty
 * report folder).
 */
export const parseReconcileArguments = (
  argv: readonly string[],
  now: Date,
): Either.Either<ReconcileCommand, string> => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return Either.left(errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return Either.right({ kind: 'help' });
  if (positionals.length > 0) return Either.left('unexpected arguments: every value goes after its flag');
  const single = (
    flag: 'date' | 'from' | 'to' | 'provider' | 'report-dir',
  ): Either.Either<string | undefined, string> => {
    const given = values[flag] ?? [];
    return given.length > 1 ? Either.left(`--${flag} is given more than once`) : Either.right(given[0]);
  };
  return Either.gen(function* () {
    const date = yield* single('date');
    const from = yield* single('from');
    const to = yield* single('to');
    const providerId = yield* single('provider');
    const reportDir = yield* single('report-dir');
    const window = yield* windowOf({ date, from, to }, now);
    if (window.from.getTime() > now.getTime()) return yield* Either.left('the window starts in the future');
    if (providerId !== undefined && !PROVIDER_ID.test(providerId))
      return yield* Either.left('--provider: expected a provider id (lower-case letters, digits, ".", "_", "-")');
    if (reportDir !== undefined && (reportDir.trim() === '' || reportDir.includes('\0')))
      return yield* Either.left('--report-dir: expected a folder path');
    return { kind: 'run' as const, ...window, providerId, reportDir, json: values.json === true };
  });
};

const parse = (argv: readonly string[]) =>
  parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
