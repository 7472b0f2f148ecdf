// The API's read side over top-ups (the application's TopUpQueries port):
// a scoped, filtered page, newest first, with the count of every match.
import { type PageOf, TopUpQueries, type TopUpQueriesService, type TopUpSearch } from '@airtime/application';
import { checkAccountId, isValidIdentifier, IDENTIFIER_RULES, PersistenceFailure, type TopUp } from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { optionalIsoOf } from '../shared/codec-support';
import { checkWindow, countedRows } from '../shared/counted-page.queries';
import { sql } from '../unit-of-work/sql';
import { type Row, topUpsOfRows } from './top-up-rows.mapper';
import { SEARCH_ORDER, searchPage, withAttempts } from './top-up.queries';

const NOTHING: PageOf<TopUp> = { items: [], total: 0 };

/**
 * Top-up searches on PostgreSQL, in the caller's unit of work when there is
 * one. `search(s)` answers the top-ups of `s.accountIds` that meet every
 * given filter (external id, status classes, `createdFrom <= createdAt <
 * createdBefore`), ordered by `created_at` descending then `id` descending
 * in code-point order, `s.offset` skipped and at most `s.limit` answered,
 * with their attempts; `total` counts every match. Count and page are one
 * statement (one snapshot, one round trip). An account id or external id
 * that breaks the identifier rule matches nothing (no such top-up can be
 * stored). Refused with a non-retryable `PersistenceFailure`: no account
 * ids, an offset that is not a whole number >= 0 or a limit that is not one
 * >= 1, an invalid date.
 */
export const makeTopUpQueries = (dataSource: DataSource): TopUpQueriesService => ({
  search: (search: TopUpSearch) =>
    Effect.gen(function* () {
      if (search.accountIds.length === 0) {
        return yield* Effect.fail(
          new PersistenceFailure({ reason: 'a top-up search needs at least one account', retryable: false }),
        );
      }
      const window = yield* checkWindow({ offset: search.offset, limit: search.limit });
      const createdFrom = yield* optionalIsoOf(search.createdFrom, 'createdFrom of the search');
      const createdBefore = yield* optionalIsoOf(search.createdBefore, 'createdBefore of the search');
      const accountIds = [...new Set(search.accountIds)].filter((id) => Either.isRight(checkAccountId(id)));
      if (
        accountIds.length === 0 ||
        (search.externalId !== undefined && !isValidIdentifier(IDENTIFIER_RULES.EXTERNAL_ID, search.externalId))
      ) {
        return NOTHING;
      }
      const statement = withAttempts(
        searchPage(
          { accountIds, externalId: search.externalId, classes: search.classes, createdFrom, createdBefore },
          window,
        ),
        SEARCH_ORDER,
      );
      const counted = countedRows(
        yield* sql<Row>(dataSource, statement.text, statement.parameters),
        (row) => row['id'] !== null,
      );
      const loaded = yield* topUpsOfRows(counted.rows);
      return { items: loaded.map(({ topUp }) => topUp), total: counted.total };
    }),
});

/** `makeTopUpQueries` as the `TopUpQueries` layer. */
export const topUpQueriesLayer = (dataSource: DataSource) => Layer.succeed(TopUpQueries, makeTopUpQueries(dataSource));
