import { test } from '@fast-check/jest';
import { Either, Equal } from 'effect';
import fc from 'fast-check';
import {
  type LedgerOperation,
  applyLedgerOperation,
  arbitraryLedgerScenario,
  replayLedgerOperations,
  stepLedgerOperation,
} from '../../testing/ledger.arbitraries';
import { type Ledger, emptyLedger } from './ledger';
import type { LedgerError } from './ledger.errors';
import { checkInvariants } from './ledger-invariants';
import { journalBalances } from './ledger-journal';

/** Every ledger a scenario passes through (the start, then after each step that changed it: a success or a refusal recorded). */
const ledgersOf = (operations: readonly LedgerOperation[]): Ledger[] => {
  const ledgers = [emptyLedger];
  for (const operation of operations) {
    const current = ledgers[ledgers.length - 1] ?? emptyLedger;
    const { ledger } = stepLedgerOperation(current, operation);
    if (ledger !== current) ledgers.push(ledger);
  }
  return ledgers;
};

/** Replays a scenario; returns the final ledger and each authorization refused for funds, with its error. */
const replayWithRefusals = (operations: readonly LedgerOperation[]) => {
  const refused: { readonly operation: LedgerOperation; readonly error: LedgerError }[] = [];
  const ledger = operations.reduce((current, operation) => {
    const step = stepLedgerOperation(current, operation);
    if (Either.isLeft(step.result) && step.result.left._tag === 'InsufficientFunds' && step.ledger !== current) {
      refused.push({ operation, error: step.result.left });
    }
    return step.ledger;
  }, emptyLedger);
  return { ledger, refused };
};

/** Deposits enough on every open account for any authorization the scenarios make. */
const fundEverything = (ledger: Ledger): Ledger =>
  [...ledger.accounts.values()].reduce(
    (current, account, index) =>
      stepLedgerOperation(current, {
        kind: 'deposit',
        input: {
          accountId: account.accountId,
          currency: account.currency,
          depositId: `late-funding-${index}`,
          amountMinor: 1_000_000n,
        },
      }).ledger,
    ledger,
  );

describe('ledger properties', () => {
  test.prop([arbitraryLedgerScenario()])(
    'any sequence of operations keeps every invariant at every step',
    (operations) => {
      for (const ledger of ledgersOf(operations)) expect(checkInvariants(ledger)).toEqual([]);
    },
  );

  test.prop([arbitraryLedgerScenario()])('the journal sums to each account’s balances and totals', (operations) => {
    const ledger = replayLedgerOperations(emptyLedger, operations);
    const sums = journalBalances(ledger.journal);
    for (const [key, account] of ledger.accounts) {
      const { availableMinor, holdingMinor, fundedMinor, capturedMinor, reversedMinor } = account;
      expect(
        sums.get(key) ?? {
          availableMinor: 0n,
          holdingMinor: 0n,
          fundedMinor: 0n,
          capturedMinor: 0n,
          reversedMinor: 0n,
        },
      ).toMatchObject({
        availableMinor,
        holdingMinor,
        fundedMinor,
        capturedMinor,
        reversedMinor,
      });
      expect(availableMinor + holdingMinor + capturedMinor - reversedMinor).toBe(fundedMinor);
    }
  });

  test.prop([arbitraryLedgerScenario()])(
    'replaying every accepted movement and every refusal for funds a second time changes nothing',
    (operations) => {
      // Movements and authorizations refused for funds are claims on their key: replayed, they return
      // the recorded entry or the same refusal. Other refusals claim nothing (an unknown account may be
      // opened later), and account changes are last-write-wins (re-opening after a limit change conflicts).
      const claimed: { readonly operation: LedgerOperation; readonly refusal: LedgerError | undefined }[] = [];
      const once = operations.reduce((ledger, operation) => {
        const step = stepLedgerOperation(ledger, operation);
        if (Either.isRight(step.result) && 'entry' in step.result.right)
          claimed.push({ operation, refusal: undefined });
        if (Either.isLeft(step.result) && step.ledger !== ledger)
          claimed.push({ operation, refusal: step.result.left });
        return step.ledger;
      }, emptyLedger);
      const twice = claimed.reduce((ledger, { operation, refusal }) => {
        const step = stepLedgerOperation(ledger, operation);
        if (refusal) expect(Either.getOrThrow(Either.flip(step.result))).toEqual(refusal);
        else expect(Either.getOrThrow(step.result).applied).toBe(false);
        return step.ledger;
      }, once);
      expect(twice).toBe(once);
    },
  );

  test.prop([arbitraryLedgerScenario()])(
    'an authorization refused for funds stays refused with the same error, even once the account could pay',
    (operations) => {
      const { ledger, refused } = replayWithRefusals(operations);
      fc.pre(refused.length > 0);
      const funded = fundEverything(ledger);
      for (const { operation, error } of refused) {
        const step = stepLedgerOperation(funded, operation);
        const again = Either.getOrThrow(Either.flip(step.result));
        expect(again).toEqual(error);
        expect(Equal.equals(again, error)).toBe(true);
        expect(step.ledger).toBe(funded);
      }
      expect(checkInvariants(funded)).toEqual([]);
    },
  );

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
    const shape = (ledger: Ledger) => ({
      journal: ledger.journal.length,
      accounts: [...ledger.accounts.values()],
      holds: ledger.holds.size,
      refusals: [...ledger.refusals.values()],
    });
    const frozen = ledgers.map(shape);
    for (const operation of operations) for (const ledger of ledgers) stepLedgerOperation(ledger, operation);
    expect(ledgers.map(shape)).toEqual(frozen);
  });
});
