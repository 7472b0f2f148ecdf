import { Either } from 'effect';
import type { TransactionClass, TransactionStatus } from './transaction-status';
import { IllegalTransition } from './transaction.errors';

/** The DVS transition graph. A final class has no way out but COMPLETED -> REVERSED. */
export const TRANSITIONS: Readonly<Record<TransactionClass, readonly TransactionClass[]>> = {
  CREATED: ['CONFIRMED', 'CANCELLED', 'REJECTED'],
  CONFIRMED: ['SUBMITTED', 'COMPLETED', 'DECLINED', 'REJECTED'],
  SUBMITTED: ['COMPLETED', 'DECLINED'],
  COMPLETED: ['REVERSED'],
  REVERSED: [],
  REJECTED: [],
  CANCELLED: [],
  DECLINED: [],
};

export const canTransition = (from: TransactionClass, to: TransactionClass): boolean => TRANSITIONS[from].includes(to);

/**
 * The classes entered, in order, on a shortest way from `from` to `to`
 * (breadth-first, so deterministic): `[]` when they are equal, `undefined`
 * when `to` cannot be reached. CREATED -> COMPLETED is [CONFIRMED, COMPLETED].
 */
export const pathBetween = (from: TransactionClass, to: TransactionClass): readonly TransactionClass[] | undefined => {
  const cameFrom = new Map<TransactionClass, TransactionClass | undefined>([[from, undefined]]);
  const queue: TransactionClass[] = [from];
  for (let head = queue.shift(); head !== undefined; head = queue.shift()) {
    if (head === to) {
      const path: TransactionClass[] = [];
      for (
        let node: TransactionClass | undefined = head;
        node !== undefined && node !== from;
        node = cameFrom.get(node)
      ) {
        path.unshift(node);
      }
      return path;
    }
    for (const next of TRANSITIONS[head]) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, head);
        queue.push(next);
      }
    }
  }
  return undefined;
};

export const isReachable = (from: TransactionClass, to: TransactionClass): boolean =>
  pathBetween(from, to) !== undefined;

/** What an incoming status does to the current one. */
export type StatusChange =
  /** Moved forward; `path` lists the classes entered, ending with the new status's class. */
  | { readonly _tag: 'Advanced'; readonly status: TransactionStatus; readonly path: readonly TransactionClass[] }
  /** Same class as now (a duplicate): nothing changes, the current detail is kept. */
  | { readonly _tag: 'AlreadyReflected'; readonly status: TransactionStatus }
  /** Behind the current class (arrived late): ignored, never moves backwards. */
  | { readonly _tag: 'Stale'; readonly status: TransactionStatus };

/**
 * Applies a status that may arrive twice, late, or skipping intermediate
 * states (polling). Same class: `AlreadyReflected`; reachable: `Advanced`
 * along a shortest path; an ancestor: `Stale`; otherwise `IllegalTransition`.
 */
export const applyStatus = (
  current: TransactionStatus,
  incoming: TransactionStatus,
): Either.Either<StatusChange, IllegalTransition> => {
  if (incoming.class === current.class) return Either.right({ _tag: 'AlreadyReflected', status: current });
  const path = pathBetween(current.class, incoming.class);
  if (path !== undefined) return Either.right({ _tag: 'Advanced', status: incoming, path });
  if (isReachable(incoming.class, current.class)) return Either.right({ _tag: 'Stale', status: current });
  return Either.left(new IllegalTransition({ from: current, to: incoming }));
};

/** The balance movement a class implies (DVS "Balance Movement" table). */
export type LedgerMovementKind = 'AUTHORIZE' | 'VOID' | 'CAPTURE' | 'REVERSE';

const MOVEMENT_OF: Readonly<Record<TransactionClass, LedgerMovementKind | undefined>> = {
  CREATED: 'AUTHORIZE',
  CONFIRMED: undefined,
  SUBMITTED: undefined,
  COMPLETED: 'CAPTURE',
  REVERSED: 'REVERSE',
  REJECTED: 'VOID',
  CANCELLED: 'VOID',
  DECLINED: 'VOID',
};

export const ledgerMovementFor = (transactionClass: TransactionClass): LedgerMovementKind | undefined =>
  MOVEMENT_OF[transactionClass];

/** The movements a change implies, in order: one per class entered that has one. */
export const movementsOf = (change: StatusChange): readonly LedgerMovementKind[] =>
  change._tag === 'Advanced'
    ? change.path.flatMap((entered) => {
        const movement = ledgerMovementFor(entered);
        return movement === undefined ? [] : [movement];
      })
    : [];
