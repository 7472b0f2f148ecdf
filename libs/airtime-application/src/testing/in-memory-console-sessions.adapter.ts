// The console session store in memory, with the keys the SQL table holds:
// one session per token hash, its API key in the in-memory database (the
// key is read from there at each find, as the SQL join reads it).
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Layer, Option } from 'effect';
import {
  ConsoleSessionStore,
  type ConsoleSessionStoreService,
  type StoredConsoleSession,
} from '../lib/ports/console-sessions.port';
import type { InMemoryDatabase } from './in-memory-database.fake';

export interface InMemoryConsoleSessionStore extends ConsoleSessionStoreService {
  /** The stored sessions, by token hash, in insertion order. */
  readonly rows: () => ReadonlyMap<string, StoredConsoleSession>;
  /** How many times `find` was called. */
  readonly finds: () => number;
}

const refused = (reason: string) => new PersistenceFailure({ reason, retryable: false });

export const makeInMemoryConsoleSessionStore = (database: InMemoryDatabase): InMemoryConsoleSessionStore => {
  const sessions = new Map<string, StoredConsoleSession>();
  let finds = 0;
  return {
    rows: () => new Map(sessions),
    finds: () => finds,
    insert: (session) =>
      Effect.flatMap(
        database.read((tables) => tables.apiKeys.has(session.apiKeyId)),
        (keyStored) => {
          if (!keyStored) return Effect.fail(refused("a console session's API key must be stored"));
          if (sessions.has(session.tokenHash))
            return Effect.fail(refused('a console session with this token is stored'));
          sessions.set(session.tokenHash, session);
          return Effect.void;
        },
      ),
    find: (tokenHash) =>
      Effect.suspend(() => {
        finds += 1;
        const session = sessions.get(tokenHash);
        if (session === undefined) return Effect.succeed(Option.none());
        return database.read((tables) =>
          Option.map(Option.fromNullable(tables.apiKeys.get(session.apiKeyId)), (key) => ({
            session,
            apiKey: { id: key.id, accountIds: key.accountIds, revokedAt: key.revokedAt },
          })),
        );
      }),
    touch: (tokenHash, at) =>
      Effect.sync(() => {
        const session = sessions.get(tokenHash);
        if (session !== undefined && at.getTime() > session.lastSeenAt.getTime())
          sessions.set(tokenHash, { ...session, lastSeenAt: at });
      }),
    remove: (tokenHash) =>
      Effect.sync(() => {
        sessions.delete(tokenHash);
      }),
    prune: (now, idleSince) =>
      database.read((tables) => {
        let deleted = 0;
        for (const [tokenHash, session] of sessions) {
          const revoked = tables.apiKeys.get(session.apiKeyId)?.revokedAt !== undefined;
          if (
            revoked ||
            session.expiresAt.getTime() <= now.getTime() ||
            session.lastSeenAt.getTime() <= idleSince.getTime()
          ) {
            sessions.delete(tokenHash);
            deleted += 1;
          }
        }
        return deleted;
      }),
  };
};

/** The store as the `ConsoleSessionStore` layer. */
export const inMemoryConsoleSessionStoreLayer = (store: InMemoryConsoleSessionStore) =>
  Layer.succeed(ConsoleSessionStore, store);
