// In-memory callback deliveries for the callback specs, with the claim
// semantics of the real store: a claim (inside a transaction) locks the due
// deliveries no other claim holds, as FOR UPDATE SKIP LOCKED does, and at its
// commit leases them (their next try moves to the lease's end); tries are
// recorded at commit. Accounts' signing secrets are kept here. It records
// what a correct dispatcher never does.
import { Effect, Layer, Option } from 'effect';
import {
  type CallbackDelivery,
  CallbackDeliveryStore,
  type CallbackDeliveryStoreService,
  type CallbackTry,
} from '../lib/ports/callback-deliveries.port';
import type { RelayUnitOfWork } from './relay-unit-of-work.fake';

/** A delivery as the fake holds it, with its recorded tries. */
export interface RelayCallbackRecord {
  readonly delivery: CallbackDelivery;
  readonly tries: readonly CallbackTry[];
  readonly deliveredAt: Date | undefined;
  readonly abandoned: boolean;
  /** The claim transaction locking it, while that transaction is open. */
  readonly lockedBy: number | undefined;
  /** Committed claims that leased it. */
  readonly leases: number;
}

export interface RelayCallbackDeliveries {
  readonly service: CallbackDeliveryStoreService;
  readonly layer: Layer.Layer<CallbackDeliveryStore>;
  readonly setSecret: (accountId: string, secret: string) => void;
  readonly records: () => readonly RelayCallbackRecord[];
  readonly record: (id: string) => RelayCallbackRecord | undefined;
  /**
   * What a correct dispatcher never does, described: a claim outside a
   * transaction or with a lease that does not end after now, a try recorded
   * outside a transaction, for a delivery never leased, or after it was
   * delivered or abandoned.
   */
  readonly violations: () => readonly string[];
}

interface MutableRecord {
  delivery: CallbackDelivery;
  tries: CallbackTry[];
  deliveredAt: Date | undefined;
  abandoned: boolean;
  lockedBy: number | undefined;
  leases: number;
}

const earliestDueFirst = (a: MutableRecord, b: MutableRecord): number =>
  a.delivery.nextAttemptAt.getTime() - b.delivery.nextAttemptAt.getTime() ||
  (a.delivery.id < b.delivery.id ? -1 : a.delivery.id > b.delivery.id ? 1 : 0);

export const makeRelayCallbackDeliveries = (unitOfWork: RelayUnitOfWork): RelayCallbackDeliveries => {
  const store = new Map<string, MutableRecord>();
  const secrets = new Map<string, string>();
  const violations: string[] = [];
  const snapshot = (record: MutableRecord): RelayCallbackRecord => ({ ...record, tries: [...record.tries] });

  const service: CallbackDeliveryStoreService = {
    enqueue: (delivery) =>
      Effect.sync(() => {
        const duplicate = [...store.values()].some(
          (r) => r.delivery.eventId === delivery.eventId && r.delivery.url === delivery.url,
        );
        if (duplicate) return;
        store.set(delivery.id, {
          delivery: { ...delivery, attempts: 0 },
          tries: [],
          deliveredAt: undefined,
          abandoned: false,
          lockedBy: undefined,
          leases: 0,
        });
      }),
    claimDue: (now, limit, leaseUntil) =>
      Effect.gen(function* () {
        const transaction = yield* Effect.tapError(unitOfWork.requireTransaction('claimDue'), () =>
          Effect.sync(() => violations.push('claimDue outside a transaction')),
        );
        if (!(leaseUntil.getTime() > now.getTime())) {
          violations.push(`claimDue with a lease ending at ${leaseUntil.toISOString()}, not after now`);
        }
        const claimed = [...store.values()]
          .filter((r) => r.deliveredAt === undefined && !r.abandoned)
          .filter((r) => r.delivery.nextAttemptAt.getTime() <= now.getTime())
          .filter((r) => r.lockedBy === undefined || r.lockedBy === transaction.id)
          .sort(earliestDueFirst)
          .slice(0, limit);
        for (const record of claimed) record.lockedBy = transaction.id;
        transaction.onCommit(() => {
          for (const record of claimed) {
            record.delivery = { ...record.delivery, nextAttemptAt: leaseUntil };
            record.leases += 1;
          }
        });
        transaction.onEnd(() => {
          for (const record of claimed) if (record.lockedBy === transaction.id) record.lockedBy = undefined;
        });
        return claimed.map((r) => ({ ...r.delivery, nextAttemptAt: leaseUntil }));
      }),
    recordTry: (deliveryId, attempt, outcome) =>
      Effect.gen(function* () {
        const transaction = yield* Effect.tapError(unitOfWork.requireTransaction('recordTry'), () =>
          Effect.sync(() => violations.push(`recordTry of ${deliveryId} outside a transaction`)),
        );
        const record = store.get(deliveryId);
        if (record !== undefined && record.leases === 0) {
          violations.push(`recordTry of ${deliveryId}, which no claim leased`);
        }
        transaction.onCommit(() => {
          if (record === undefined) return;
          if (record.deliveredAt !== undefined || record.abandoned) {
            violations.push(`recordTry of ${deliveryId} after it was delivered or abandoned`);
          }
          record.tries.push(attempt);
          record.delivery = { ...record.delivery, attempts: record.delivery.attempts + 1 };
          if (outcome.delivered) record.deliveredAt = attempt.at;
          else if (outcome.nextAttemptAt === undefined) record.abandoned = true;
          else record.delivery = { ...record.delivery, nextAttemptAt: outcome.nextAttemptAt };
        });
      }),
    signingSecretOf: (accountId) => Effect.sync(() => Option.fromNullable(secrets.get(accountId))),
  };

  return {
    service,
    layer: Layer.succeed(CallbackDeliveryStore, service),
    setSecret: (accountId, secret) => void secrets.set(accountId, secret),
    records: () => [...store.values()].map(snapshot),
    record: (id) => {
      const record = store.get(id);
      return record === undefined ? undefined : snapshot(record);
    },
    violations: () => [...violations],
  };
};
