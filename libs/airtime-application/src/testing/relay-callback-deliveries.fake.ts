// In-memory callback deliveries for the callback specs: claims lock due
// deliveries until their transaction ends (as FOR UPDATE SKIP LOCKED does),
// tries are recorded at commit, and accounts' signing secrets are kept here.
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
  readonly lockedBy: number | undefined;
}

export interface RelayCallbackDeliveries {
  readonly service: CallbackDeliveryStoreService;
  readonly layer: Layer.Layer<CallbackDeliveryStore>;
  readonly setSecret: (accountId: string, secret: string) => void;
  readonly records: () => readonly RelayCallbackRecord[];
  readonly record: (id: string) => RelayCallbackRecord | undefined;
  /** What a correct dispatcher never does, described (a try recorded without the claim's lock, a try after the end). */
  readonly violations: () => readonly string[];
}

interface MutableRecord {
  delivery: CallbackDelivery;
  tries: CallbackTry[];
  deliveredAt: Date | undefined;
  abandoned: boolean;
  lockedBy: number | undefined;
}

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
        });
      }),
    claimDue: (now, limit) =>
      Effect.gen(function* () {
        const transaction = yield* unitOfWork.requireTransaction('claimDue');
        const claimed = [...store.values()]
          .filter((r) => r.deliveredAt === undefined && !r.abandoned)
          .filter((r) => r.delivery.nextAttemptAt.getTime() <= now.getTime())
          .filter((r) => r.lockedBy === undefined || r.lockedBy === transaction.id)
          .sort((a, b) => a.delivery.nextAttemptAt.getTime() - b.delivery.nextAttemptAt.getTime())
          .slice(0, limit);
        for (const record of claimed) record.lockedBy = transaction.id;
        transaction.onEnd(() => {
          for (const record of claimed) if (record.lockedBy === transaction.id) record.lockedBy = undefined;
        });
        return claimed.map((r) => ({ ...r.delivery }));
      }),
    recordTry: (deliveryId, attempt, outcome) =>
      Effect.gen(function* () {
        const transaction = yield* unitOfWork.requireTransaction('recordTry');
        const record = store.get(deliveryId);
        if (record?.lockedBy !== transaction.id) {
          violations.push(`recordTry of ${deliveryId} without the claim's lock`);
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
