// The one way a top-up change is written: the top-up (insert, or update at
// the version read), the ledger movements the domain named, one outbox event
// per change, and a callback delivery for final events when the request
// carried a callback URL. Callers run it inside `UnitOfWork.transactionally`.
import {
  Clock,
  type ConcurrentModification,
  type DuplicateKey,
  type HoldSettlement,
  IdGenerator,
  type LedgerError,
  type LedgerMovementKind,
  LedgerStore,
  Outbox,
  type OutboxEvent,
  type PersistenceFailure,
  settleHold,
  type TopUp,
  type TopUpChange,
  TopUpRepository,
  UnitOfWork,
} from '@airtime/domain';
import { Effect, Either, FiberRef, Option } from 'effect';
import { type CallbackDelivery, CallbackDeliveryStore } from '../ports/callback-deliveries.port';
import { type StoredTopUpRequest, TopUpRequestStore } from '../ports/top-up-requests.port';
import { TopUpNotFound } from './top-up-change.errors';
import { eventPayloadOf, eventTypesOf, isFinalEventType } from './top-up-events.mapper';

/** A stored top-up with the version its next update must name. */
export interface VersionedTopUp {
  readonly topUp: TopUp;
  readonly version: number;
}

/** What a change is saved with: the top-up as read (none for a new one) and the change the domain decided. */
export interface TopUpWrite {
  readonly before: VersionedTopUp | undefined;
  readonly change: TopUpChange;
  /** The top-up's request (metadata, callback URL) when the caller holds it; read from the store otherwise. */
  readonly request?: Pick<StoredTopUpRequest, 'request' | 'callbackUrl'> | undefined;
}

export type SaveError = ConcurrentModification | LedgerError | PersistenceFailure;

export type SaveServices =
  TopUpRepository | LedgerStore | Outbox | IdGenerator | TopUpRequestStore | CallbackDeliveryStore;

/** The settlement of a hold a movement is: the top-up id is the ledger transaction id, its quote's cost the amount. */
const settlementOf = (topUp: TopUp, movement: Exclude<LedgerMovementKind, 'AUTHORIZE'>): HoldSettlement => {
  const transactionId = topUp.id;
  switch (movement) {
    case 'VOID':
      return { kind: 'voidHold', input: { transactionId } };
    case 'CAPTURE':
      return { kind: 'capture', input: { transactionId, amountMinor: topUp.quote.cost.amountMinor } };
    case 'REVERSE':
      return { kind: 'reverse', input: { transactionId } };
  }
};

/** The ledger call of each movement: the top-up id is the ledger transaction id, its quote's cost the amount. */
export const applyLedgerMovements = (
  topUp: TopUp,
  movements: readonly LedgerMovementKind[],
): Effect.Effect<void, LedgerError | PersistenceFailure, LedgerStore> =>
  Effect.flatMap(LedgerStore, (ledger) =>
    Effect.forEach(
      movements,
      (movement) =>
        movement === 'AUTHORIZE'
          ? ledger.authorize({
              accountId: topUp.accountId,
              currency: topUp.quote.cost.currency,
              transactionId: topUp.id,
              amountMinor: topUp.quote.cost.amountMinor,
            })
          : settleHold(ledger, settlementOf(topUp, movement)),
      { discard: true },
    ),
  );

/**
 * The ledger calls of many top-ups' changes, as `applyLedgerMovements` of
 * each in order would make them: when every movement settles a hold (a
 * capture, void or reverse: a batch's final statuses), all of them in ONE
 * `settleAll`, failing with the first refusal in order, as one by one would
 * (inside a unit of work, which then fails as a whole); otherwise each
 * change's movements through their own calls, in order.
 */
