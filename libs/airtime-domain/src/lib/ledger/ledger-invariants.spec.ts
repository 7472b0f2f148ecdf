import { Either } from 'effect';
import { currencyOf } from '../money/currency';
import { type JournalEntry, type Ledger, type LedgerAccount, type Refusal, accountKey, emptyLedger } from './ledger';
import { deposit, openAccount } from './ledger-accounts';
import { checkInvariants } from './ledger-invariants';
import { journalBalances } from './ledger-journal';
import { authorize, capture, reverse, voidHold } from './ledger-operations';

const kes = Either.getOrThrow(currencyOf('KES'));
const key = accountKey('acct-1', 'KES');

/** acct-1 with 1000 deposited; tx-1 captured 150 of 400 then reversed; tx-2 voided; tx-3 held 100. */
const sound = (): Ledger => {
  const steps: ((ledger: Ledger) => Either.Either<{ readonly ledger: Ledger }, unknown>)[] = [
    (l) => openAccount(l, { accountId: 'acct-1', currency: kes, creditLimitMinor: 200n }),
    (l) => deposit(l, { accountId: 'acct-1', currency: kes, depositId: 'dep-1', amountMinor: 1_000n }),
    (l) => authorize(l, { accountId: 'acct-1', currency: kes, transactionId: 'tx-1', amountMinor: 400n }),
    (l) => capture(l, { transactionId: 'tx-1', amountMinor: 150n }),
    (l) => reverse(l, { transactionId: 'tx-1' }),
    (l) => authorize(l, { accountId: 'acct-1', currency: kes, transactionId: 'tx-2', amountMinor: 50n }),
    (l) => voidHold(l, { transactionId: 'tx-2' }),
    (l) => authorize(l, { accountId: 'acct-1', currency: kes, transactionId: 'tx-3', amountMinor: 100n }),
  ];
  return steps.reduce((ledger, step) => Either.getOrThrow(step(ledger)).ledger, emptyLedger);
};

const account = (ledger: Ledger): LedgerAccount => {
  const found = ledger.accounts.get(key);
  if (!found) throw new Error('fixture: no account');
  return found;
};

const withAccount = (ledger: Ledger, changes: Partial<LedgerAccount>): Ledger => ({
  ...ledger,
  accounts: new Map([[key, { ...account(ledger), ...changes }]]),
});

const withJournal = (ledger: Ledger, journal: readonly JournalEntry[]): Ledger => ({ ...ledger, journal });

const rules = (ledger: Ledger) => checkInvariants(ledger).map((violation) => violation.rule);

/** `sound()` with tx-4 refused for 2000 (900 available, credit limit 200). */
const withRefusal = (): Ledger => {
  const refused = authorize(sound(), {
    accountId: 'acct-1',
    currency: kes,
    transactionId: 'tx-4',
    amountMinor: 2_000n,
  });
  return Either.getOrThrow(Either.flip(refused)).ledger;
};

const refusing = (ledger: Ledger, refusal: Refusal, key = refusal.transactionId): Ledger => ({
  ...ledger,
  refusals: new Map([...ledger.refusals, [key, refusal]]),
});

const tx4Refusal: Refusal = {
  transactionId: 'tx-4',
  accountId: 'acct-1',
  currency: 'KES',
  amountMinor: 2_000n,
  availableMinor: 900n,
  creditLimitMinor: 200n,
};

