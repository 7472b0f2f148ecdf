// The API's read side over top-ups (the application's TopUpQueries port):
// a scoped, filtered page, newest first, with the count of every match; a
// top-up's events and resends; some accounts' recent activity.
import { type PageOf, TopUpQueries, type TopUpQueriesService, type TopUpSearch } from '@airtime/application';
import {
  checkAccountId,
  checkTransactionId,
  FAILURE_CLASSES,
  isValidIdentifier,
  IDENTIFIER_RULES,
  PersistenceFailure,
  type TopUp,
} from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import type { DataSource } from 'typeorm';
import { optionalIsoOf } from '../shared/codec-support';
import { checkWindow, countedRows } from '../shared/counted-page.queries';
import { areStorableKeys } from '../shared/text-keys';
import { sql } from '../unit-of-work/sql';
import { topUpEventsOf } from '../outbox/top-up-events.queries';
import { topUpActivityOf } from './top-up-activity.queries';
import { type Row, topUpsOfRows } from './top-up-rows.mapper';
import { resendsOf, SEARCH_ORDER, searchPage, withAttempts } from './top-up.queries';

const NOTHING: PageOf<TopUp> = { items: [], total: 0 };

/** The shape of `top_ups.destination_e164` (its CHECK): another text matches no top-up. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Top-up searches on PostgreSQL, in the caller's unit of work when there is
 * one. `search(s)` answers the top-ups of `s.accountIds` that meet every
 * given filter (external id, status classes, `createdFrom <= createdAt <
 * createdBefore`, the destination's E.164 text), ordered by `created_at` descending then `id` descending
 * in code-point order, `s.offset` skipped and at most `s.limit` answered,
 * with their attempts; `total` counts every match. Count and page are one
 * statement (one snapshot, one round trip). An account id or external id
 * that breaks the identifier rule matches nothing (no such top-up can be
 * stored), as does a phone number that is not E.164 text. Refused with a
 * non-retryable `PersistenceFailure`: no account ids, an offset that is not
 * a whole number >= 0 or a limit that is not one >= 1, an invalid date.
 * `eventsOf`: see `topUpEventsOf` (none, without a statement, for an id
 * holding a NUL: no row can, see text-keys); `resendsOf`: the top-ups of the account
 * whose request's metadata names the top-up in `resend_of`, newest first,
 * with their attempts (an id that breaks the identifier rule has none);
 * `activityOf`: see `topUpActivityOf`.
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
        (search.externalId !== undefined && !isValidIdentifier(IDENTIFIER_RULES.EXTERNAL_ID, search.externalId)) ||
        (search.phoneNumber !== undefined && !E164.test(search.phoneNumber))
      ) {
        return NOTHING;
      }
      const statement = withAttempts(
        searchPage(
          {
            accountIds,
            externalId: search.externalId,
            phoneNumber: search.phoneNumber,
            classes: search.classes,
            createdFrom,
            createdBefore,
          },
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
  eventsOf: (topUpId) => (areStorableKeys(topUpId) ? topUpEventsOf(dataSource, topUpId) : Effect.succeed([])),
  resendsOf: (accountId, topUpId) =>
    Effect.gen(function* () {
      if (Either.isLeft(checkAccountId(accountId)) || Either.isLeft(checkTransactionId(topUpId))) return [];
      const statement = withAttempts(resendsOf(accountId, topUpId), SEARCH_ORDER);
      const loaded = yield* topUpsOfRows(yield* sql<Row>(dataSource, statement.text, statement.parameters));
      return loaded.map(({ topUp }) => topUp);
    }),
  activityOf: (query) => topUpActivityOf(dataSource, query),
  settledByHand: (topUpIds) => {
    const storable = topUpIds.filter((topUpId) => areStorableKeys(topUpId));
    if (storable.length === 0) return Effect.succeed(new Set<string>());
    return Effect.map(
      sql<{ top_up_id: string }>(
        dataSource,
        `SELECT DISTINCT top_up_id FROM reconciliation_settlements
          WHERE top_up_id = ANY($1::text[]) AND actor = 'operator' AND state = 'APPLIED'
            AND to_status_class = ANY($2::text[])`,
        [storable, [...FAILURE_CLASSES]],
      ),
      (rows) => new Set(rows.map((row) => row.top_up_id)),
    );
  },
});

/** `makeTopUpQueries` as the `TopUpQueries` layer. */
export const topUpQueriesLayer = (dataSource: DataSource) => Layer.succeed(TopUpQueries, makeTopUpQueries(dataSource));
