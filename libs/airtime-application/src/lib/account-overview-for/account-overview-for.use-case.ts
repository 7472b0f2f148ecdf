// An overview of the caller's accounts for the console: their balances, and
// their top-ups of the last 24 hours per UTC hour by status, with the success
// rate of each provider and operator.
import { isFinalClass, type LedgerAccount, type PersistenceFailure, type TransactionClass } from '@airtime/domain';
import { Effect } from 'effect';
import { type CustomerAccountNotFound, InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import type { ScopedRequest } from '../api-access/api-principal';
import { checkAccountScope } from '../api-access/api-scope.check';
import { accountBalances } from '../account-balances/account-balances.use-case';
import type { LedgerQueries } from '../ports/ledger-queries.port';
import {
  type OperatorOutcomes,
  type OutcomeCount,
  type ProviderOutcomes,
  type TopUpActivity,
  TopUpQueries,
} from '../ports/top-up-queries.port';
import { AccountOverviewForInput, type AccountOverviewForInputJson } from './account-overview-for.input';

/** How the overview counts a top-up: its final class, or `pending` while it is not final. */
export const OVERVIEW_STATUSES = ['COMPLETED', 'REVERSED', 'REJECTED', 'CANCELLED', 'DECLINED', 'pending'] as const;
export type OverviewStatus = (typeof OVERVIEW_STATUSES)[number];

/** The hours an overview covers: the current UTC hour and the 23 before it. */
export const OVERVIEW_HOURS = 24;

const HOUR_MS = 3_600_000;

/** Top-ups counted by overview status. */
export type StatusCounts = Readonly<Record<OverviewStatus, number>>;

/** The top-ups created in one UTC hour, by their status now. */
export interface HourOfTopUps {
  /** The hour's start, UTC (minutes, seconds and milliseconds 0). */
  readonly hourStart: Date;
  readonly counts: StatusCounts;
  /** Every top-up of the hour (the sum of `counts`). */
  readonly total: number;
}

/** `completed / final` (0..1), or undefined when none is final yet. */
export interface SuccessRate {
  readonly successRate: number | undefined;
}

/** The balances of one account (see `accountBalances`). */
export interface AccountBalancesOf {
  readonly accountId: string;
  /** One per currency opened, by currency code; amounts in minor units. */
  readonly balances: readonly LedgerAccount[];
}

export interface AccountOverview {
  /** The accounts overviewed, in the principal's order (or the one asked for). */
  readonly accounts: readonly AccountBalancesOf[];
  /** The first instant counted: the start of the UTC hour 23 hours before `now`'s. */
  readonly from: Date;
  /** The last instant counted (`now`, included). */
  readonly to: Date;
  /** OVERVIEW_HOURS hours, oldest first, each counted by the status its top-ups have now. */
  readonly hours: readonly HourOfTopUps[];
  /** Every top-up of the window by status. */
  readonly totals: StatusCounts;
  /** Per provider of a top-up's last attempt (top-ups never sent are not counted), by provider id. */
  readonly providers: readonly (ProviderOutcomes & SuccessRate)[];
  /** Per operator (the quote's), by operator id. */
  readonly operators: readonly (OperatorOutcomes & SuccessRate)[];
}

export type AccountOverviewForError = InvalidInput | CustomerAccountNotFound | PersistenceFailure;

const noCounts = (): Record<OverviewStatus, number> =>
  Object.fromEntries(OVERVIEW_STATUSES.map((status) => [status, 0])) as Record<OverviewStatus, number>;

const overviewStatusOf = (statusClass: TransactionClass): OverviewStatus =>
  isFinalClass(statusClass) ? (statusClass as OverviewStatus) : 'pending';

const withRate = <A extends OutcomeCount>(outcomes: A): A & SuccessRate => ({
  ...outcomes,
  successRate: outcomes.final === 0 ? undefined : outcomes.completed / outcomes.final,
});

/** The hours of the window from `fromMs`, each counted from `activity`, and the totals. */
const hoursOf = (fromMs: number, activity: TopUpActivity) => {
  const hours = Array.from({ length: OVERVIEW_HOURS }, () => noCounts());
  const totals = noCounts();
  for (const { hourStart, statusClass, count } of activity.hourly) {
    const index = Math.floor((hourStart.getTime() - fromMs) / HOUR_MS);
    const status = overviewStatusOf(statusClass);
    const hour = hours[index];
    if (hour === undefined) continue; // never: the query counts the window only
    hour[status] += count;
    totals[status] += count;
  }
  return {
    hours: hours.map((counts, index) => ({
      hourStart: new Date(fromMs + index * HOUR_MS),
      counts,
      total: OVERVIEW_STATUSES.reduce((sum, status) => sum + counts[status], 0),
    })),
    totals,
  };
};

const NO_ACTIVITY: TopUpActivity = { hourly: [], byProvider: [], byOperator: [] };

/**
 * The overview of the principal's accounts (or of `accountId`, one of them,
 * else `CustomerAccountNotFound`; `InvalidInput` naming a field that does not
 * decode, or `now` when it is not a valid date): each account's balances,
 * and its top-ups created from the start of the UTC hour 23 hours before
 * `now`'s up to `now` included (the current hour so far and the 23 whole
 * hours before it: OVERVIEW_HOURS buckets), counted per creation hour by the
 * status they have now (a final class, or `pending`), in total, and per
 * provider and operator with `completed / final` (REVERSED is final, not a
 * success). Two reads of the ledger per account and one aggregate query,
 * not one snapshot. A principal with no account gets an empty overview.
 */
export const accountOverviewFor = (
  request: ScopedRequest<AccountOverviewForInputJson> & { readonly now: Date },
): Effect.Effect<AccountOverview, AccountOverviewForError, LedgerQueries | TopUpQueries> =>
  Effect.gen(function* () {
    const { principal, now, ...fields } = request;
    const input = yield* decodeInput(AccountOverviewForInput)(fields);
    if (!(now instanceof Date) || Number.isNaN(now.getTime()))
      return yield* new InvalidInput({ field: 'now', reason: 'expected a valid date' });
    const accountIds =
      input.accountId === undefined ? principal.accountIds : [yield* checkAccountScope(principal, input.accountId)];
    const fromMs = (Math.floor(now.getTime() / HOUR_MS) - (OVERVIEW_HOURS - 1)) * HOUR_MS;
    const { accounts, activity } = yield* Effect.all(
      {
        accounts: Effect.forEach(accountIds, (accountId) =>
          Effect.map(accountBalances({ principal, accountId }), (balances) => ({ accountId, balances })),
        ),
        activity:
          accountIds.length === 0
            ? Effect.succeed(NO_ACTIVITY)
            : Effect.flatMap(TopUpQueries, (queries) =>
                queries.activityOf({
                  accountIds,
                  createdFrom: new Date(fromMs),
                  createdBefore: new Date(now.getTime() + 1),
                }),
              ),
      },
      { concurrency: 'unbounded' },
    );
    return {
      accounts,
      from: new Date(fromMs),
      to: now,
      ...hoursOf(fromMs, activity),
      providers: activity.byProvider.map(withRate),
      operators: activity.byOperator.map(withRate),
    };
  });
