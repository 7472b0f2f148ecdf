// The reconciler's SQL: our attempts at a provider (top_ups ⋈ top_up_attempts, set-based, one
// statement each), what the provider holds for us per currency, and the settlements and runs.
import { PENDING_CLASSES } from '@airtime/domain';
import type { Statement } from '../top-ups/top-up.queries';

const NON_FINAL = `t.status_class IN (${PENDING_CLASSES.map((transactionClass) => `'${transactionClass}'`).join(', ')})`;

/**
 * What an attempt of ours is read with, as plain columns (no jsonb to parse
 * per row): its top-up's, the quote's amounts (receive and cost are the
 * quote's copies in top_ups; the exact cost is read out of the quote), the
 * attempt's, and whether it is the last (see `isLast`). Ties are ordered by
 * code point (COLLATE "C"), as the in-memory store orders them.
 */
const ourAttemptColumns = (attempt: string) => `
  t.id AS top_up_id, t.account_id, t.external_id, t.status_class AS top_up_status_class, t.status AS top_up_status,
  t.updated_at AS top_up_updated_at, t.receive_minor, t.receive_currency, t.cost_minor, t.cost_currency,
  t.quote -> 'costExact' ->> 'amount' AS charged_amount, t.quote -> 'costExact' ->> 'currency' AS charged_currency,
  ${attempt}.number AS attempt_number, ${attempt}.provider_external_id, ${attempt}.provider_id,
  ${attempt}.provider_transaction_id, ${attempt}.state, ${attempt}.provider_status_class, ${attempt}.provider_status,
  ${attempt}.failure ->> 'reason' AS failure_reason, ${attempt}.started_at`;

/** True when no later attempt of the same top-up exists (the primary key serves it). */
const isLast = (attempt: string) =>
  `NOT EXISTS (SELECT 1 FROM top_up_attempts later WHERE later.top_up_id = ${attempt}.top_up_id AND later.number > ${attempt}.number) AS is_last`;

/** Attempts at `providerId` started in [from, to), by start (top_up_attempts_by_provider_started serves it). */
export const attemptsStartedIn = (providerId: string, from: string, to: string): Statement => ({
  text: `
    SELECT ${ourAttemptColumns('a')}, ${isLast('a')}
    FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id
    WHERE a.provider_id = $1 AND a.started_at >= $2::timestamptz AND a.started_at < $3::timestamptz
    ORDER BY a.started_at, a.top_up_id COLLATE "C", a.number`,
  parameters: [providerId, from, to],
});

/** Attempts with any of these provider external ids, any provider, any time (top_up_attempts_by_provider_external_id). */
export const attemptsByProviderExternalIds = (ids: readonly string[]): Statement => ({
  text: `
    SELECT ${ourAttemptColumns('a')}, ${isLast('a')}
    FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id
    WHERE a.provider_external_id = ANY($1::text[])
    ORDER BY a.provider_external_id COLLATE "C", a.started_at, a.top_up_id COLLATE "C", a.number`,
  parameters: [ids],
});

/**
 * The last attempts of non-final top-ups (top_ups_non_final lists them) at
 * `providerId`, started at or before `olderThan`, the oldest first. By the
 * attempt's start, not the top-up's last update: what a run settles does
 * not change what the next run is asked about.
 */
export const nonFinalSince = (providerId: string, olderThan: string): Statement => ({
  text: `
    SELECT ${ourAttemptColumns('a')}, true AS is_last
    FROM top_ups t
    JOIN LATERAL (
      SELECT * FROM top_up_attempts last WHERE last.top_up_id = t.id ORDER BY last.number DESC LIMIT 1
    ) a ON true
    WHERE ${NON_FINAL} AND a.provider_id = $1 AND a.started_at <= $2::timestamptz
    ORDER BY a.started_at, t.id COLLATE "C"`,
  parameters: [providerId, olderThan],
});

/**
 * Top-ups held and never sent, created before `createdBefore`: not final
 * (top_ups_non_final lists them), no attempt, and their ledger hold (by
 * top-up id) still HELD, with its amount; the oldest first.
 */
export const heldNeverSent = (createdBefore: string): Statement => ({
  text: `
    SELECT t.id AS top_up_id, t.account_id, t.external_id, t.status_class, t.status, t.created_at,
           h.amount_minor::text AS held_minor, h.currency AS held_currency
    FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id AND h.status = 'HELD'
    WHERE ${NON_FINAL} AND t.created_at < $1::timestamptz
      AND NOT EXISTS (SELECT 1 FROM top_up_attempts a WHERE a.top_up_id = t.id)
    ORDER BY t.created_at, t.id COLLATE "C"`,
  parameters: [createdBefore],
});

