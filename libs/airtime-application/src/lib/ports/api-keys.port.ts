// API keys as stored: never the key itself, only its public prefix and the
// SHA-256 of its secret part (the secret is 32 random bytes, so a plain hash
// is enough; no slow hash is needed for high-entropy secrets).
import { Context, type Effect, type Option } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

/** An issued API key (`atk_<prefix>_<secret>`), without its secret. */
export interface StoredApiKey {
  readonly id: string;
  /** 12 lowercase hex characters, unique: how a presented key is found. */
  readonly prefix: string;
  /** SHA-256 of the secret part (the text after the second `_`), lowercase hex. */
  readonly secretHash: string;
  /** What the operator called it (shown in listings). */
  readonly label: string;
  /** The accounts whose top-ups, balances and journal the key may see and spend from (at least one). */
  readonly accountIds: readonly string[];
  readonly createdAt: Date;
  /** Set once revoked; a revoked key is refused. */
  readonly revokedAt?: Date | undefined;
}

export interface ApiKeyStoreService {
  /** Stores a new key with its account scope. */
  readonly insert: (key: StoredApiKey) => Effect.Effect<void, PersistenceFailure>;
  readonly findByPrefix: (prefix: string) => Effect.Effect<Option.Option<StoredApiKey>, PersistenceFailure>;
  /**
   * Marks the key revoked at `at` (a key already revoked keeps its first
   * time). Answers the key as stored after it; none when there is no such key.
   */
  readonly revoke: (id: string, at: Date) => Effect.Effect<Option.Option<StoredApiKey>, PersistenceFailure>;
  /** The keys (revoked ones too) whose scope includes the account, oldest first. */
  readonly listFor: (accountId: string) => Effect.Effect<readonly StoredApiKey[], PersistenceFailure>;
}

export class ApiKeyStore extends Context.Tag('@airtime/application/ApiKeyStore')<ApiKeyStore, ApiKeyStoreService>() {}
