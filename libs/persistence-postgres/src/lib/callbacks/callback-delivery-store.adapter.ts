// The callbacks owed to callers (`callback_deliveries`, each try in `callback_delivery_tries`) and the
// accounts' signing secrets (`account_callback_secrets`), for the application's CallbackDeliveryStore port.
import {
  type CallbackDelivery,
  CallbackDeliveryStore,
  type CallbackDeliveryStoreService,
  type CallbackTry,
} from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored, isoOf, storableText } from '../shared/codec-support';
import { areStorableKeys } from '../shared/text-keys';
import { sql } from '../unit-of-work/sql';

/** The most deliveries one claim returns. */
export const MAX_CALLBACK_BATCH = 1000;
/** A signing secret's bounds, in characters (an HMAC-SHA256 key shorter than 16 is too weak to sign with). */
export const CALLBACK_SECRET_MIN_LENGTH = 16;
export const CALLBACK_SECRET_MAX_LENGTH = 512;
/** A try's error is cut to this many characters. */
export const MAX_CALLBACK_ERROR_LENGTH = 1000;

const isJsonText = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const JsonText = Schema.String.pipe(Schema.filter((text) => isJsonText(text) || 'must be JSON text'));

const DeliveryRow = Schema.Struct({
  id: Schema.String,
  event_id: Schema.String,
  top_up_id: Schema.String,
  account_id: Schema.String,
  url: Schema.String,
  body: JsonText,
  attempts: Schema.Int.pipe(Schema.nonNegative()),
  next_attempt_at: Schema.ValidDateFromSelf,
  created_at: Schema.ValidDateFromSelf,
});

const SecretRow = Schema.Struct({
  secret: Schema.String.pipe(
    Schema.minLength(CALLBACK_SECRET_MIN_LENGTH),
    Schema.maxLength(CALLBACK_SECRET_MAX_LENGTH),
  ),
});

const decodeDeliveryRow = decodeStored(DeliveryRow);
const decodeSecretRow = decodeStored(SecretRow);

const refuse = (reason: string) => Effect.fail(new PersistenceFailure({ reason, retryable: false }));

const deliveryOf = (row: Record<string, unknown>): Either.Either<CallbackDelivery, PersistenceFailure> =>
  Either.map(
    decodeDeliveryRow(row, `callback delivery ${typeof row['id'] === 'string' ? row['id'] : '(no id)'}`),
    (decoded) => ({
      id: decoded.id,
      eventId: decoded.event_id,
      topUpId: decoded.top_up_id,
      accountId: decoded.account_id,
      url: decoded.url,
      body: decoded.body,
      attempts: decoded.attempts,
      nextAttemptAt: decoded.next_attempt_at,
      createdAt: decoded.created_at,
    }),
  );

/** Why `attempt` cannot be recorded as it is, if it cannot. */
const tryProblem = (attempt: CallbackTry): string | undefined =>
  !Number.isFinite(attempt.durationMs) || attempt.durationMs < 0
    ? 'its duration is not a finite, non-negative number of milliseconds'
    : attempt.status !== null && !(Number.isInteger(attempt.status) && attempt.status >= 100 && attempt.status <= 599)
      ? 'its status is not an HTTP status (an integer from 100 to 599) or null'
      : undefined;

/**
 * Callback deliveries on PostgreSQL. Every statement joins the current unit
 * of work if there is one: `enqueue` writes a delivery with the event that
 * owes it (a second one for the same event and URL is a no-op); `claimDue`
 * leases the due, pending deliveries no other claim is taking, earliest due
 * first, in one statement (`FOR UPDATE SKIP LOCKED`, then their
 * `next_attempt_at` set to the lease's end, so later claims pass them by
 * until it ends; the row locks last only as long as the claim's
 * transaction, which the dispatcher keeps short); `recordTry` appends the
 * try (numbered from 1) and moves the delivery: delivered, scheduled again,
 * or abandoned, which ends the lease. Rows that do not decode are
 * non-retryable `PersistenceFailure`s. Secrets are never part of a
 * failure's reason. `signingSecretOf` answers none, without a statement, for
 * an account id holding a NUL (no row can: see text-keys).
 */