/**
 * The exact cost (quote.costExact) of the attempts the provider holds
 * (Pending, Unknown, InFlight at `providerId`), summed per currency as
 * numeric: `{ amount, currency }` rows, by currency. The partial index
 * top_up_attempts_held_by_provider serves it (its predicate is this one,
 * word for word), so history is never read.
 */
export const holdingAtProvider = (providerId: string): Statement => ({
  text: `
    SELECT t.quote -> 'costExact' ->> 'currency' AS currency,
           sum((t.quote -> 'costExact' ->> 'amount')::numeric)::text AS amount
    FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id
    WHERE a.provider_id = $1 AND a.state IN ('Pending', 'Unknown', 'InFlight')
    GROUP BY 1 ORDER BY 1`,
  parameters: [providerId],
});

const SETTLEMENT_COLUMNS = [
  'id',
  'top_up_id',
  'provider_id',
  'provider_external_id',
  'attempt_number',
  'from_status_class',
  'from_status',
  'to_status_class',
  'to_status',
  'reason',
  'actor',
  'operator',
  'window_key',
  'state',
  'refusal',
  'recorded_at',
  'completed_at',
] as const;

export type SettlementColumn = (typeof SETTLEMENT_COLUMNS)[number];

/** Inserts a settlement unless one with its id or its key (see reconciliation_settlements_once) is there: no row then. */
export const insertSettlement = (values: Readonly<Record<SettlementColumn, unknown>>): Statement => ({
  text: `
    INSERT INTO reconciliation_settlements (${SETTLEMENT_COLUMNS.join(', ')})
    VALUES (${SETTLEMENT_COLUMNS.map((column, index) => `$${index + 1}${column.endsWith('_at') ? '::timestamptz' : ''}`).join(', ')})
    ON CONFLICT DO NOTHING
    RETURNING *`,
  parameters: SETTLEMENT_COLUMNS.map((column) => values[column]),
});

/**
 * The settlement recorded under this key (see reconciliation_settlements_once):
 * (window key, or the operator when there is none, top-up, attempt number, 0
 * for none, target status).
 */
export const settlementByKey = (
  windowKey: string | null,
  operator: string | null,
  topUpId: string,
  attemptNumber: number | null,
  toStatus: string,
): Statement => ({
  text: `
    SELECT * FROM reconciliation_settlements
    WHERE coalesce(window_key, 'operator:' || operator) = coalesce($1::text, 'operator:' || $2::text)
      AND top_up_id = $3 AND coalesce(attempt_number, 0) = coalesce($4::smallint, 0) AND to_status = $5`,
  parameters: [windowKey, operator, topUpId, attemptNumber, toStatus],
});

export const settlementById = (id: string): Statement => ({
  text: `SELECT * FROM reconciliation_settlements WHERE id = $1`,
  parameters: [id],
});

/** Completes a settlement still APPLYING; no row when it is not (completed already, or unknown). */
export const completeSettlement = (id: string, state: string, refusal: string | null, at: string): Statement => ({
  text: `
    UPDATE reconciliation_settlements SET state = $2, refusal = $3, completed_at = $4::timestamptz
    WHERE id = $1 AND state = 'APPLYING'
    RETURNING id`,
  parameters: [id, state, refusal, at],
});

/**
 * Settlements still APPLYING: of this window key, or every one when the key
 * is null (reconciliation_settlements_unfinished serves both: it holds the
 * unfinished ones only, a handful at most).
 */
export const unfinishedSettlements = (windowKey: string | null): Statement => ({
  text: `
    SELECT * FROM reconciliation_settlements
    WHERE state = 'APPLYING' AND ($1::text IS NULL OR window_key = $1::text)
    ORDER BY recorded_at, id COLLATE "C"`,
  parameters: [windowKey],
});

/** Two int4 keys of the window's session advisory lock: the reconciler's class, and a hash of the window key. */
export const WINDOW_LOCK_CLASS = 1_764_500_011;

/** Takes the window's lock on this session if no session holds it: `{ locked: boolean }`, never waits. */
export const tryWindowLock = (windowKey: string): Statement => ({
  text: `SELECT pg_try_advisory_lock($1::int4, hashtext($2::text)) AS locked`,
  parameters: [WINDOW_LOCK_CLASS, windowKey],
});

/** Releases the window's lock held by this session: `{ unlocked: boolean }` (false when this session did not hold it). */
export const windowUnlock = (windowKey: string): Statement => ({
  text: `SELECT pg_advisory_unlock($1::int4, hashtext($2::text)) AS unlocked`,
  parameters: [WINDOW_LOCK_CLASS, windowKey],
});

