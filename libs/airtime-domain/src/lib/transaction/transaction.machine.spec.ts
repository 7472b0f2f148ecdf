import { test } from '@fast-check/jest';
import { Either } from 'effect';
import {
  arbitraryDeliveredHistory,
  arbitraryEventSequence,
  ledgerLifecycleViolation,
  arbitraryTransactionStatus,
} from '../../testing/transaction.arbitraries';
import {
  isFinalClass,
  statusOfClass,
  TRANSACTION_CLASSES,
  type TransactionClass,
  type TransactionStatus,
  transactionStatus,
} from './transaction-status';
import { IllegalTransition } from './transaction.errors';
import {
  applyStatus,
  canTransition,
  type LedgerMovementKind,
  ledgerMovementFor,
  movementsOf,
  pathBetween,
  type StatusChange,
} from './transaction.machine';

const s = statusOfClass;
const CREATED = s('CREATED');

const applyRight = (current: TransactionStatus, incoming: TransactionStatus): StatusChange =>
  Either.getOrThrow(applyStatus(current, incoming));

/** Folds events over a status, skipping illegal ones; returns every state and the movements. */
const run = (events: readonly TransactionStatus[], start: TransactionStatus = CREATED) => {
  const states: TransactionStatus[] = [start];
  const movements: LedgerMovementKind[] = ['AUTHORIZE'];
  let current = start;
  for (const event of events) {
    const change = applyStatus(current, event);
    if (Either.isRight(change)) {
      current = change.right.status;
      movements.push(...movementsOf(change.right));
    }
    states.push(current);
  }
  return { final: current, states, movements };
};

const LEGAL: readonly (readonly [TransactionClass, TransactionClass])[] = [
  ['CREATED', 'CONFIRMED'],
  ['CREATED', 'CANCELLED'],
  ['CREATED', 'REJECTED'],
  ['CONFIRMED', 'SUBMITTED'],
  ['CONFIRMED', 'COMPLETED'],
  ['CONFIRMED', 'DECLINED'],
  ['CONFIRMED', 'REJECTED'],
  ['SUBMITTED', 'COMPLETED'],
  ['SUBMITTED', 'DECLINED'],
  ['COMPLETED', 'REVERSED'],
];

