import { PENDING_CLASSES } from '@airtime/domain';
import { countedPage, type PageWindow } from '../shared/counted-page.queries';
import type { TopUpChangeRecord, TopUpRecord } from './top-up.mapper';

/** One statement: its text and positional parameters. */
export interface Statement {
  readonly text: string;
  readonly parameters: readonly unknown[];
}

const ATTEMPT_COLUMNS = [
  'number',
  'provider_external_id',
  'provider_id',
  'provider_transaction_id',
  'state',
  'provider_status_class',
  'provider_status',
  'failure',
  'unknown_reason',
  'started_at',
  'updated_at',
] as const;

/** The attempts parameter (a JSON array) as rows. */
const attemptRecordset = (parameter: string) => `jsonb_to_recordset(${parameter}::jsonb) AS a(
  number smallint, provider_external_id text, provider_id text, provider_transaction_id text, state text,
  provider_status_class text, provider_status text, failure jsonb, unknown_reason text,
  started_at timestamptz, updated_at timestamptz)`;

/** The attempts of the top-ups of `from` (its rows joined to `joined`, by default `from` alone). */
const insertAttempts = (from: string, parameter: string, joined = from) => `
  INSERT INTO top_up_attempts (top_up_id, ${ATTEMPT_COLUMNS.join(', ')})
  SELECT ${from}.id, ${ATTEMPT_COLUMNS.map((column) => `a.${column}`).join(', ')}
  FROM ${joined} CROSS JOIN ${attemptRecordset(parameter)}`;

/** An attempt already stored is rewritten only when it changed. */
const ON_ATTEMPT_CONFLICT = `
      ON CONFLICT (top_up_id, number) DO UPDATE
      SET ${ATTEMPT_COLUMNS.filter((column) => column !== 'number')
        .map((column) => `${column} = EXCLUDED.${column}`)
        .join(', ')}
      WHERE top_up_attempts IS DISTINCT FROM EXCLUDED`;

/**
 * Inserts a top-up and its attempts in one statement. The unique constraint
 * on (account, external id) is the claim: a conflict inserts nothing and
 * returns no row. ON CONFLICT rather than a caught error keeps the caller's
 * transaction usable (a failed statement would abort all of it).
 */
export const insertTopUp = (record: TopUpRecord): Statement => ({
  text: `
    WITH inserted AS (
      INSERT INTO top_ups (id, account_id, external_id, destination_e164, destination_country, status_class, status,
        product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote,
        next_attempt_at, awaiting_status_query, failure, version, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint, $11, $12::bigint, $13, $14::jsonb,
        $15::timestamptz, $16, $17::jsonb, 1, $18::timestamptz, $19::timestamptz)
      ON CONFLICT ON CONSTRAINT top_ups_external_id_once_per_account DO NOTHING
      RETURNING id
    ), attempts AS (${insertAttempts('inserted', '$20')}
      RETURNING 1
    )
    SELECT id FROM inserted`,
  parameters: [
    record.id,
    record.accountId,
    record.externalId,
    record.destinationE164,
    record.destinationCountry,
    record.statusClass,
    record.status,
    record.productId,
    record.operatorId,
    record.receiveMinor,
    record.receiveCurrency,
    record.costMinor,
    record.costCurrency,
    record.quote,
    record.nextAttemptAt,
    record.awaitingStatusQuery,
    record.failure,
    record.createdAt,
    record.updatedAt,
    record.attempts,
  ],
});

/** The columns of a new top-up's row, as `insertTopUps` takes them from its JSON parameter. */
const NEW_TOP_UP_COLUMNS = `id text, account_id text, external_id text, destination_e164 text, destination_country text,
  status_class text, status text, product_id text, operator_id text, receive_minor bigint, receive_currency text,
  cost_minor bigint, cost_currency text, quote text, next_attempt_at timestamptz, awaiting_status_query boolean,
  failure text, created_at timestamptz, updated_at timestamptz, attempts text`;

/**
 * Inserts new top-ups and their attempts in ONE statement, from one JSON
 * parameter (an array of rows). No ON CONFLICT: a key or id already taken
 * fails the whole statement (23505), so either every top-up is written or
 * none is (the caller's transaction is then aborted, and rolls back).
 * Answers the number of top-ups written.
 */
