// Offset pagination with the size of the whole result set, in one statement:
// the count and the page come from one snapshot, in one round trip, and an
// offset past the end still answers the total.
import { PersistenceFailure } from '@airtime/domain';
import { Either } from 'effect';

/** The column of a counted page's rows that holds the total. */
export const TOTAL_COLUMN = 'total_count';

/** A query to count and page: `columns` of `from` where every condition holds, in `orderBy` order. */
export interface CountedQuery {
  readonly columns: string;
  readonly from: string;
  readonly conditions: readonly string[];
  /** The conditions' positional parameters ($1, $2, ...). */
  readonly parameters: readonly unknown[];
  /** A total order (ties broken), e.g. `created_at DESC, id COLLATE "C" DESC`. */
  readonly orderBy: string;
}

/** Items skipped and most items answered. */
export interface PageWindow {
  readonly offset: number;
  readonly limit: number;
}

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

/**
 * The window as given when `offset` is a whole number >= 0 and `limit` one
 * >= 1 (safe integers); otherwise a non-retryable `PersistenceFailure`
 * (the in-memory queries of `@airtime/application/testing` refuse the same).
 */
export const checkWindow = (window: PageWindow): Either.Either<PageWindow, PersistenceFailure> =>
  !Number.isSafeInteger(window.offset) || window.offset < 0
    ? Either.left(refused('the offset must be a whole number, at least 0'))
    : !Number.isSafeInteger(window.limit) || window.limit < 1
      ? Either.left(refused('the limit must be a whole number, at least 1'))
      : Either.right(window);

/**
 * One statement: `TOTAL_COLUMN` (every matching row) on each row, then the
 * page's columns. An empty page is one row whose page columns are all NULL,
 * so the total comes back whatever the offset.
 */
export const countedPage = (
  query: CountedQuery,
  window: PageWindow,
): { readonly text: string; readonly parameters: readonly unknown[] } => {
  const where = query.conditions.length === 0 ? '' : `WHERE ${query.conditions.join(' AND ')}`;
  const offset = `$${query.parameters.length + 1}`;
  const limit = `$${query.parameters.length + 2}`;
  return {
    text: `
      SELECT counted.${TOTAL_COLUMN}, chosen.*
      FROM (SELECT count(*) AS ${TOTAL_COLUMN} FROM ${query.from} ${where}) AS counted
      LEFT JOIN LATERAL (
        SELECT ${query.columns} FROM ${query.from} ${where}
        ORDER BY ${query.orderBy} OFFSET ${offset}::bigint LIMIT ${limit}::bigint
      ) AS chosen ON true`,
    parameters: [...query.parameters, window.offset, window.limit],
  };
};

/**
 * The rows of a counted page split into the total and the page's rows
 * (`isPageRow` tells a page row from the empty page's placeholder, e.g. by
 * a NOT NULL column).
 */
export const countedRows = <Row extends Record<string, unknown>>(
  rows: readonly Row[],
  isPageRow: (row: Row) => boolean,
): { readonly total: number; readonly rows: readonly Row[] } => ({
  total: rows[0] === undefined ? 0 : Number(rows[0][TOTAL_COLUMN]),
  rows: rows.filter(isPageRow),
});
