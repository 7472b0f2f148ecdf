// The directory of customer accounts (`accounts`), for the application's
// AccountDirectory port.
import {
  type Account,
  AccountAlreadyExists,
  AccountDirectory,
  type AccountDirectoryService,
} from '@airtime/application';
import { checkAccountId, PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored, isoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';

const AccountRow = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  created_at: Schema.ValidDateFromSelf,
});

const decodeAccountRow = decodeStored(AccountRow);

const accountOf = (row: unknown): Either.Either<Account, PersistenceFailure> =>
  Either.map(decodeAccountRow(row, 'an account of the directory'), (decoded) => ({
    id: decoded.id,
    name: decoded.name,
    createdAt: decoded.created_at,
  }));

/**
 * Accounts on PostgreSQL; every statement joins the current unit of work.
 * `create` adds the account and answers it as stored, or fails with
 * `AccountAlreadyExists` when the id is taken (an `ON CONFLICT` claim, so
 * the caller's transaction stays usable). An id that breaks the domain's
 * identifier rule (`checkAccountId`) is refused before any SQL with a
 * non-retryable `PersistenceFailure`; a name that breaks the
 * `accounts_name_valid` CHECK (1..200 characters, no control character)
 * fails with one naming that constraint. `find` answers none for an id no
 * account can have.
 */
export const makeAccountDirectory = (dataSource: DataSource): AccountDirectoryService => ({
  create: (account) =>
    Effect.gen(function* () {
      if (Either.isLeft(checkAccountId(account.id))) {
        return yield* Effect.fail(
          new PersistenceFailure({
            reason: 'the account cannot be stored: its id breaks the identifier rule',
            retryable: false,
          }),
        );
      }
      const createdAt = yield* isoOf(account.createdAt, 'the creation time of the account');
      const [row] = yield* sql(
        dataSource,
        `INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3::timestamptz)
         ON CONFLICT (id) DO NOTHING
         RETURNING id, name, created_at`,
        [account.id, account.name, createdAt],
      );
      if (row === undefined) return yield* Effect.fail(new AccountAlreadyExists({ accountId: account.id }));
      return yield* accountOf(row);
    }),
  find: (id) =>
    Either.isLeft(checkAccountId(id))
      ? Effect.succeed(Option.none())
      : Effect.flatMap(sql(dataSource, `SELECT id, name, created_at FROM accounts WHERE id = $1`, [id]), (rows) =>
          rows[0] === undefined ? Either.right(Option.none()) : Either.map(accountOf(rows[0]), Option.some),
        ),
});

/** `makeAccountDirectory` as the `AccountDirectory` layer. */
export const accountDirectoryLayer = (dataSource: DataSource) =>
  Layer.succeed(AccountDirectory, makeAccountDirectory(dataSource));
