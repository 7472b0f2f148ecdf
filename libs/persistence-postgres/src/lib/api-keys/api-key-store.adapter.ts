// API keys (`api_keys`, and their accounts in `api_key_accounts`), for the
// application's ApiKeyStore port. Only the key's public prefix and the
// SHA-256 of its secret part are stored, never the key.
import { ApiKeyStore, type ApiKeyStoreService, type StoredApiKey } from '@airtime/application';
import { checkAccountId, PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored, isoOf, optionalIsoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';

/** A key id as stored and answered: a UUID in lowercase (PostgreSQL's `uuid` text form). */
export const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A key's prefix: 12 lowercase hex characters (the `api_keys_prefix_valid` CHECK). */
const PREFIX = /^[0-9a-f]{12}$/;

const KeyRow = Schema.Struct({
  id: Schema.String,
  prefix: Schema.String,
  secret_hash: Schema.String,
  label: Schema.String,
  created_at: Schema.ValidDateFromSelf,
  revoked_at: Schema.NullOr(Schema.ValidDateFromSelf),
  account_ids: Schema.Array(Schema.String),
});

const decodeKeyRow = decodeStored(KeyRow);

/** The accounts of the key `k` (api_keys, or a CTE of its rows) in their issued order, as the column `account_ids`. */
export const KEY_ACCOUNT_IDS = `ARRAY(SELECT s.account_id FROM api_key_accounts s WHERE s.api_key_id = k.id ORDER BY s.position) AS account_ids`;

/** The columns of a key read from `k` (api_keys or a CTE of its rows), its accounts in their issued order. */
const KEY_COLUMNS = `k.id::text AS id, k.prefix, k.secret_hash, k.label, k.created_at, k.revoked_at, ${KEY_ACCOUNT_IDS}`;

const keyOf = (row: unknown): Either.Either<StoredApiKey, PersistenceFailure> =>
  Either.map(decodeKeyRow(row, 'an API key'), (decoded) => ({
    id: decoded.id,
    prefix: decoded.prefix,
    secretHash: decoded.secret_hash,
    label: decoded.label,
    accountIds: decoded.account_ids,
    createdAt: decoded.created_at,
    ...(decoded.revoked_at === null ? {} : { revokedAt: decoded.revoked_at }),
  }));

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

/**
 * API keys on PostgreSQL; every statement joins the current unit of work.
 *
 * - `insert(key)`: one statement stores the key and its accounts (duplicates
 *   dropped, in the order given). Refused with a non-retryable
 *   `PersistenceFailure`, nothing stored and the caller's transaction still
 *   usable: an id that is not a lowercase UUID, no accounts, an account that
 *   is not in the directory, an id or prefix another key holds (the prefix is
 *   unique: `api_keys_prefix_once`). A prefix, hash or label that breaks its
 *   CHECK (12 lowercase hex; 64 lowercase hex; 1..200 characters, no control
 *   character) fails the statement, naming the constraint.
 * - `findByPrefix(prefix)`: the key with that prefix, revoked or not.
 * - `revoke(id, at)`: sets `revoked_at` once (a revoked key keeps its first
 *   time, also when two revocations race) and answers the key as stored.
 * - `listFor(accountId)`: every key whose scope includes the account, revoked
 *   ones too, oldest first (created_at, then id).
 *
 * A prefix, id or account id that no key can have answers none (or no keys)
 * without reaching the database.
 */
export const makeApiKeyStore = (dataSource: DataSource): ApiKeyStoreService => {
  const keysWhere = (where: string, parameters: readonly unknown[], orderBy = 'k.id') =>
    Effect.flatMap(
      sql(dataSource, `SELECT ${KEY_COLUMNS} FROM api_keys k WHERE ${where} ORDER BY ${orderBy}`, parameters),
      (rows) => Either.all(rows.map(keyOf)),
    );

  const insert = (key: StoredApiKey): Effect.Effect<void, PersistenceFailure> =>
    Effect.gen(function* () {
      if (!KEY_ID.test(key.id)) return yield* Effect.fail(refused('an API key id must be a lowercase UUID'));
      const accountIds = [...new Set(key.accountIds)];
      if (accountIds.length === 0) return yield* Effect.fail(refused('an API key needs at least one account'));
      if (accountIds.some((accountId) => Either.isLeft(checkAccountId(accountId))))
        return yield* Effect.fail(refused("an API key's accounts must be in the directory"));
      const createdAt = yield* isoOf(key.createdAt, 'the creation time of the API key');
      const revokedAt = yield* optionalIsoOf(key.revokedAt, 'the revocation time of the API key');
      const [outcome] = yield* sql<{ readonly missing: string; readonly inserted: string }>(
        dataSource,
        `WITH scope AS (
           SELECT account_id, position FROM unnest($7::text[]) WITH ORDINALITY AS s(account_id, position)
         ), missing AS (
           SELECT 1 FROM scope WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE accounts.id = scope.account_id)
         ), inserted AS (
           INSERT INTO api_keys (id, prefix, secret_hash, label, created_at, revoked_at)
           SELECT $1::uuid, $2, $3, $4, $5::timestamptz, $6::timestamptz WHERE NOT EXISTS (SELECT 1 FROM missing)
           ON CONFLICT DO NOTHING
           RETURNING id
         ), scoped AS (
           INSERT INTO api_key_accounts (api_key_id, account_id, position)
           SELECT inserted.id, scope.account_id, scope.position FROM inserted CROSS JOIN scope
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM missing) AS missing, (SELECT count(*) FROM inserted) AS inserted`,
        [key.id, key.prefix, key.secretHash, key.label, createdAt, revokedAt ?? null, accountIds],
      );
      if (Number(outcome?.missing) > 0)
        return yield* Effect.fail(refused("an API key's accounts must be in the directory"));
      if (Number(outcome?.inserted) === 1) return;
      const holders = yield* sql<{ readonly same_id: boolean }>(
        dataSource,
        `SELECT id = $1::uuid AS same_id FROM api_keys WHERE id = $1::uuid OR prefix = $2`,
        [key.id, key.prefix],
      );
      return yield* Effect.fail(
        holders.length === 0
          ? new PersistenceFailure({
              reason: 'the API key cannot be stored: the key it clashed with is gone',
              retryable: true,
            })
          : refused(
              holders.some((holder) => holder.same_id)
                ? 'an API key with this id is already stored'
                : 'an API key with this prefix is already stored',
            ),
      );
    });

  return {
    insert,
    findByPrefix: (prefix) =>
      PREFIX.test(prefix)
        ? Effect.map(keysWhere('k.prefix = $1', [prefix]), (keys) => Option.fromNullable(keys[0]))
        : Effect.succeed(Option.none()),
    revoke: (id, at) =>
      KEY_ID.test(id)
        ? Effect.gen(function* () {
            const revokedAt = yield* isoOf(at, 'the revocation time of the API key');
            const rows = yield* sql(
              dataSource,
              `WITH k AS (
                 UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2::timestamptz) WHERE id = $1::uuid RETURNING *
               )
               SELECT ${KEY_COLUMNS} FROM k`,
              [id, revokedAt],
            );
            return rows[0] === undefined ? Option.none() : Option.some(yield* keyOf(rows[0]));
          })
        : Effect.succeed(Option.none()),
    listFor: (accountId) =>
      Either.isLeft(checkAccountId(accountId))
        ? Effect.succeed([])
        : keysWhere(
            'k.id IN (SELECT api_key_id FROM api_key_accounts WHERE account_id = $1)',
            [accountId],
            'k.created_at, k.id',
          ),
  };
};

/** `makeApiKeyStore` as the `ApiKeyStore` layer. */
export const apiKeyStoreLayer = (dataSource: DataSource) => Layer.succeed(ApiKeyStore, makeApiKeyStore(dataSource));
