// Rows of `withAttempts` (one per attempt, or one with NULL attempt columns,
// in the page's order) as top-ups: the one grouping of the repository and
// the read-side queries.
import type { PersistenceFailure } from '@airtime/domain';
import { Either } from 'effect';
import { type StoredTopUp, topUpOf } from './top-up.mapper';
import { ATTEMPT_PREFIX } from './top-up.queries';

export type Row = Record<string, unknown>;

/** A top-up with its version and the row it came from (extra columns: cursor positions, totals). */
export interface LoadedTopUp extends StoredTopUp {
  readonly row: Row;
}

/**
 * Top-ups of `withAttempts` rows, in the rows' order; any row that does not
 * decode makes the whole a non-retryable `PersistenceFailure`.
 */
export const topUpsOfRows = (rows: readonly Row[]): Either.Either<readonly LoadedTopUp[], PersistenceFailure> => {
  const byTopUp = new Map<unknown, { row: Row; attempts: Row[] }>();
  for (const row of rows) {
    const topUpRow: Row = {};
    const attemptRow: Row = {};
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith(ATTEMPT_PREFIX)) attemptRow[column.slice(ATTEMPT_PREFIX.length)] = value;
      else topUpRow[column] = value;
    }
    const entry = byTopUp.get(topUpRow['id']) ?? { row: topUpRow, attempts: [] };
    byTopUp.set(topUpRow['id'], entry);
    if (attemptRow['number'] !== null) entry.attempts.push(attemptRow);
  }
  return Either.all(
    [...byTopUp.values()].map(({ row, attempts }) =>
      Either.map(topUpOf(row, attempts), (stored) => ({ ...stored, row })),
    ),
  );
};