describe('transaction state machine', () => {
  it.each(LEGAL)('moves %s -> %s in one step', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(applyRight(s(from), s(to))).toEqual({ _tag: 'Advanced', status: s(to), path: [to] });
  });

  it('has no other direct transition', () => {
    const direct = TRANSACTION_CLASSES.flatMap((from) =>
      TRANSACTION_CLASSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(direct.sort()).toEqual(LEGAL.map(([from, to]) => `${from}->${to}`).sort());
  });

  it('lets nothing but COMPLETED -> REVERSED leave a final class', () => {
    for (const from of TRANSACTION_CLASSES.filter(isFinalClass)) {
      for (const to of TRANSACTION_CLASSES) {
        const advanced = Either.getOrUndefined(applyStatus(s(from), s(to)))?._tag === 'Advanced';
        expect([from, to, advanced]).toEqual([from, to, from === 'COMPLETED' && to === 'REVERSED']);
      }
    }
  });

  it('advances across skipped states along a shortest path', () => {
    expect(applyRight(CREATED, s('COMPLETED'))).toEqual({
      _tag: 'Advanced',
      status: s('COMPLETED'),
      path: ['CONFIRMED', 'COMPLETED'],
    });
    expect(applyRight(CREATED, s('REVERSED'))).toEqual({
      _tag: 'Advanced',
      status: s('REVERSED'),
      path: ['CONFIRMED', 'COMPLETED', 'REVERSED'],
    });
    const declined = transactionStatus('DECLINED-BARRED-CREDIT-PARTY');
    expect(applyRight(CREATED, declined)).toEqual({
      _tag: 'Advanced',
      status: declined,
      path: ['CONFIRMED', 'DECLINED'],
    });
    expect(applyRight(s('SUBMITTED'), s('REVERSED'))).toEqual({
      _tag: 'Advanced',
      status: s('REVERSED'),
      path: ['COMPLETED', 'REVERSED'],
    });
    expect(pathBetween('CONFIRMED', 'CONFIRMED')).toEqual([]);
    expect(pathBetween('DECLINED', 'CREATED')).toBeUndefined();
  });

  it('treats the same class as already reflected and keeps the current detail', () => {
    const current = transactionStatus('DECLINED-BARRED-CREDIT-PARTY');
    expect(applyRight(current, s('DECLINED'))).toEqual({ _tag: 'AlreadyReflected', status: current });
    expect(applyRight(s('SUBMITTED'), s('SUBMITTED'))).toEqual({ _tag: 'AlreadyReflected', status: s('SUBMITTED') });
  });

  it('ignores a status behind the current one as stale', () => {
    expect(applyRight(s('COMPLETED'), s('CONFIRMED'))).toEqual({ _tag: 'Stale', status: s('COMPLETED') });
    expect(applyRight(s('SUBMITTED'), CREATED)).toEqual({ _tag: 'Stale', status: s('SUBMITTED') });
    expect(applyRight(s('REVERSED'), s('COMPLETED'))).toEqual({ _tag: 'Stale', status: s('REVERSED') });
    expect(applyRight(transactionStatus('REJECTED-INSUFFICIENT-BALANCE'), s('CONFIRMED'))._tag).toBe('Stale');
  });

  it.each([
    ['COMPLETED', 'DECLINED'],
    ['CANCELLED', 'COMPLETED'],
    ['SUBMITTED', 'REJECTED'],
    ['SUBMITTED', 'CANCELLED'],
    ['CONFIRMED', 'CANCELLED'],
    ['DECLINED', 'REJECTED'],
    ['REVERSED', 'DECLINED'],
  ] as const)('refuses %s -> %s as an illegal transition', (from, to) => {
    const result = applyStatus(s(from), s(to));
    expect(result).toEqual(Either.left(new IllegalTransition({ from: s(from), to: s(to) })));
    if (Either.isLeft(result)) {
      expect(result.left.code).toBe('ILLEGAL_TRANSITION');
      expect(result.left.message).toBe(`illegal transition from ${from} to ${to}`);
    }
  });

  it('maps classes to ledger movements', () => {
    const mapping = Object.fromEntries(TRANSACTION_CLASSES.map((c) => [c, ledgerMovementFor(c)]));
    expect(mapping).toEqual({
      CREATED: 'AUTHORIZE',
      CONFIRMED: undefined,
      SUBMITTED: undefined,
      COMPLETED: 'CAPTURE',
      REVERSED: 'REVERSE',
      REJECTED: 'VOID',
      CANCELLED: 'VOID',
      DECLINED: 'VOID',
    });
    expect(movementsOf(applyRight(CREATED, s('REVERSED')))).toEqual(['CAPTURE', 'REVERSE']);
    expect(movementsOf(applyRight(s('COMPLETED'), s('CONFIRMED')))).toEqual([]);
  });

  test.prop([arbitraryTransactionStatus, arbitraryTransactionStatus])(
    'an advance follows the graph to the incoming class',
    (current, incoming) => {
      const change = Either.getOrUndefined(applyStatus(current, incoming));
      if (change?._tag !== 'Advanced') return;
      const walk = [current.class, ...change.path];
      walk.slice(1).forEach((to, index) => expect(canTransition(walk[index] as TransactionClass, to)).toBe(true));
      expect(change.path[change.path.length - 1]).toBe(incoming.class);
      expect(change.status).toBe(incoming);
    },
  );

  test.prop([arbitraryEventSequence])(
    'no sequence of events leaves a final class, except COMPLETED -> REVERSED',
    (events) => {
      const { states } = run(events);
      states.slice(1).forEach((next, index) => {
        const previous = states[index] as TransactionStatus;
        if (isFinalClass(previous.class) && next.class !== previous.class) {
          expect([previous.class, next.class]).toEqual(['COMPLETED', 'REVERSED']);
        }
      });
    },
  );

  test.prop([arbitraryEventSequence])('replaying an event sequence twice gives the same state as once', (events) => {
    const once = run(events);
    const twice = run([...events, ...events]);
    expect(twice.final).toEqual(once.final);
    expect(twice.movements).toEqual(once.movements);
  });

  test.prop([arbitraryDeliveredHistory()])(
    'a true history delivered shuffled with duplicates converges to its last status',
    ({ history, delivered }) => {
      const inOrder = run(history);
      const shuffled = run(delivered);
      expect(shuffled.final).toEqual(history[history.length - 1] ?? CREATED);
      expect(shuffled.movements).toEqual(inOrder.movements);
    },
  );

  test.prop([arbitraryEventSequence])('movements of any event sequence form a legal ledger lifecycle', (events) => {
    expect(ledgerLifecycleViolation(run(events).movements)).toBeUndefined();
  });

  it('detects an illegal ledger lifecycle (the checker itself)', () => {
    expect(ledgerLifecycleViolation(['AUTHORIZE', 'CAPTURE', 'REVERSE'])).toBeUndefined();
    expect(ledgerLifecycleViolation(['AUTHORIZE', 'VOID', 'CAPTURE'])).toBeDefined();
    expect(ledgerLifecycleViolation(['AUTHORIZE', 'REVERSE'])).toBeDefined();
    expect(ledgerLifecycleViolation(['AUTHORIZE', 'AUTHORIZE'])).toBeDefined();
    expect(ledgerLifecycleViolation(['CAPTURE'])).toBeDefined();
  });
});