export const insertTopUps = (records: readonly TopUpRecord[]): Statement => ({
  text: `
    WITH t AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${NEW_TOP_UP_COLUMNS})
    ), inserted AS (
      INSERT INTO top_ups (id, account_id, external_id, destination_e164, destination_country, status_class, status,
        product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote,
        next_attempt_at, awaiting_status_query, failure, version, created_at, updated_at)
      SELECT id, account_id, external_id, destination_e164, destination_country, status_class, status,
        product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote::jsonb,
        next_attempt_at, awaiting_status_query, failure::jsonb, 1, created_at, updated_at
      FROM t
      RETURNING id
    ), attempts AS (
      INSERT INTO top_up_attempts (top_up_id, ${ATTEMPT_COLUMNS.join(', ')})
      SELECT inserted.id, ${ATTEMPT_COLUMNS.map((column) => `a.${column}`).join(', ')}
      FROM inserted JOIN t USING (id) CROSS JOIN ${attemptRecordset('t.attempts')}
      RETURNING 1
    )
    SELECT count(*)::int AS written FROM inserted`,
  parameters: [
    JSON.stringify(
      records.map((record) => ({
        id: record.id,
        account_id: record.accountId,
        external_id: record.externalId,
        destination_e164: record.destinationE164,
        destination_country: record.destinationCountry,
        status_class: record.statusClass,
        status: record.status,
        product_id: record.productId,
        operator_id: record.operatorId,
        receive_minor: record.receiveMinor,
        receive_currency: record.receiveCurrency,
        cost_minor: record.costMinor,
        cost_currency: record.costCurrency,
        quote: record.quote,
        next_attempt_at: record.nextAttemptAt,
        awaiting_status_query: record.awaitingStatusQuery,
        failure: record.failure,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
        attempts: record.attempts,
      })),
    ),
  ],
});

/**
 * One statement: the top-up's mutable columns, guarded by its version (and
 * bumping it), and its attempts upserted only when the guard held. The
 * identity of a top-up (account, external id, destination, quote, creation
 * time) is never rewritten. No row back: the version had moved on.
 */
export const updateTopUp = (record: TopUpChangeRecord, expectedVersion: number): Statement => ({
  text: `
    WITH updated AS (
      UPDATE top_ups
      SET status_class = $3, status = $4, next_attempt_at = $5::timestamptz, awaiting_status_query = $6,
          failure = $7::jsonb, updated_at = $8::timestamptz, version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING id
    ), attempts AS (${insertAttempts('updated', '$9')}${ON_ATTEMPT_CONFLICT}
      RETURNING 1
    )
    SELECT id FROM updated`,
  parameters: [
    record.id,
    expectedVersion,
    record.statusClass,
    record.status,
    record.nextAttemptAt,
    record.awaitingStatusQuery,
    record.failure,
    record.updatedAt,
    record.attempts,
  ],
});

/** A change to store with others (`updateTopUps`): the top-up's values and the version it was read at. */
export interface TopUpRecordUpdate {
  readonly record: TopUpChangeRecord;
  readonly expectedVersion: number;
}

/** The columns of a changed top-up's row, as `updateTopUps` takes them from its JSON parameter. */
const CHANGED_TOP_UP_COLUMNS = `id text, expected_version integer, status_class text, status text,
  next_attempt_at timestamptz, awaiting_status_query boolean, failure text, updated_at timestamptz, attempts text`;

/**
 * Many changes in ONE statement, from one JSON parameter (an array of rows),
 * each as `updateTopUp` stores it alone: the mutable columns of every
 * top-up whose version is still the one expected, bumping it, and the
 * attempts of those top-ups (and of no other) upserted. The identity of a
 * top-up is never rewritten. Answers the ids written; a top-up whose
 * version had moved on (or that was never stored) is not among them. The
 * ids must be distinct.
 *
 * The rows are locked first, in id order (`locked`; ORDER BY is applied
 * before FOR UPDATE): two batches sharing top-ups, in any order, wait on
 * one another instead of deadlocking (a join would lock them in the order
 * of its plan). Only the rows whose version is the one expected are locked,
 * rechecked on the latest version of a row another transaction changed
 * meanwhile, as the update's own guard is; a stale one is left unlocked,
 * as `updateTopUp` leaves it.
 */
export const updateTopUps = (updates: readonly TopUpRecordUpdate[]): Statement => ({
  text: `
    WITH t AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${CHANGED_TOP_UP_COLUMNS})
    ), locked AS MATERIALIZED (
      SELECT top_ups.id FROM top_ups JOIN t ON t.id = top_ups.id AND t.expected_version = top_ups.version
      ORDER BY top_ups.id
      FOR UPDATE OF top_ups
    ), updated AS (
      UPDATE top_ups
      SET status_class = t.status_class, status = t.status, next_attempt_at = t.next_attempt_at,
          awaiting_status_query = t.awaiting_status_query, failure = t.failure::jsonb, updated_at = t.updated_at,
          version = top_ups.version + 1
      FROM locked JOIN t ON t.id = locked.id
      WHERE top_ups.id = locked.id AND top_ups.version = t.expected_version
      RETURNING top_ups.id
    ), attempts AS (${insertAttempts('updated', 't.attempts', 'updated JOIN t USING (id)')}${ON_ATTEMPT_CONFLICT}
      RETURNING 1
    )
    SELECT id FROM updated`,
  parameters: [
    JSON.stringify(
      updates.map(({ record, expectedVersion }) => ({
        id: record.id,
        expected_version: expectedVersion,
        status_class: record.statusClass,
        status: record.status,
        next_attempt_at: record.nextAttemptAt,
        awaiting_status_query: record.awaitingStatusQuery,
        failure: record.failure,
        updated_at: record.updatedAt,
        attempts: record.attempts,
      })),
    ),
  ],
});

