import type { Money, PhoneNumber } from '@airtime/domain';
import { Effect, Option } from 'effect';

/** An airtime request AT accepted from us: what a validation callback must match. */
export interface SentAirtime {
  /** AT's requestId of the transaction. */
  readonly transactionId: string;
  readonly destination: PhoneNumber;
  readonly amount: Money;
}

/**
 * Where accepted sends are looked up by the validation callback. The apps
 * back it with the top-up store (attempts carry the requestId, number and
 * amount); the in-memory one serves a single process (the embedded setup).
 */
export interface SentAirtimeRegistry {
  readonly record: (sent: SentAirtime) => Effect.Effect<void>;
  readonly find: (transactionId: string) => Effect.Effect<Option.Option<SentAirtime>>;
}

export const DEFAULT_REGISTRY_CAPACITY = 10_000;

/** Keeps the last `capacity` accepted sends of this process. */
export const makeInMemorySentAirtimeRegistry = (capacity = DEFAULT_REGISTRY_CAPACITY): SentAirtimeRegistry => {
  const sent = new Map<string, SentAirtime>();
  return {
    record: (entry) =>
      Effect.sync(() => {
        sent.delete(entry.transactionId);
        sent.set(entry.transactionId, entry);
        for (const oldest of sent.keys()) {
          if (sent.size <= capacity) break;
          sent.delete(oldest);
        }
      }),
    find: (transactionId) => Effect.sync(() => Option.fromNullable(sent.get(transactionId))),
  };
};
