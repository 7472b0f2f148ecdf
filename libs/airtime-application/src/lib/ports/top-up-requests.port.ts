// The request behind each top-up, as the caller sent it: what makes a repeat
// of an idempotency key recognisable (same payload) or a conflict (another).
import { Context, type Effect, type Option } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

/**
 * A caller's request as stored with its top-up: the canonical JSON of the
 * decoded input (amounts as decimal strings), the callback URL and metadata
 * it carried, and the top-up's unguessable callback token (for provider
 * callback URLs).
 */
export interface StoredTopUpRequest {
  readonly topUpId: string;
  readonly accountId: string;
  readonly externalId: string;
  /** The decoded request, JSON-safe (no bigint, no Date), compared field by field on a repeat. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly callbackUrl?: string | undefined;
  readonly callbackToken: string;
}

/** Where requests are kept; joins the caller's unit of work. */
export interface TopUpRequestStoreService {
  /** Stores the request of a new top-up (in the same unit of work as the top-up). */
  readonly record: (request: StoredTopUpRequest) => Effect.Effect<void, PersistenceFailure>;
  /**
   * Stores the requests of new top-ups at once (one statement on
   * PostgreSQL), all or none: a top-up id, key or callback token already
   * held (or held twice in `requests`) fails the call with a non-retryable
   * `PersistenceFailure`, and nothing of it is kept once the caller's unit of
   * work rolls back. An empty list does nothing.
   */
  readonly recordAll: (requests: readonly StoredTopUpRequest[]) => Effect.Effect<void, PersistenceFailure>;
  readonly find: (
    accountId: string,
    externalId: string,
  ) => Effect.Effect<Option.Option<StoredTopUpRequest>, PersistenceFailure>;
  /**
   * The stored requests of these (account, external id) keys, one read
   * (in no particular order; a key with no request has none).
   */
  readonly findAll: (
    keys: readonly { readonly accountId: string; readonly externalId: string }[],
  ) => Effect.Effect<readonly StoredTopUpRequest[], PersistenceFailure>;
  readonly findByTopUpId: (topUpId: string) => Effect.Effect<Option.Option<StoredTopUpRequest>, PersistenceFailure>;
  /** The request whose top-up has this callback token (provider callbacks); tokens are unique. */
  readonly findByCallbackToken: (
    callbackToken: string,
  ) => Effect.Effect<Option.Option<StoredTopUpRequest>, PersistenceFailure>;
}

export class TopUpRequestStore extends Context.Tag('@airtime/application/TopUpRequestStore')<
  TopUpRequestStore,
  TopUpRequestStoreService
>() {}