/** Which of these top-ups are stored (their ids, in no order). */
export const topUpsExisting = (ids: readonly string[]): Statement => ({
  text: `SELECT id FROM top_ups WHERE id = ANY($1::text[])`,
  parameters: [ids],
});

export const topUpExists = (id: string): Statement => ({
  text: `SELECT 1 AS found FROM top_ups WHERE id = $1`,
  parameters: [id],
});

/**
 * Top-ups chosen by `page` (a SELECT over `top_ups`, ordered and limited)
 * with their attempts, in one statement so that both come from one
 * snapshot: one row per attempt (or one with null attempt columns), in the
 * page's order. `orderBy` repeats the page's order keys.
 */
export const withAttempts = (page: Statement, orderBy: readonly string[]): Statement => ({
  text: `
    WITH page AS (${page.text})
    SELECT page.*, ${ATTEMPT_COLUMNS.map((column) => `a.${column} AS attempt_${column}`).join(', ')}
    FROM page LEFT JOIN top_up_attempts a ON a.top_up_id = page.id
    ORDER BY ${orderBy.map((key) => `page.${key}`).join(', ')}, a.number`,
  parameters: page.parameters,
});

export const ATTEMPT_PREFIX = 'attempt_';

export const byId = (id: string): Statement => ({ text: `SELECT * FROM top_ups WHERE id = $1`, parameters: [id] });

export const byExternalId = (accountId: string, externalId: string): Statement => ({
  text: `SELECT * FROM top_ups WHERE account_id = $1 AND external_id = $2`,
  parameters: [accountId, externalId],
});

/** The top-up of the latest attempt that used this provider external id. */
export const byProviderExternalId = (providerExternalId: string): Statement => ({
  text: `
    SELECT * FROM top_ups WHERE id = (
      SELECT top_up_id FROM top_up_attempts WHERE provider_external_id = $1
      ORDER BY started_at DESC, number DESC, top_up_id LIMIT 1)`,
  parameters: [providerExternalId],
});

/**
 * The top-up of the latest attempt provider `providerId` answered with this
 * transaction id (`top_up_attempts_by_provider_transaction_id` serves it).
 */
export const byProviderTransactionId = (providerId: string, providerTransactionId: string): Statement => ({
  text: `
    SELECT * FROM top_ups WHERE id = (
      SELECT top_up_id FROM top_up_attempts WHERE provider_id = $1 AND provider_transaction_id = $2
      ORDER BY started_at DESC, number DESC, top_up_id LIMIT 1)`,
  parameters: [providerId, providerTransactionId],
});

const NON_FINAL = `status_class IN (${PENDING_CLASSES.map((transactionClass) => `'${transactionClass}'`).join(', ')})`;

/**
 * Non-final top-ups whose scheduled retry is due, the longest due first. A
 * top-up whose attempt is still unsettled (in flight, pending at the
 * provider, or of unknown outcome) is not due whatever its next-attempt
 * time says: the provider holds it, and a new attempt would be refused.
 */
export const dueForRetry = (now: string, limit: number): Statement => ({
  text: `
    SELECT * FROM top_ups
    WHERE next_attempt_at <= $1::timestamptz AND ${NON_FINAL}
      AND NOT EXISTS (
        SELECT 1 FROM top_up_attempts attempt
        WHERE attempt.top_up_id = top_ups.id AND attempt.state NOT IN ('Succeeded', 'Failed'))
    ORDER BY next_attempt_at, id LIMIT $2`,
  parameters: [now, limit],
});

/** Non-final top-ups last updated before `olderThan`, the longest untouched first. */
export const staleNonFinal = (olderThan: string, limit: number): Statement => ({
  text: `SELECT * FROM top_ups WHERE updated_at < $1::timestamptz AND ${NON_FINAL} ORDER BY updated_at, id LIMIT $2`,
  parameters: [olderThan, limit],
});

/** Where a page of `list` starts: after this (created_at, id). `createdAt` is exact to the microsecond. */
export interface ListPosition {
  readonly createdAt: string;
  readonly id: string;
}