export const applyLedgerMovementsOfAll = (
  changes: readonly TopUpChange[],
): Effect.Effect<void, LedgerError | PersistenceFailure, LedgerStore> =>
  Effect.gen(function* () {
    const movements = changes.reduce((count, change) => count + change.movements.length, 0);
    const settlements = changes.flatMap(({ topUp, movements: kinds }) =>
      kinds.flatMap((kind) => (kind === 'AUTHORIZE' ? [] : [settlementOf(topUp, kind)])),
    );
    // an authorization, or a lone movement: each change's own calls, in order
    if (settlements.length < movements || movements <= 1) {
      return yield* Effect.forEach(changes, ({ topUp, movements: kinds }) => applyLedgerMovements(topUp, kinds), {
        discard: true,
      });
    }
    const answers = yield* (yield* LedgerStore).settleAll(settlements);
    const refused = answers.find(Either.isLeft);
    if (refused !== undefined) return yield* Effect.fail(refused.left);
  });

const metadataOf = (request: Pick<StoredTopUpRequest, 'request'> | undefined) => {
  const metadata = request?.request['metadata'];
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
    ? (metadata as Readonly<Record<string, unknown>>)
    : undefined;
};

/** What a change writes besides the top-up: its outbox events, and the callback deliveries of its final ones. */
export interface ChangeEvents {
  readonly events: readonly OutboxEvent[];
  readonly deliveries: readonly Omit<CallbackDelivery, 'attempts'>[];
}

/** The events of a change (ids drawn now), given its request when the caller holds it. */
export const eventsOf = (
  write: TopUpWrite,
  request: Pick<StoredTopUpRequest, 'request' | 'callbackUrl'> | undefined,
): Effect.Effect<ChangeEvents, never, IdGenerator> =>
  Effect.gen(function* () {
    const after = write.change.topUp;
    const ids = yield* IdGenerator;
    const occurredAt = after.updatedAt;
    const payload = eventPayloadOf(after, occurredAt, metadataOf(request));
    const events: OutboxEvent[] = [];
    const deliveries: Omit<CallbackDelivery, 'attempts'>[] = [];
    for (const type of eventTypesOf(write.before?.topUp, after)) {
      const id = yield* ids.next();
      events.push({ id, type, aggregateId: after.id, payload, occurredAt });
      if (request?.callbackUrl !== undefined && isFinalEventType(type)) {
        deliveries.push({
          id: yield* ids.next(),
          eventId: id,
          topUpId: after.id,
          accountId: after.accountId,
          url: request.callbackUrl,
          body: JSON.stringify({ id, type, occurredAt: occurredAt.toISOString(), data: payload }),
          nextAttemptAt: occurredAt,
          createdAt: occurredAt,
        });
      }
    }
    return { events, deliveries };
  });

/** Writes the events of many changes: every outbox event in one call, then each callback delivery. */
export const writeEvents = (all: readonly ChangeEvents[]): Effect.Effect<void, PersistenceFailure, SaveServices> =>
  Effect.gen(function* () {
    const events = all.flatMap((one) => one.events);
    if (events.length > 0) yield* (yield* Outbox).appendAll(events);
    const deliveries = all.flatMap((one) => one.deliveries);
    if (deliveries.length === 0) return;
    const store = yield* CallbackDeliveryStore;
    yield* Effect.forEach(deliveries, (delivery) => store.enqueue(delivery), { discard: true });
  });

/** The outbox events of a change, and the callback deliveries of its final ones. */
const appendEvents = (write: TopUpWrite): Effect.Effect<void, PersistenceFailure, SaveServices> =>
  Effect.gen(function* () {
    if (eventTypesOf(write.before?.topUp, write.change.topUp).length === 0) return;
    const request =
      write.request ?? Option.getOrUndefined(yield* (yield* TopUpRequestStore).findByTopUpId(write.change.topUp.id));
    yield* writeEvents([yield* eventsOf(write, request)]);
  });

/** The movements and events of a change whose top-up is written. */
const afterWrite = (write: TopUpWrite): Effect.Effect<void, LedgerError | PersistenceFailure, SaveServices> =>
  Effect.zipRight(applyLedgerMovements(write.change.topUp, write.change.movements), appendEvents(write));

/**
 * Writes a new top-up (`DuplicateKey` when its (account, external id) is
 * taken), then its movements and events. Run it inside a unit of work.
 */
