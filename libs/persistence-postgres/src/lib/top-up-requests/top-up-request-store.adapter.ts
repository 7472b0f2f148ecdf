// The request behind each top-up (`top_up_requests`), for the application's TopUpRequestStore port.
import { type StoredTopUpRequest, TopUpRequestStore, type TopUpRequestStoreService } from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { jsonProblem } from '../outbox/json-payload.check';
import { decodeStored } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';
import { areStorableKeys } from '../shared/text-keys';

const RequestRow = Schema.Struct({
  top_up_id: Schema.String,
  account_id: Schema.String,
  external_id: Schema.String,
  request: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  callback_url: Schema.NullOr(Schema.String),
  callback_token: Schema.String,
});

const decodeRequestRow = decodeStored(RequestRow);

const COLUMNS = 'top_up_id, account_id, external_id, request, callback_url, callback_token';

const storedRequestOf = (row: Record<string, unknown>): Either.Either<StoredTopUpRequest, PersistenceFailure> =>
  Either.map(
    decodeRequestRow(
      row,
      `the request of top-up ${typeof row['top_up_id'] === 'string' ? row['top_up_id'] : '(no id)'}`,
    ),
    (decoded) => ({
      topUpId: decoded.top_up_id,
      accountId: decoded.account_id,
      externalId: decoded.external_id,
      request: decoded.request,
      ...(decoded.callback_url === null ? {} : { callbackUrl: decoded.callback_url }),
      callbackToken: decoded.callback_token,
    }),
  );

/** A request that can be stored, or why not (a request that is not a JSON object, or not one PostgreSQL keeps). */
const storable = (stored: StoredTopUpRequest): Either.Either<StoredTopUpRequest, PersistenceFailure> => {
  const problem =
    typeof stored.request !== 'object' || stored.request === null || Array.isArray(stored.request)
      ? 'the request is not a JSON object'
      : jsonProblem(stored.request, 'request');
  return problem === undefined
    ? Either.right(stored)
    : Either.left(
        new PersistenceFailure({
          reason: `the request of top-up ${stored.topUpId} cannot be stored: ${problem}`,
          retryable: false,
        }),
      );
};

interface Clash {
  readonly same_top_up: boolean;
  readonly same_key: boolean;
  readonly same_token: boolean;
}

/**
 * Requests on PostgreSQL; every statement joins the current unit of work.
 * `record` stores a request once: recording the very same request again
 * (same top-up, key, payload, callback URL and token) is a no-op, and one
 * that takes a top-up id, an (account, external id) or a callback token
 * already held by another is a non-retryable `PersistenceFailure` naming the
 * clash (never the payload, which holds the phone number, nor the token).
 * Neither case aborts the caller's transaction.
 */
