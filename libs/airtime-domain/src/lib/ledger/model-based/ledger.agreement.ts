import { Either } from 'effect';
import type { Ledger } from '../ledger';
import { holdStatus } from '../ledger';
import type { LedgerError } from '../ledger.errors';
import { checkInvariants } from '../ledger.invariants';
import { type LedgerOperation, applyLedgerOperation, describeLedgerOperation } from '../../../testing/ledger.arbitraries';
import { LedgerModel, type ModelOutcome } from './ledger.model';

/**
 * The system under test: the pure ledger in a mutable cell, the operations
 * run so far (for repeats) and a tally of outcomes across runs.
 */
export interface RealLedger {
  ledger: Ledger;
  /** Every operation run so far, and those that changed the ledger. */
  readonly history: LedgerOperation[];
  readonly appliedHistory: LedgerOperation[];
  readonly tally: Map<string, number>;
}

/** What the model expects of an operation (advancing the model). */
const expectedOutcome = (model: LedgerModel, operation: LedgerOperation): ModelOutcome => {
  switch (operation.kind) {
    case 'openAccount': {
      const { accountId, currency, creditLimitMinor } = operation.input;
      return model.open(accountId, currency.code, creditLimitMinor);
    }
    case 'setCreditLimit': {
      const { accountId, currency, creditLimitMinor } = operation.input;
      return model.setCreditLimit(accountId, currency.code, creditLimitMinor);
    }
    case 'deposit': {
      const { depositId, accountId, currency, amountMinor } = operation.input;
      return model.deposit(depositId, accountId, currency.code, amountMinor);
    }
    case 'authorize': {
      const { transactionId, accountId, currency, amountMinor } = operation.input;
      return model.authorize(transactionId, accountId, currency.code, amountMinor);
    }
    case 'voidHold':
      return model.void(operation.input.transactionId);
    case 'capture':
      return model.capture(operation.input.transactionId, operation.input.amountMinor);
    case 'reverse':
      return model.reverse(operation.input.transactionId);
  }
};

const outcomeLabel = (kind: string, outcome: ModelOutcome): string =>
  `${kind}:${outcome.ok ? (outcome.applied ? 'applied' : 'repeat') : outcome.error}`;

const expectBalancesAgree = (model: LedgerModel, ledger: Ledger): void => {
  const real = [...ledger.accounts.values()].map((account) => ({
    key: LedgerModel.key(account.accountId, account.currency.code),
    creditLimit: account.creditLimitMinor,
    available: account.availableMinor,
    holding: account.holdingMinor,
    captured: account.capturedMinor,
    reversed: account.reversedMinor,
    funded: account.fundedMinor,
  }));
  const expected = [...model.accounts.entries()].map(([key, account]) => ({ key, ...account }));
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  expect(real.sort(byKey)).toEqual(expected.sort(byKey));
  const holds = Object.fromEntries([...ledger.holds.values()].map((hold) => [hold.transactionId, holdStatus(hold)]));
  const states = Object.fromEntries([...model.transactions.entries()].map(([id, transaction]) => [id, transaction.state]));
  expect(holds).toEqual(states);
  expect(ledger.journal).toHaveLength(model.movements);
};

/**
 * Applies `operation` to the model and to the real ledger: both must agree
 * on success or on the error's tag; a success must record one entry, a
 * repeat none; and afterwards balances, hold states and the journal's
 * length agree and no invariant is broken.
 */
export const applyAndCompare = (model: LedgerModel, real: RealLedger, operation: LedgerOperation): void => {
  const expected = expectedOutcome(model, operation);
  real.history.push(operation);
  const before = real.ledger;
  const result = applyLedgerOperation(before, operation);
  const actual: ModelOutcome = Either.match(result, {
    onLeft: (error: LedgerError) => ({ ok: false, error: error._tag }),
    onRight: ({ applied }) => ({ ok: true, applied }),
  });
  expect({ operation: describeLedgerOperation(operation), outcome: actual }).toEqual({
    operation: describeLedgerOperation(operation),
    outcome: expected,
  });
  if (Either.isRight(result)) {
    const after = result.right.ledger;
    const recordsEntry = 'entry' in result.right;
    if (!result.right.applied) expect(after).toBe(before);
    else expect(after.journal.length).toBe(before.journal.length + (recordsEntry ? 1 : 0));
    if ('entry' in result.right) {
      // A new movement is the journal's last entry; a repeat returns the one recorded before.
      if (result.right.applied) expect(after.journal.at(-1)).toBe(result.right.entry);
      else expect(before.journal).toContain(result.right.entry);
    }
    real.ledger = after;
    if (result.right.applied) real.appliedHistory.push(operation);
  }
  const label = outcomeLabel(operation.kind, actual);
  real.tally.set(label, (real.tally.get(label) ?? 0) + 1);
  expectBalancesAgree(model, real.ledger);
  expect(checkInvariants(real.ledger)).toEqual([]);
};
