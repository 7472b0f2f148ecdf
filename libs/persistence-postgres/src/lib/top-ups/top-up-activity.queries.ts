// The recent activity of some accounts (TopUpQueries.activityOf): their
// top-ups created in a window counted by UTC creation hour and current class,
// by the provider of their last attempt and by operator, in one aggregate
// statement (one snapshot, one round trip).
import type { ActivityQuery, TopUpActivity } from '@airtime/application';
import {
  checkAccountId,
  FINAL_CLASSES,
  PersistenceFailure,
  TRANSACTION_CLASSES,
  type TransactionClass,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { DataSource } from 'typeorm';
import { isoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';

const HOUR_MS = 3_600_000;

const FINAL_LIST = FINAL_CLASSES.map((transactionClass) => `'${transactionClass}'`).join(', ');

/**
 * One row per (hour, class), per provider and per operator (GROUPING SETS;
 * `grouping` says which): the chosen top-ups are those of the accounts in
 * [$2, $3), which top_ups_by_account_created serves; a top-up's provider is
 * its last attempt's (none: NULL, left out by the reader).
 */
const ACTIVITY = `
  WITH chosen AS (
    SELECT t.status_class, t.operator_id, t.quote #>> '{product,operator,name}' AS operator_name,
           floor(extract(epoch FROM t.created_at) / 3600)::bigint AS hour, last_attempt.provider_id
    FROM top_ups t
    LEFT JOIN LATERAL (
      SELECT a.provider_id FROM top_up_attempts a WHERE a.top_up_id = t.id ORDER BY a.number DESC LIMIT 1
    ) AS last_attempt ON true
    WHERE t.account_id = ANY($1::text[]) AND t.created_at >= $2::timestamptz AND t.created_at < $3::timestamptz
  )
  SELECT CASE WHEN GROUPING(hour, status_class) = 0 THEN 'hour'
              WHEN GROUPING(provider_id) = 0 THEN 'provider'
              ELSE 'operator' END AS grouping,
         hour, status_class, provider_id, operator_id, min(operator_name) AS operator_name,
         count(*) AS total,
         count(*) FILTER (WHERE status_class IN (${FINAL_LIST})) AS final,
         count(*) FILTER (WHERE status_class = 'COMPLETED') AS completed
  FROM chosen
  GROUP BY GROUPING SETS ((hour, status_class), (provider_id), (operator_id))`;

interface ActivityRow {
  readonly grouping: 'hour' | 'provider' | 'operator';
  readonly hour: string | null;
  readonly status_class: string | null;
  readonly provider_id: string | null;
  readonly operator_id: string | null;
  readonly operator_name: string | null;
  readonly total: string;
  readonly final: string;
  readonly completed: string;
}

const isClass = (text: string | null): text is TransactionClass =>
  text !== null && (TRANSACTION_CLASSES as readonly string[]).includes(text);

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const unreadable = (what: string) =>
  new PersistenceFailure({ reason: `top-up activity: ${what} does not decode`, retryable: false });

/** The activity of the rows, ordered as `TopUpActivity` says. */
const activityOfRows = (rows: readonly ActivityRow[]): Either.Either<TopUpActivity, PersistenceFailure> =>
  Either.gen(function* () {
    const hourly: { hourStart: Date; statusClass: TransactionClass; count: number }[] = [];
    for (const row of rows.filter((row) => row.grouping === 'hour')) {
      const statusClass = row.status_class;
      if (!isClass(statusClass) || row.hour === null) return yield* Either.left(unreadable('an hour or class'));
      hourly.push({ hourStart: new Date(Number(row.hour) * HOUR_MS), statusClass, count: Number(row.total) });
    }
    const classOrder = (statusClass: TransactionClass) => TRANSACTION_CLASSES.indexOf(statusClass);
    hourly.sort(
      (a, b) => a.hourStart.getTime() - b.hourStart.getTime() || classOrder(a.statusClass) - classOrder(b.statusClass),
    );
    const outcomes = (row: ActivityRow) => ({ final: Number(row.final), completed: Number(row.completed) });
    const byProvider = rows
      .filter((row) => row.grouping === 'provider' && row.provider_id !== null)
      .map((row) => ({ providerId: row.provider_id ?? '', ...outcomes(row) }))
      .sort((a, b) => compareIds(a.providerId, b.providerId));
    const byOperator = rows
      .filter((row) => row.grouping === 'operator')
      .map((row) => ({ operatorId: row.operator_id ?? '', operatorName: row.operator_name ?? '', ...outcomes(row) }))
      .sort((a, b) => compareIds(a.operatorId, b.operatorId));
    return { hourly, byProvider, byOperator };
  });

const NONE: TopUpActivity = { hourly: [], byProvider: [], byOperator: [] };

/**
 * `TopUpQueries.activityOf` on PostgreSQL (see `TopUpActivity`): in the
 * caller's unit of work when there is one. Account ids that break the
 * identifier rule count nothing (no such top-up can be stored); no account
 * at all, or an invalid date, is a non-retryable `PersistenceFailure`.
 */
export const topUpActivityOf = (
  dataSource: DataSource,
  query: ActivityQuery,
): Effect.Effect<TopUpActivity, PersistenceFailure> =>
  Effect.gen(function* () {
    if (query.accountIds.length === 0)
      return yield* new PersistenceFailure({
        reason: 'an activity query needs at least one account',
        retryable: false,
      });
    const from = yield* isoOf(query.createdFrom, 'createdFrom of the activity query');
    const before = yield* isoOf(query.createdBefore, 'createdBefore of the activity query');
    const accountIds = [...new Set(query.accountIds)].filter((id) => Either.isRight(checkAccountId(id)));
    if (accountIds.length === 0) return NONE;
    return yield* activityOfRows(yield* sql<ActivityRow>(dataSource, ACTIVITY, [accountIds, from, before]));
  });
