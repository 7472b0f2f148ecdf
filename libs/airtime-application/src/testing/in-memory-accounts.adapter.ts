// The account directory and the API key store over the in-memory database,
// with the keys the SQL tables hold: unique account ids, unique key ids and
// prefixes, a key's accounts present in the directory.
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option } from 'effect';
import { AccountAlreadyExists } from '../lib/ports/accounts.errors';
import { AccountDirectory, type AccountDirectoryService } from '../lib/ports/accounts.port';
import { ApiKeyStore, type ApiKeyStoreService, type StoredApiKey } from '../lib/ports/api-keys.port';
import type { InMemoryDatabase, Tables } from './in-memory-database.fake';

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

export const makeInMemoryAccountDirectory = (database: InMemoryDatabase): AccountDirectoryService => ({
  create: (account) =>
    Effect.flatten(
      database.update((tables): readonly [Effect.Effect<typeof account, AccountAlreadyExists>, Tables] => {
        if (tables.accounts.has(account.id))
          return [Effect.fail(new AccountAlreadyExists({ accountId: account.id })), tables];
        const accounts = new Map(tables.accounts);
        accounts.set(account.id, account);
        return [Effect.succeed(account), { ...tables, accounts }];
      }),
    ),
  find: (id) => database.read((tables) => Option.fromNullable(tables.accounts.get(id))),
});

const byCreation = (a: StoredApiKey, b: StoredApiKey): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const insertKey = (tables: Tables, key: StoredApiKey): Either.Either<Tables, PersistenceFailure> => {
  if (tables.apiKeys.has(key.id)) return Either.left(refused('an API key with this id is already stored'));
  if ([...tables.apiKeys.values()].some((stored) => stored.prefix === key.prefix))
    return Either.left(refused('an API key with this prefix is already stored'));
  if (key.accountIds.length === 0) return Either.left(refused('an API key needs at least one account'));
  if (key.accountIds.some((accountId) => !tables.accounts.has(accountId)))
    return Either.left(refused("an API key's accounts must be in the directory"));
  const apiKeys = new Map(tables.apiKeys);
  apiKeys.set(key.id, { ...key, accountIds: [...new Set(key.accountIds)] });
  return Either.right({ ...tables, apiKeys });
};

export const makeInMemoryApiKeyStore = (database: InMemoryDatabase): ApiKeyStoreService => ({
  insert: (key) =>
    Effect.flatten(
      database.update((tables): readonly [Effect.Effect<void, PersistenceFailure>, Tables] => {
        const result = insertKey(tables, key);
        return Either.isRight(result) ? [Effect.void, result.right] : [Effect.fail(result.left), tables];
      }),
    ),
  findByPrefix: (prefix) =>
    database.read((tables) => Option.fromNullable([...tables.apiKeys.values()].find((key) => key.prefix === prefix))),
  revoke: (id, at) =>
    database.update((tables) => {
      const stored = tables.apiKeys.get(id);
      if (stored === undefined) return [Option.none(), tables] as const;
      if (stored.revokedAt !== undefined) return [Option.some(stored), tables] as const;
      const revoked: StoredApiKey = { ...stored, revokedAt: at };
      const apiKeys = new Map(tables.apiKeys);
      apiKeys.set(id, revoked);
      return [Option.some(revoked), { ...tables, apiKeys }] as const;
    }),
  listFor: (accountId) =>
    database.read((tables) =>
      [...tables.apiKeys.values()].filter((key) => key.accountIds.includes(accountId)).sort(byCreation),
    ),
});

/** The directory and the key store as layers over one database. */
export const inMemoryAccountLayers = (database: InMemoryDatabase) =>
  Layer.mergeAll(
    Layer.succeed(AccountDirectory, makeInMemoryAccountDirectory(database)),
    Layer.succeed(ApiKeyStore, makeInMemoryApiKeyStore(database)),
  );
