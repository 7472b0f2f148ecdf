// An in-memory unit of work for the relay and callback specs: a transaction
// carried by a FiberRef (joined by nested calls, as the real one is), whose
// writes apply at commit only and whose locks end with it either way.
import { PersistenceFailure, UnitOfWork, type UnitOfWorkService } from '@airtime/domain';
import { Effect, Exit, FiberRef, Layer } from 'effect';

/** One open transaction of the fake: writes staged for its commit, and what runs when it ends (locks released). */
export interface FakeTransaction {
  readonly id: number;
  /** Runs `write` when the transaction commits (not when it rolls back). */
  readonly onCommit: (write: () => void) => void;
  /** Runs `release` when the transaction ends, committed or not. */
  readonly onEnd: (release: () => void) => void;
}

export interface RelayUnitOfWork {
  readonly service: UnitOfWorkService;
  readonly layer: Layer.Layer<UnitOfWork>;
  /** The caller's transaction, or a non-retryable PersistenceFailure outside one (as the real stores answer). */
  readonly requireTransaction: (operation: string) => Effect.Effect<FakeTransaction, PersistenceFailure>;
  /** The transaction the calling fiber runs in, if any. */
  readonly currentTransaction: Effect.Effect<FakeTransaction | undefined>;
  readonly stats: () => { readonly commits: number; readonly rollbacks: number; readonly open: number };
}

export const makeRelayUnitOfWork = (): RelayUnitOfWork => {
  const current = FiberRef.unsafeMake<FakeTransaction | undefined>(undefined);
  let nextId = 1;
  let commits = 0;
  let rollbacks = 0;
  let open = 0;

  const begin = Effect.sync(() => {
    const writes: (() => void)[] = [];
    const releases: (() => void)[] = [];
    open += 1;
    const transaction: FakeTransaction = {
      id: nextId++,
      onCommit: (write) => void writes.push(write),
      onEnd: (release) => void releases.push(release),
    };
    return { transaction, writes, releases };
  });

  const service: UnitOfWorkService = {
    transactionally: (work) =>
      Effect.flatMap(FiberRef.get(current), (joined) =>
        joined !== undefined
          ? work
          : Effect.acquireUseRelease(
              begin,
              ({ transaction }) => Effect.locally(work, current, transaction),
              ({ writes, releases }, exit) =>
                Effect.sync(() => {
                  open -= 1;
                  if (Exit.isSuccess(exit)) {
                    commits += 1;
                    for (const write of writes) write();
                  } else {
                    rollbacks += 1;
                  }
                  for (const release of releases) release();
                }),
            ),
      ),
  };

  return {
    service,
    layer: Layer.succeed(UnitOfWork, service),
    requireTransaction: (operation) =>
      Effect.flatMap(FiberRef.get(current), (transaction) =>
        transaction === undefined
          ? Effect.fail(
              new PersistenceFailure({ reason: `${operation} must run inside a unit of work`, retryable: false }),
            )
          : Effect.succeed(transaction),
      ),
    currentTransaction: FiberRef.get(current),
    stats: () => ({ commits, rollbacks, open }),
  };
};