export const makeCallbackDeliveryStore = (dataSource: DataSource): CallbackDeliveryStoreService => ({
  enqueue: (delivery) =>
    Effect.gen(function* () {
      if (!isJsonText(delivery.body)) {
        return yield* refuse(`callback delivery ${delivery.id} cannot be stored: its body is not JSON text`);
      }
      const nextAttemptAt = yield* isoOf(delivery.nextAttemptAt, `callback delivery ${delivery.id}: next try time`);
      const createdAt = yield* isoOf(delivery.createdAt, `callback delivery ${delivery.id}: creation time`);
      yield* sql(
        dataSource,
        `INSERT INTO callback_deliveries (id, event_id, top_up_id, account_id, url, body, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz)
         ON CONFLICT (event_id, url) DO NOTHING`,
        [
          delivery.id,
          delivery.eventId,
          delivery.topUpId,
          delivery.accountId,
          delivery.url,
          delivery.body,
          nextAttemptAt,
          createdAt,
        ],
      );
    }),

  claimDue: (now, limit, leaseUntil) =>
    Effect.gen(function* () {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CALLBACK_BATCH) {
        return yield* refuse(
          `callback batch limit must be an integer from 1 to ${MAX_CALLBACK_BATCH}, got ${String(limit)}`,
        );
      }
      const at = yield* isoOf(now, 'the time deliveries are due by');
      const until = yield* isoOf(leaseUntil, 'the end of the lease of claimed deliveries');
      if (!(leaseUntil.getTime() > now.getTime())) {
        return yield* refuse(`the lease of claimed deliveries must end after now (${at}), not at ${until}`);
      }
      const rows = yield* sql(
        dataSource,
        `WITH due AS (
           SELECT id, next_attempt_at AS due_at
           FROM callback_deliveries
           WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= $1::timestamptz
           ORDER BY next_attempt_at, id
           LIMIT $2
           FOR UPDATE SKIP LOCKED),
         leased AS (
           UPDATE callback_deliveries AS delivery SET next_attempt_at = $3::timestamptz
           FROM due WHERE delivery.id = due.id
           RETURNING delivery.id, delivery.event_id, delivery.top_up_id, delivery.account_id, delivery.url,
                     delivery.body, delivery.attempts, delivery.next_attempt_at, delivery.created_at, due.due_at)
         SELECT id, event_id, top_up_id, account_id, url, body, attempts, next_attempt_at, created_at
         FROM leased ORDER BY due_at, id`,
        [at, limit, until],
      );
      return yield* Either.all(rows.map(deliveryOf));
    }),

  recordTry: (deliveryId, attempt, outcome) =>
    Effect.gen(function* () {
      const problem = tryProblem(attempt);
      if (problem !== undefined) {
        return yield* refuse(`a try of callback delivery ${deliveryId} cannot be recorded: ${problem}`);
      }
      const at = yield* isoOf(attempt.at, `a try of callback delivery ${deliveryId}: its time`);
      const next = outcome.delivered
        ? null
        : outcome.nextAttemptAt === undefined
          ? null
          : yield* isoOf(outcome.nextAttemptAt, `a try of callback delivery ${deliveryId}: the next try's time`);
      const error = attempt.error === undefined ? null : storableText(attempt.error, MAX_CALLBACK_ERROR_LENGTH);
      // A delivery already delivered or abandoned keeps that state; the try is recorded all the same.
      const recorded = yield* sql(
        dataSource,
        `WITH moved AS (
           UPDATE callback_deliveries SET
             attempts = attempts + 1,
             last_status = $3::integer,
             last_error = $4::text,
             delivered_at = CASE WHEN delivered_at IS NULL AND abandoned_at IS NULL AND $5::boolean THEN $2::timestamptz ELSE delivered_at END,
             abandoned_at = CASE WHEN delivered_at IS NULL AND abandoned_at IS NULL AND NOT $5 AND $6::timestamptz IS NULL
                                 THEN $2::timestamptz ELSE abandoned_at END,
             next_attempt_at = CASE WHEN delivered_at IS NULL AND abandoned_at IS NULL AND NOT $5 THEN $6::timestamptz END
           WHERE id = $1
           RETURNING id, attempts)
         INSERT INTO callback_delivery_tries (delivery_id, number, at, duration_ms, status, error)
         SELECT id, attempts, $2::timestamptz, $7::integer, $3::integer, $4::text FROM moved
         RETURNING number`,
        [deliveryId, at, attempt.status, error, outcome.delivered, next, Math.round(attempt.durationMs)],
      );
      if (recorded.length === 0) {
        return yield* refuse(
          `a try of callback delivery ${deliveryId} cannot be recorded: the delivery was never stored`,
        );
      }
    }),

  signingSecretOf: (accountId) =>
    areStorableKeys(accountId)
      ? Effect.flatMap(
          sql(dataSource, `SELECT secret FROM account_callback_secrets WHERE account_id = $1`, [accountId]),
          (rows) =>
            rows[0] === undefined
              ? Either.right(Option.none())
              : Either.map(
                  decodeSecretRow(rows[0], `the callback signing secret of account ${accountId}`),
                  ({ secret }) => Option.some(secret),
                ),
        )
      : Effect.succeed(Option.none()),
});