describe('checkInvariants', () => {
  it('finds nothing wrong with an empty ledger or one built by the operations', () => {
    expect(checkInvariants(emptyLedger)).toEqual([]);
    expect(checkInvariants(sound())).toEqual([]);
  });

  it('reports a negative holding', () => {
    const ledger = sound();
    expect(rules(withAccount(ledger, { holdingMinor: -1n }))).toContain('HOLDING_NOT_NEGATIVE');
  });

  it('reports available below minus the credit limit, and a negative credit limit', () => {
    const ledger = sound();
    expect(rules(withAccount(ledger, { availableMinor: -201n }))).toContain('AVAILABLE_WITHIN_CREDIT_LIMIT');
    expect(rules(withAccount(ledger, { creditLimitMinor: -1n }))).toContain('CREDIT_LIMIT_NOT_NEGATIVE');
    // A credit limit change alone is not a balance: nothing else breaks.
    expect(rules(withAccount(ledger, { creditLimitMinor: 5n }))).toEqual([]);
  });

  it('reports funds not conserved and balances the journal does not add up to', () => {
    const found = rules(withAccount(sound(), { fundedMinor: 999n }));
    expect(found).toContain('FUNDS_CONSERVED');
    expect(found).toContain('JOURNAL_MATCHES_BALANCES');
    // Moving value between available and holding conserves funds but not the journal.
    const shifted = account(sound());
    const moved = rules(
      withAccount(sound(), { availableMinor: shifted.availableMinor - 1n, holdingMinor: shifted.holdingMinor + 1n }),
    );
    expect(moved).not.toContain('FUNDS_CONSERVED');
    expect(moved).toContain('JOURNAL_MATCHES_BALANCES');
    expect(moved).toContain('HOLDING_MATCHES_OPEN_HOLDS');
  });

  it('reports a journal out of sequence or with inconsistent deltas', () => {
    const ledger = sound();
    const [first, second, ...rest] = ledger.journal;
    if (!first || !second) throw new Error('fixture: short journal');
    expect(rules(withJournal(ledger, [second, first, ...rest]))).toContain('JOURNAL_SEQUENCE');
    const skewed = { ...second, holdingDeltaMinor: 1n, availableDeltaMinor: -399n };
    expect(rules(withJournal(ledger, [first, skewed, ...rest]))).toContain('ENTRY_DELTAS');
  });

  it('reports a broken transaction lifecycle', () => {
    const ledger = sound();
    const last = ledger.journal.at(-1);
    const reverseEntry = ledger.journal.find((entry) => entry.kind === 'REVERSE');
    if (!last || !reverseEntry) throw new Error('fixture: no entries');
    // A second reversal of tx-1 appended to the journal.
    const twice = withJournal(ledger, [...ledger.journal, { ...reverseEntry, sequence: last.sequence + 1 }]);
    expect(rules(twice)).toContain('TRANSACTION_LIFECYCLE');
    // A void of tx-1 after its capture.
    const voidAfterCapture: JournalEntry = {
      ...reverseEntry,
      kind: 'VOID',
      amountMinor: 400n,
      availableDeltaMinor: 400n,
      holdingDeltaMinor: -400n,
    };
    expect(
      rules(
        withJournal(
          ledger,
          ledger.journal.map((entry) => (entry === reverseEntry ? voidAfterCapture : entry)),
        ),
      ),
    ).toContain('TRANSACTION_LIFECYCLE');
  });

  it('reports holds and deposits that differ from the journal', () => {
    const ledger = sound();
    const holds = new Map(ledger.holds);
    holds.delete('tx-2');
    expect(checkInvariants({ ...ledger, holds })).toContainEqual(
      expect.objectContaining({ rule: 'HOLD_MATCHES_JOURNAL', subject: 'tx-2' }),
    );
    const deposits = new Map(ledger.deposits);
    deposits.delete('dep-1');
    expect(checkInvariants({ ...ledger, deposits })).toContainEqual(
      expect.objectContaining({ rule: 'DEPOSIT_MATCHES_JOURNAL', subject: 'dep-1' }),
    );
  });

  it('finds nothing wrong with a recorded refusal', () => {
    const ledger = withRefusal();
    expect(ledger.refusals.get('tx-4')).toEqual(tx4Refusal);
    expect(checkInvariants(ledger)).toEqual([]);
  });

  it('reports a refused transaction id that is also held or moved', () => {
    const held = refusing(sound(), { ...tx4Refusal, transactionId: 'tx-3' });
    expect(checkInvariants(held)).toContainEqual(
      expect.objectContaining({ rule: 'REFUSAL_NOT_HELD', subject: 'tx-3' }),
    );
    // Its hold gone, tx-3 still has journal entries.
    const holds = new Map(held.holds);
    holds.delete('tx-3');
    expect(rules({ ...held, holds })).toContain('REFUSAL_NOT_HELD');
  });

  it('reports a refusal the ledger could not have made', () => {
    const ledger = sound();
    expect(rules(refusing(ledger, tx4Refusal, 'tx-5'))).toContain('REFUSAL_CONSISTENT');
    expect(rules(refusing(ledger, { ...tx4Refusal, amountMinor: 1_100n }))).toContain('REFUSAL_CONSISTENT');
    expect(rules(refusing(ledger, { ...tx4Refusal, amountMinor: 1_101n }))).toEqual([]);
    expect(rules(refusing(ledger, { ...tx4Refusal, currency: 'USD' }))).toContain('REFUSAL_CONSISTENT');
  });

  it('reports entries on an account that is not open', () => {
    expect(rules({ ...sound(), accounts: new Map() })).toContain('ENTRY_ON_OPEN_ACCOUNT');
  });
});

describe('journalBalances', () => {
  it('sums the journal per account to its balances and totals', () => {
    const ledger = sound();
    expect(journalBalances(ledger.journal).get(key)).toEqual({
      accountId: 'acct-1',
      currency: 'KES',
      availableMinor: 900n,
      holdingMinor: 100n,
      fundedMinor: 1_000n,
      capturedMinor: 150n,
      reversedMinor: 150n,
    });
    expect(account(ledger)).toMatchObject({
      availableMinor: 900n,
      holdingMinor: 100n,
      capturedMinor: 150n,
      reversedMinor: 150n,
      fundedMinor: 1_000n,
    });
    expect(journalBalances([]).size).toBe(0);
  });
});
