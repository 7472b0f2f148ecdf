import { taggedError } from '../errors/tagged-error';

/** The store failed (connection lost, serialization failure, timeout, a value it cannot store or read). */
export class PersistenceFailure extends taggedError('PersistenceFailure', {
  code: 'PERSISTENCE_FAILURE',
  retryable: 'per-instance',
})<{
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
}>((e) => `persistence failure: ${e.reason}`) {}

/** Somebody else changed the record since it was read (optimistic concurrency). */
export class ConcurrentModification extends taggedError('ConcurrentModification', {
  code: 'CONCURRENT_MODIFICATION',
  retryable: true,
})<{
  readonly entity: string;
  readonly id: string;
}>((e) => `${e.entity} ${e.id} was modified concurrently`) {}

/** An idempotency key (external id, message id) is already claimed. */
export class DuplicateKey extends taggedError('DuplicateKey', { code: 'DUPLICATE_KEY', retryable: false })<{
  readonly entity: string;
  readonly key: string;
}>((e) => `${e.entity} with key ${e.key} already exists`) {}