export const makeTopUpRequestStore = (dataSource: DataSource): TopUpRequestStoreService => {
  /** The request with these keys; none, without a statement, when a key holds a NUL (no row can: see text-keys). */
  const findOne = (where: string, parameters: readonly string[]) =>
    areStorableKeys(...parameters)
      ? Effect.flatMap(sql(dataSource, `SELECT ${COLUMNS} FROM top_up_requests WHERE ${where}`, parameters), (rows) =>
          rows[0] === undefined ? Either.right(Option.none()) : Either.map(storedRequestOf(rows[0]), Option.some),
        )
      : Effect.succeed(Option.none());

  return {
    recordAll: (requests) =>
      Effect.gen(function* () {
        if (requests.length === 0) return;
        yield* Effect.forEach(requests, storable);
        // no ON CONFLICT: a top-up id, key or token already held fails the one statement, so nothing of it is written
        yield* sql(
          dataSource,
          `INSERT INTO top_up_requests (${COLUMNS})
           SELECT r.top_up_id, r.account_id, r.external_id, r.request, r.callback_url, r.callback_token
           FROM jsonb_to_recordset($1::jsonb) AS r(top_up_id text, account_id text, external_id text, request jsonb,
             callback_url text, callback_token text)`,
          [
            JSON.stringify(
              requests.map((stored) => ({
                top_up_id: stored.topUpId,
                account_id: stored.accountId,
                external_id: stored.externalId,
                request: stored.request,
                callback_url: stored.callbackUrl ?? null,
                callback_token: stored.callbackToken,
              })),
            ),
          ],
        ).pipe(
          Effect.mapError(
            (failure) =>
              new PersistenceFailure({
                reason: `the requests of ${requests.length} top-ups cannot be stored: ${failure.reason}`,
                retryable: failure.retryable,
              }),
          ),
        );
      }),
    findAll: (keys) => {
      // a key no row can hold has no request (see text-keys), and is not sent
      const readable = keys.filter((key) => areStorableKeys(key.accountId, key.externalId));
      if (readable.length === 0) return Effect.succeed([]);
      return Effect.flatMap(
        sql(
          dataSource,
          `SELECT ${COLUMNS} FROM top_up_requests
           WHERE (account_id, external_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
          [readable.map((key) => key.accountId), readable.map((key) => key.externalId)],
        ),
        (rows) => Either.all(rows.map(storedRequestOf)),
      );
    },
    record: (stored) =>
      Effect.gen(function* () {
        yield* storable(stored);
        const parameters = [
          stored.topUpId,
          stored.accountId,
          stored.externalId,
          JSON.stringify(stored.request),
          stored.callbackUrl ?? null,
          stored.callbackToken,
        ];
        const inserted = yield* sql(
          dataSource,
          `INSERT INTO top_up_requests (${COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5, $6)
           ON CONFLICT DO NOTHING
           RETURNING top_up_id`,
          parameters,
        );
        if (inserted.length > 0) return;
        const clashes = yield* sql<Clash & { readonly identical: boolean }>(
          dataSource,
          `SELECT top_up_id = $1 AS same_top_up,
                  (account_id = $2 AND external_id = $3) AS same_key,
                  callback_token = $6 AS same_token,
                  (top_up_id = $1 AND account_id = $2 AND external_id = $3 AND request = $4::jsonb
                   AND callback_url IS NOT DISTINCT FROM $5 AND callback_token = $6) AS identical
           FROM top_up_requests
           WHERE top_up_id = $1 OR (account_id = $2 AND external_id = $3) OR callback_token = $6`,
          parameters,
        );
        if (clashes.length === 1 && clashes[0]?.identical === true) return;
        const taken = [
          clashes.some((c) => !c.same_top_up && c.same_key)
            ? `its key ${stored.accountId}/${stored.externalId}`
            : undefined,
          clashes.some((c) => !c.same_top_up && c.same_token) ? 'its callback token' : undefined,
        ].filter((what) => what !== undefined);
        const gone = clashes.length === 0;
        return yield* Effect.fail(
          new PersistenceFailure({
            reason: `the request of top-up ${stored.topUpId} cannot be stored: ${[
              ...(clashes.some((c) => c.same_top_up) ? ['another request is stored for this top-up'] : []),
              ...(taken.length === 0
                ? []
                : [
                    `${taken.join(' and ')} already belong${taken.length === 1 ? 's' : ''} to another top-up's request`,
                  ]),
              ...(gone ? ['the request it clashed with is gone'] : []),
            ].join('; ')}`,
            // a clash that is gone (a concurrent request rolled back) may not be there next time
            retryable: gone,
          }),
        );
      }),
    find: (accountId, externalId) => findOne('account_id = $1 AND external_id = $2', [accountId, externalId]),
    findByTopUpId: (topUpId) => findOne('top_up_id = $1', [topUpId]),
    // unique (top_up_requests_callback_token_once): at most one row
    findByCallbackToken: (callbackToken) => findOne('callback_token = $1', [callbackToken]),
  };
};

export const topUpRequestStoreLayer = (dataSource: DataSource) =>
  Layer.succeed(TopUpRequestStore, makeTopUpRequestStore(dataSource));