export const saveNewTopUp = (
  change: TopUpChange,
  request: Pick<StoredTopUpRequest, 'request' | 'callbackUrl'>,
): Effect.Effect<VersionedTopUp, DuplicateKey | LedgerError | PersistenceFailure, SaveServices> =>
  Effect.gen(function* () {
    yield* (yield* TopUpRepository).insert(change.topUp);
    yield* afterWrite({ before: undefined, change, request });
    return { topUp: change.topUp, version: 1 };
  });

/** A new top-up to write with others: the change the domain decided and the request it came with. */
export interface NewTopUpWrite {
  readonly change: TopUpChange;
  readonly request: Pick<StoredTopUpRequest, 'request' | 'callbackUrl'>;
}

/**
 * `saveNewTopUp` for many new top-ups at once: every top-up in one call
 * (`insertAll`: a key taken fails them all with `DuplicateKey`), then each
 * one's movements, then every outbox event in one call. Answers each one at
 * version 1, in order. Run it inside a unit of work, which must fail as a
 * whole when this fails.
 */
export const saveNewTopUps = (
  writes: readonly NewTopUpWrite[],
): Effect.Effect<readonly VersionedTopUp[], DuplicateKey | LedgerError | PersistenceFailure, SaveServices> =>
  Effect.gen(function* () {
    if (writes.length === 0) return [];
    yield* (yield* TopUpRepository).insertAll(writes.map((write) => write.change.topUp));
    yield* Effect.forEach(writes, (write) => applyLedgerMovements(write.change.topUp, write.change.movements), {
      discard: true,
    });
    const events = yield* Effect.forEach(writes, (write) =>
      eventsOf({ before: undefined, change: write.change, request: write.request }, write.request),
    );
    yield* writeEvents(events);
    return writes.map((write) => ({ topUp: write.change.topUp, version: 1 }));
  });

/**
 * Writes a change of a stored top-up: the top-up first, at the version read
 * (`ConcurrentModification` fails fast when another writer got there
 * first), then its ledger movements, then its events. Run it inside a unit
 * of work.
 */
export const saveTopUpChange = (
  before: VersionedTopUp,
  change: TopUpChange,
): Effect.Effect<VersionedTopUp, SaveError, SaveServices> =>
  Effect.gen(function* () {
    yield* (yield* TopUpRepository).update(change.topUp, before.version);
    yield* afterWrite({ before, change });
    return { topUp: change.topUp, version: before.version + 1 };
  });

/**
 * How a change of a stored top-up is committed: `saveTopUpChange` in a unit
 * of work, answering its new version (`ConcurrentModification` when another
 * writer got there first).
 */
export type TopUpChangeCommitter = (
  before: VersionedTopUp,
  change: TopUpChange,
) => Effect.Effect<VersionedTopUp, SaveError, SaveServices | UnitOfWork>;

/**
 * The committer of the current fiber, when one is set (a worker's batch
 * writer, which writes the changes of concurrent callers together; see
 * `withTopUpChangeCommitter`). None: each change in a unit of work of its
 * own.
 */
export const currentTopUpChangeCommitter: FiberRef.FiberRef<Option.Option<TopUpChangeCommitter>> = FiberRef.unsafeMake(
  Option.none<TopUpChangeCommitter>(),
);

/**
 * `effect` with its top-up changes committed by `committer` (it must answer
 * each change as `saveTopUpChange` in a unit of work of its own would). Set
 * it only around work that does not run inside a unit of work of its own
 * caller: a committer may write elsewhere than the caller's transaction.
 */
export const withTopUpChangeCommitter =
  (committer: TopUpChangeCommitter) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(effect, currentTopUpChangeCommitter, Option.some(committer));

/** Commits a change in a unit of work of its own: `saveTopUpChange`, as every committer must answer it. */
export const commitAlone: TopUpChangeCommitter = (before, change) =>
  Effect.flatMap(UnitOfWork, (unitOfWork) => unitOfWork.transactionally(saveTopUpChange(before, change)));

/**
 * Commits a change of a stored top-up (as read at `before.version`): through
 * the fiber's committer when one is set, else `saveTopUpChange` in a unit of
 * work of its own. `ConcurrentModification` when another writer got there
 * first; nothing of the change is written then.
 */
