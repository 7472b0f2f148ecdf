import { Either } from 'effect';
import type { Ledger } from '../ledger';
import { findAccount, holdStatus } from '../ledger';
import type { LedgerError } from '../ledger.errors';
import { checkInvariants } from '../ledger-invariants';
import {
  type LedgerOperation,
  describeLedgerOperation,
  stepLedgerOperation,
} from '../../../testing/ledger.arbitraries';
import { LedgerModel, type ModelOutcome } from './ledger.model';

/**
 * The system under test: the pure ledger in a mutable cell, the operations
 * run so far (for repeats) and a tally of outcomes across runs.
 */
export interface RealLedger {
  ledger: Ledger;
  /** Every operation run so far, those that changed the ledger, and the authorizations refused for funds. */
  readonly history: LedgerOperation[];
  readonly appliedHistory: LedgerOperation[];
  readonly refusedHistory: LedgerOperation[];
  readonly tally: Map<string, number>;
}

/** What the model expects of an operation (advancing the model). */
const expectedOutcome = (model: LedgerModel, operation: LedgerOperation): ModelOutcome => {
  switch (operation.kind) {
    case 'openAccount': {
      const { accountId, currency, creditLimitMinor } = operation.input;
      return model.open(accountId, currency, creditLimitMinor);
    }
    case 'setCreditLimit': {
      const { accountId, currency, creditLimitMinor } = operation.input;
      return model.setCreditLimit(accountId, currency, creditLimitMinor);
    }
    case 'deposit': {
      const { depositId, accountId, currency, amountMinor } = operation.input;
      return model.deposit(depositId, accountId, currency, amountMinor);
    }
    case 'authorize': {
      const { transactionId, accountId, currency, amountMinor } = operation.input;
      return model.authorize(transactionId, accountId, currency, amountMinor);
    }
    case 'voidHold':
      return model.void(operation.input.transactionId);
    case 'capture':
      return model.capture(operation.input.transactionId, operation.input.amountMinor);
    case 'reverse':
      return model.reverse(operation.input.transactionId);
  }
};

/** The outcome as the ledger reports it: for `InsufficientFunds`, with what the error says. */
const actualOutcome = (error: LedgerError): ModelOutcome =>
  error._tag === 'InsufficientFunds'
    ? {
        ok: false,
        error: error._tag,
        shortfall: {
          accountId: error.accountId,
          currency: error.currency,
          requested: error.requestedMinor,
          available: error.availableMinor,
          creditLimit: error.creditLimitMinor,
        },
      }
    : { ok: false, error: error._tag };

/**
 * The tally's label: the kind and outcome; a refusal for funds retried is
 * told apart, and so is one retried once the account could pay (a late
 * success the ledger must not give).
 */
const outcomeLabel = (operation: LedgerOperation, outcome: ModelOutcome, before: Ledger): string => {
  const label = `${operation.kind}:${outcome.ok ? (outcome.applied ? 'applied' : 'repeat') : outcome.error}`;
  if (operation.kind !== 'authorize' || outcome.ok || outcome.error !== 'InsufficientFunds') return label;
  const { transactionId, accountId, currency, amountMinor } = operation.input;
  if (!before.refusals.has(transactionId)) return label;
  const account = findAccount(before, accountId, currency.code);
  const couldPay = account !== undefined && account.availableMinor + account.creditLimitMinor >= amountMinor;
  return `${label}:${couldPay ? 'repeat-funded' : 'repeat'}`;
};

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
  const states = Object.fromEntries(
    [...model.transactions.entries()].map(([id, transaction]) => [id, transaction.state]),
  );
  expect(holds).toEqual(states);
  const refusals = Object.fromEntries(
    [...ledger.refusals.entries()].map(([id, refusal]) => [
      id,
      {
        transactionId: refusal.transactionId,
        accountId: refusal.accountId,
        currency: refusal.currency,
        requested: refusal.amountMinor,
        available: refusal.availableMinor,
        creditLimit: refusal.creditLimitMinor,
      },
    ]),
  );
  const expectedRefusals = Object.fromEntries(
    [...model.refusals.entries()].map(([id, shortfall]) => [id, { transactionId: id, ...shortfall }]),
  );
  expect(refusals).toEqual(expectedRefusals);
  expect(ledger.journal).toHaveLength(model.movements);
};

/**
 * Applies `operation` to the model and to the real ledger: both must agree
 * on success or on the error's tag (and on what an `InsufficientFunds`
 * reports); a success must record one entry, a repeat none; a refusal
 * changes nothing but, the first time an authorization is refused for
 * funds, records it outside the journal; and afterwards balances, hold
 * states, refusals and the journal's length agree and no invariant is
 * broken.
 */
export const applyAndCompare = (model: LedgerModel, real: RealLedger, operation: LedgerOperation): void => {
  const expected = expectedOutcome(model, operation);
  real.history.push(operation);
  const before = real.ledger;
  const { result, ledger: after } = stepLedgerOperation(before, operation);
  const actual: ModelOutcome = Either.match(result, {
    onLeft: actualOutcome,
    onRight: ({ applied }) => ({ ok: true, applied }),
  });
  expect({ operation: describeLedgerOperation(operation), outcome: actual }).toEqual({
    operation: describeLedgerOperation(operation),
    outcome: expected,
  });
  if (Either.isRight(result)) {
    expect(after).toBe(result.right.ledger);
    const recordsEntry = 'entry' in result.right;
    if (!result.right.applied) expect(after).toBe(before);
    else expect(after.journal.length).toBe(before.journal.length + (recordsEntry ? 1 : 0));
    if ('entry' in result.right) {
      // A new movement is the journal's last entry; a repeat returns the one recorded before.
      if (result.right.applied) expect(after.journal.at(-1)).toBe(result.right.entry);
      else expect(before.journal).toContain(result.right.entry);
    }
    if (result.right.applied) real.appliedHistory.push(operation);
  } else if (
    operation.kind === 'authorize' &&
    result.left._tag === 'InsufficientFunds' &&
    !before.refusals.has(operation.input.transactionId)
  ) {
    // A new refusal: remembered, nothing moved.
    for (const part of ['accounts', 'holds', 'deposits', 'journal'] as const) expect(after[part]).toBe(before[part]);
    expect(after.refusals.size).toBe(before.refusals.size + 1);
    expect(after.refusals.has(operation.input.transactionId)).toBe(true);
    real.refusedHistory.push(operation);
  } else {
    expect(after).toBe(before);
  }
  real.ledger = after;
  const label = outcomeLabel(operation, actual, before);
  real.tally.set(label, (real.tally.get(label) ?? 0) + 1);
  expectBalancesAgree(model, real.ledger);
  expect(checkInvariants(real.ledger)).toEqual([]);
};
