// A `reconciliation_runs` row (as pg returns it) as the application's StoredRun, and a run's
// window as the ISO bounds its statements take.
import type { ReconciliationReportJson, ReconciliationWindow, StoredRun } from '@airtime/application';
import type { PersistenceFailure } from '@airtime/domain';
import { Either, Schema } from 'effect';
import { decodeStored, isoOf } from '../shared/codec-support';

/**
 * A window's bounds as exact ISO text `{ from, to }` (start inclusive, end
 * exclusive, as the window says), or a non-retryable PersistenceFailure
 * naming the bound that is not a valid date.
 */
export const windowOf = (
  window: ReconciliationWindow,
): Either.Either<{ readonly from: string; readonly to: string }, PersistenceFailure> =>
  Either.all({
    from: isoOf(window.from, 'the start of the window'),
    to: isoOf(window.to, 'the end of the window'),
  });

/** A stored report: a JSON object of version 1 (written whole by `finishRun`, read back whole). */
const StoredReport = Schema.declare(
  (input: unknown): input is ReconciliationReportJson =>
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    (input as { version?: unknown }).version === 1,
  { identifier: 'ReconciliationReportJson', description: 'a report object of version 1' },
);

const RunRow = Schema.Struct({
  id: Schema.String,
  provider_id: Schema.String,
  window_from: Schema.ValidDateFromSelf,
  window_to: Schema.ValidDateFromSelf,
  started_at: Schema.ValidDateFromSelf,
  finished_at: Schema.NullOr(Schema.ValidDateFromSelf),
  outcome: Schema.NullOr(Schema.Literal('MATCHED', 'MISMATCHES', 'UNVERIFIED', 'FAILED')),
  report: Schema.NullOr(StoredReport),
  summary: Schema.NullOr(Schema.String),
});

const decodeRunRow = decodeStored(RunRow);

/** A stored run; a row that does not decode is a non-retryable `PersistenceFailure`. */
export const runOf = (row: Record<string, unknown>): Either.Either<StoredRun, PersistenceFailure> =>
  Either.map(
    decodeRunRow(row, `reconciliation run ${typeof row['id'] === 'string' ? row['id'] : '(no id)'}`),
    (decoded) => ({
      id: decoded.id,
      window: { providerId: decoded.provider_id, from: decoded.window_from, to: decoded.window_to },
      startedAt: decoded.started_at,
      finishedAt: decoded.finished_at ?? undefined,
      outcome: decoded.outcome ?? undefined,
      report: decoded.report ?? undefined,
      summary: decoded.summary ?? undefined,
    }),
  );
