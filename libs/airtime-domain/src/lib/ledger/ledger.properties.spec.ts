import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  type LedgerOperation,
  applyLedgerOperation,
  arbitraryLedgerScenario,
  replayLedgerOperations,
} from '../../testing/ledger.arbitraries';
import { type Ledger, emptyLedger } from './ledger';
import { checkInvariants } from './ledger.invariants';
import { journalBalances } from './ledger.journal';

/** Every ledger a scenario passes through (the start, then after each success). */
const ledgersOf = (operations: readonly LedgerOperation[]): Ledger[] => {
  const ledgers = [emptyLedger];
  for (const operation of operations) {
    const current = ledgers[ledgers.length - 1] ?? emptyLedger;
    Either.match(applyLedgerOperation(current, operation), { onLeft: () => undefined, onRight: (result) => ledgers.push(result.ledger) });
  }
  return ledgers;
};

describe('ledger properties', () => {
  test.prop([arbitraryLedgerScenario()])('any sequence of operations keeps every invariant at every step', (operations) => {
    for (const ledger of ledgersOf(operations)) expect(checkInvariants(ledger)).toEqual([]);
  });

  test.prop([arbitraryLedgerScenario()])('the journal sums to each account’s balances and totals', (operations) => {
    const ledger = replayLedgerOperations(emptyLedger, operations);
    const sums = journalBalances(ledger.journal);
    for (const [key, account] of ledger.accounts) {
      const { availableMinor, holdingMinor, fundedMinor, capturedMinor, reversedMinor } = account;
      expect(sums.get(key) ?? { availableMinor: 0n, holdingMinor: 0n, fundedMinor: 0n, capturedMinor: 0n, reversedMinor: 0n }).toMatchObject({
        availableMinor,
        holdingMinor,
        fundedMinor,
        capturedMinor,
        reversedMinor,
      });
      expect(availableMinor + holdingMinor + capturedMinor - reversedMinor).toBe(fundedMinor);
    }
  });

  test.prop([arbitraryLedgerScenario()])('replaying every accepted movement a second time changes nothing', (operations) => {
    // Only accepted movements are keyed: a refusal may succeed later (an authorization after a
    // deposit), and account changes are last-write-wins (re-opening after a limit change conflicts).
    const accepted: LedgerOperation[] = [];
    const once = operations.reduce((ledger, operation) => {
      const result = applyLedgerOperation(ledger, operation);
      if (Either.isLeft(result)) return ledger;
      if ('entry' in result.right) accepted.push(operation);
      return result.right.ledger;
    }, emptyLedger);
    const twice = accepted.reduce((ledger, operation) => {
      const result = Either.getOrThrow(applyLedgerOperation(ledger, operation));
      expect(result.applied).toBe(false);
      return result.ledger;
    }, once);
    expect(twice).toBe(once);
  });

  test.prop([arbitraryLedgerScenario(), fc.nat()])(
    'a successful operation applied again is a repeat that returns the same ledger',
    (operations, pick) => {
      const ledger = replayLedgerOperations(emptyLedger, operations);
      const operation = operations[pick % operations.length];
      if (!operation) return;
      const first = applyLedgerOperation(ledger, operation);
      fc.pre(Either.isRight(first));
      if (Either.isLeft(first)) return;
      const again = Either.getOrThrow(applyLedgerOperation(first.right.ledger, operation));
      expect(again.applied).toBe(false);
      expect(again.ledger).toBe(first.right.ledger);
      if ('entry' in again && 'entry' in first.right) expect(again.entry).toBe(first.right.entry);
    },
  );

  test.prop([arbitraryLedgerScenario()])('an operation never changes the ledger it was given', (operations) => {
    const ledgers = ledgersOf(operations);
    const frozen = ledgers.map((ledger) => ({ journal: ledger.journal.length, accounts: [...ledger.accounts.values()], holds: ledger.holds.size }));
    for (const operation of operations) for (const ledger of ledgers) applyLedgerOperation(ledger, operation);
    expect(ledgers.map((ledger) => ({ journal: ledger.journal.length, accounts: [...ledger.accounts.values()], holds: ledger.holds.size }))).toEqual(frozen);
  });
});