/** The reconciler's settlements of the window and operators' of top-ups with an attempt at its provider started in it. */
export const settlementsOf = (windowKey: string, providerId: string, from: string, to: string): Statement => ({
  text: `
    SELECT * FROM (
      SELECT s.* FROM reconciliation_settlements s WHERE s.window_key = $1
      UNION ALL
      SELECT s.* FROM reconciliation_settlements s
      WHERE s.actor = 'operator' AND EXISTS (
        SELECT 1 FROM top_up_attempts a
        WHERE a.top_up_id = s.top_up_id AND a.provider_id = $2
          AND a.started_at >= $3::timestamptz AND a.started_at < $4::timestamptz)
    ) settlements
    ORDER BY recorded_at, id COLLATE "C"`,
  parameters: [windowKey, providerId, from, to],
});

/** Inserts a run unless its id is taken: no row then. */
export const insertRun = (id: string, providerId: string, from: string, to: string, startedAt: string): Statement => ({
  text: `
    INSERT INTO reconciliation_runs (id, provider_id, window_from, window_to, started_at)
    VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`,
  parameters: [id, providerId, from, to, startedAt],
});

/** A run as stored. */
export const runById = (id: string): Statement => ({
  text: `SELECT * FROM reconciliation_runs WHERE id = $1`,
  parameters: [id],
});

/** Finishes a run not finished yet; no row when it is finished already or unknown. */
export const finishRun = (
  id: string,
  finishedAt: string,
  outcome: string,
  report: string,
  summary: string,
): Statement => ({
  text: `
    UPDATE reconciliation_runs SET finished_at = $2::timestamptz, outcome = $3, report = $4::jsonb, summary = $5
    WHERE id = $1 AND finished_at IS NULL
    RETURNING id`,
  parameters: [id, finishedAt, outcome, report, summary],
});

/** Whether a finished run was finished with exactly these values (a repeat of the same finish). */
export const finishedAs = (
  id: string,
  finishedAt: string,
  outcome: string,
  report: string,
  summary: string,
): Statement => ({
  text: `
    SELECT 1 AS same FROM reconciliation_runs
    WHERE id = $1 AND finished_at = $2::timestamptz AND outcome = $3 AND report = $4::jsonb AND summary = $5`,
  parameters: [id, finishedAt, outcome, report, summary],
});

/**
 * Whether the latest finished run of the provider (by start, then id; any
 * window; a failed run has no report and does not count) lists the top-up's
 * attempt under awaiting a decision (a containment test on its report's
 * JSON); false when the provider has no such run.
 */
export const listedAwaitingDecision = (providerId: string, topUpId: string, attemptNumber: number): Statement => ({
  text: `
    SELECT COALESCE((
      SELECT report -> 'awaitingDecision' @> jsonb_build_array(
               jsonb_build_object('topUpId', $2::text, 'attemptNumber', $3::int))
      FROM reconciliation_runs
      WHERE provider_id = $1 AND finished_at IS NOT NULL AND report IS NOT NULL
      ORDER BY started_at DESC, id COLLATE "C" DESC
      LIMIT 1
    ), false) AS listed`,
  parameters: [providerId, topUpId, attemptNumber],
});

/** The window's latest run (reconciliation_runs_by_window serves it). */
export const latestRun = (providerId: string, from: string, to: string): Statement => ({
  text: `
    SELECT * FROM reconciliation_runs
    WHERE provider_id = $1 AND window_from = $2::timestamptz AND window_to = $3::timestamptz
    ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT 1`,
  parameters: [providerId, from, to],
});

/** Finishes an open run FAILED with `summary` (no report); no row when it is finished already or unknown. */
export const failRun = (id: string, finishedAt: string, summary: string): Statement => ({
  text: `
    UPDATE reconciliation_runs SET finished_at = $2::timestamptz, outcome = 'FAILED', summary = $3
    WHERE id = $1 AND finished_at IS NULL
    RETURNING id`,
  parameters: [id, finishedAt, summary],
});

/** Finishes every open run of the window FAILED with `summary`; their ids, by start. */
export const failOpenRuns = (
  providerId: string,
  from: string,
  to: string,
  finishedAt: string,
  summary: string,
): Statement => ({
  text: `
    WITH closed AS (
      UPDATE reconciliation_runs SET finished_at = $4::timestamptz, outcome = 'FAILED', summary = $5
      WHERE provider_id = $1 AND window_from = $2::timestamptz AND window_to = $3::timestamptz AND finished_at IS NULL
      RETURNING id, started_at)
    SELECT id FROM closed ORDER BY started_at, id COLLATE "C"`,
  parameters: [providerId, from, to, finishedAt, summary],
});