/** What a listing selects; `undefined` leaves a criterion out. */
export interface ListCriteria {
  readonly accountId: string | undefined;
  readonly classes: readonly string[] | undefined;
  readonly createdFrom: string | undefined;
  readonly createdBefore: string | undefined;
  readonly after: ListPosition | undefined;
}

/** `created_at` as exact UTC text with microseconds, for cursors. */
export const CURSOR_CREATED_AT = 'cursor_created_at';

/**
 * Top-ups matching the criteria in (created_at, id) order, keyset-paginated:
 * `limit` rows after `after` (the index on (account_id, created_at, id)
 * serves an account's listing).
 */
export const listPage = (criteria: ListCriteria, limit: number): Statement => {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  if (criteria.accountId !== undefined) conditions.push(`account_id = ${parameter(criteria.accountId)}`);
  if (criteria.classes !== undefined) conditions.push(`status_class = ANY(${parameter(criteria.classes)}::text[])`);
  if (criteria.createdFrom !== undefined)
    conditions.push(`created_at >= ${parameter(criteria.createdFrom)}::timestamptz`);
  if (criteria.createdBefore !== undefined)
    conditions.push(`created_at < ${parameter(criteria.createdBefore)}::timestamptz`);
  if (criteria.after !== undefined) {
    conditions.push(
      `(created_at, id) > (${parameter(criteria.after.createdAt)}::timestamptz, ${parameter(criteria.after.id)})`,
    );
  }
  return {
    text: `
      SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${CURSOR_CREATED_AT}
      FROM top_ups ${conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`}
      ORDER BY created_at, id LIMIT ${parameter(limit)}`,
    parameters,
  };
};

/** What a search selects (`undefined` leaves a criterion out); `accountIds` always applies. */
export interface SearchCriteria {
  readonly accountIds: readonly string[];
  readonly externalId: string | undefined;
  /** E.164, matched exactly against `destination_e164`. */
  readonly phoneNumber: string | undefined;
  readonly classes: readonly string[] | undefined;
  readonly createdFrom: string | undefined;
  readonly createdBefore: string | undefined;
}

/**
 * The search's order, newest first: `created_at` descending, then `id` in
 * code-point order (COLLATE "C", whatever the database's collation)
 * descending. Read backwards, top_ups_by_account_created or
 * top_ups_by_created gives `created_at` (top_ups_by_account_destination
 * with a phone number); ties are sorted.
 */
export const SEARCH_ORDER = ['created_at DESC', 'id COLLATE "C" DESC'] as const;

/**
 * One page of the top-ups matching the criteria in `SEARCH_ORDER`, each row
 * carrying the count of all matches (see `countedPage`): one statement, one
 * snapshot. Wrap it in `withAttempts(statement, SEARCH_ORDER)`.
 */
export const searchPage = (criteria: SearchCriteria, window: PageWindow): Statement => {
  const parameters: unknown[] = [];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const conditions = [`account_id = ANY(${parameter(criteria.accountIds)}::text[])`];
  if (criteria.externalId !== undefined) conditions.push(`external_id = ${parameter(criteria.externalId)}`);
  if (criteria.phoneNumber !== undefined) conditions.push(`destination_e164 = ${parameter(criteria.phoneNumber)}`);
  if (criteria.classes !== undefined) conditions.push(`status_class = ANY(${parameter(criteria.classes)}::text[])`);
  if (criteria.createdFrom !== undefined)
    conditions.push(`created_at >= ${parameter(criteria.createdFrom)}::timestamptz`);
  if (criteria.createdBefore !== undefined)
    conditions.push(`created_at < ${parameter(criteria.createdBefore)}::timestamptz`);
  return countedPage(
    { columns: '*', from: 'top_ups', conditions, parameters, orderBy: SEARCH_ORDER.join(', ') },
    window,
  );
};

/** The metadata key a resend's request names the top-up it resends with. */
export const RESEND_OF_PATH = `'{metadata,resend_of}'`;

/**
 * The top-ups of `accountId` whose stored request's metadata has
 * `resend_of` = `topUpId`, in `SEARCH_ORDER` (top_up_requests_resends serves
 * it). Wrap it in `withAttempts(statement, SEARCH_ORDER)`.
 */
export const resendsOf = (accountId: string, topUpId: string): Statement => ({
  text: `
    SELECT t.* FROM top_ups t JOIN top_up_requests r ON r.top_up_id = t.id
    WHERE r.account_id = $1 AND r.request #>> ${RESEND_OF_PATH} = $2 AND t.account_id = $1
    ORDER BY ${SEARCH_ORDER.map((key) => `t.${key}`).join(', ')}`,
  parameters: [accountId, topUpId],
});