export const commitTopUpChange: TopUpChangeCommitter = (before, change) =>
  Effect.flatMap(FiberRef.get(currentTopUpChangeCommitter), (committer) =>
    Option.isSome(committer) ? committer.value(before, change) : commitAlone(before, change),
  );

/** The stored top-up and its version, or `TopUpNotFound`. */
export const loadTopUp = (
  topUpId: string,
): Effect.Effect<VersionedTopUp, TopUpNotFound | PersistenceFailure, TopUpRepository> =>
  Effect.flatMap(TopUpRepository, (repository) =>
    Effect.flatMap(repository.findById(topUpId), (found) =>
      Option.match(found, {
        onNone: () => Effect.fail(new TopUpNotFound({ topUpId })),
        onSome: (stored) => Effect.succeed(stored),
      }),
    ),
  );

/** Whether the domain's change leaves the top-up as it was read: the same object, no ledger movement. */
const leavesAsItWas = (change: TopUpChange, read: VersionedTopUp): boolean =>
  change.topUp === read.topUp && change.movements.length === 0;

/** How many times a change is decided again on a fresh read after another writer changed the top-up. */
export const MAX_CONCURRENT_RETRIES = 5;

/** What `changeTopUp` did: `changed` is false when the domain's answer left the top-up as it was. */
export interface ChangedTopUp extends VersionedTopUp {
  readonly changed: boolean;
}

/**
 * Reads a top-up, lets `decide` (the domain) change it at the clock's now,
 * and saves the change in one unit of work. When another writer changed the
 * top-up meanwhile, it reads it again and decides again (the domain's
 * answers converge whatever the order), up to MAX_CONCURRENT_RETRIES times.
 */
export const changeTopUp = <E, R>(
  read: Effect.Effect<VersionedTopUp, TopUpNotFound | PersistenceFailure, TopUpRepository>,
  decide: (topUp: TopUp, now: Date) => Effect.Effect<TopUpChange, E, R>,
): Effect.Effect<ChangedTopUp, E | TopUpNotFound | SaveError, R | SaveServices | Clock | UnitOfWork> =>
  Effect.gen(function* () {
    const before = yield* read;
    const now = yield* (yield* Clock).now();
    const change = yield* decide(before.topUp, now);
    if (leavesAsItWas(change, before)) return { ...before, changed: false };
    const saved = yield* commitTopUpChange(before, change);
    return { ...saved, changed: true };
  }).pipe(
    Effect.retry({
      times: MAX_CONCURRENT_RETRIES,
      while: (error) =>
        typeof error === 'object' && error !== null && '_tag' in error && error._tag === 'ConcurrentModification',
    }),
  );

/**
 * `changeTopUp` from a copy the caller holds at its stored version (one it
 * just wrote, or read before a provider call) instead of reading it first:
 * saves a read. A change decided on the copy is written under its version,
 * so a stale copy fails with `ConcurrentModification` and everything is
 * decided again by `changeTopUp` on a fresh read. A copy the domain leaves
 * unchanged, or refuses to change (`decide` fails), is read afresh and
 * decided again too: only a change written under the copy's version is
 * answered from the copy, and that copy was then the stored top-up. Either
 * way the answer is the one a fresh read would have given. `decide` may run
 * twice (on the copy, then on the fresh read): keep it free of effects.
 */
export const changeTopUpFrom = <E, R>(
  known: VersionedTopUp,
  decide: (topUp: TopUp, now: Date) => Effect.Effect<TopUpChange, E, R>,
): Effect.Effect<ChangedTopUp, E | TopUpNotFound | SaveError, R | SaveServices | Clock | UnitOfWork> =>
  Effect.gen(function* () {
    const fresh = changeTopUp(loadTopUp(known.topUp.id), decide);
    const now = yield* (yield* Clock).now();
    const decided = yield* Effect.either(decide(known.topUp, now));
    if (Either.isLeft(decided)) return yield* fresh;
    const change = decided.right;
    if (leavesAsItWas(change, known)) return yield* fresh;
    return yield* commitTopUpChange(known, change).pipe(
      Effect.map((saved): ChangedTopUp => ({ ...saved, changed: true })),
      Effect.catchTag('ConcurrentModification', () => fresh),
    );
  });
