import { Data } from 'effect';

/** The store failed (connection lost, serialization failure, timeout, a value it cannot store or read). */
export class PersistenceFailure extends Data.TaggedError('PersistenceFailure')<{
  readonly reason: string;
  /**
   * True when running the whole unit of work again may succeed: a lost
   * connection (wherever it is met: during a statement, on a session already
   * ended, at commit), a serialization failure, a deadlock, a timeout.
   * Nothing was committed, except when the connection was lost during the
   * commit itself, whose outcome is unknown; the stores' keyed, idempotent
   * writes make running it again safe then too. False when a retry would
   * fail the same way (a broken constraint, a value that cannot be stored).
   */
  readonly retryable: boolean;
}> {
  readonly code = 'PERSISTENCE_FAILURE' as const;
  override get message(): string {
    return `persistence failure: ${this.reason}`;
  }
}

/** Somebody else changed the record since it was read (optimistic concurrency). */
export class ConcurrentModification extends Data.TaggedError('ConcurrentModification')<{
  readonly entity: string;
  readonly id: string;
}> {
  readonly code = 'CONCURRENT_MODIFICATION' as const;
  readonly retryable = true as const;
  override get message(): string {
    return `${this.entity} ${this.id} was modified concurrently`;
  }
}

/** An idempotency key (external id, message id) is already claimed. */
export class DuplicateKey extends Data.TaggedError('DuplicateKey')<{
  readonly entity: string;
  readonly key: string;
}> {
  readonly code = 'DUPLICATE_KEY' as const;
  override get message(): string {
    return `${this.entity} with key ${this.key} already exists`;
  }
}