export const callbackDeliveryStoreLayer = (dataSource: DataSource) =>
  Layer.succeed(CallbackDeliveryStore, makeCallbackDeliveryStore(dataSource));

/** The secret's own checks (16 to 512 characters, no NUL); its reason names the account, never the secret. */
const checkSecret = (accountId: string, secret: string): Effect.Effect<void, PersistenceFailure> => {
  const length = typeof secret === 'string' ? Array.from(secret).length : -1;
  return length < CALLBACK_SECRET_MIN_LENGTH || length > CALLBACK_SECRET_MAX_LENGTH || secret.includes('\u0000')
    ? refuse(
        `the callback signing secret of account ${accountId} must be ${CALLBACK_SECRET_MIN_LENGTH} to ${CALLBACK_SECRET_MAX_LENGTH} characters with no NUL`,
      )
    : Effect.void;
};

/**
 * Sets (or replaces) the secret an account's callbacks are signed with, for
 * admin tools and tests: 16 to 512 characters. Joins the current unit of
 * work if there is one. The secret is never part of a failure's reason.
 */
export const setCallbackSigningSecret = (
  dataSource: DataSource,
  accountId: string,
  secret: string,
): Effect.Effect<void, PersistenceFailure> =>
  Effect.zipRight(
    checkSecret(accountId, secret),
    sql(
      dataSource,
      `INSERT INTO account_callback_secrets (account_id, secret) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET secret = EXCLUDED.secret, updated_at = now()`,
      [accountId, secret],
    ),
  );

/**
 * Stores the account's first callback signing secret: true when stored,
 * false when the account has one already (kept as it is, whoever set it,
 * even a moment before in another session). The same checks as
 * `setCallbackSigningSecret`.
 */
export const addCallbackSigningSecret = (
  dataSource: DataSource,
  accountId: string,
  secret: string,
): Effect.Effect<boolean, PersistenceFailure> =>
  Effect.zipRight(
    checkSecret(accountId, secret),
    Effect.map(
      sql(
        dataSource,
        `INSERT INTO account_callback_secrets (account_id, secret) VALUES ($1, $2)
         ON CONFLICT (account_id) DO NOTHING RETURNING account_id`,
        [accountId, secret],
      ),
      (rows) => rows.length === 1,
    ),
  );
