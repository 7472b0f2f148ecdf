import fc from 'fast-check';
import {
  arbitraryOpenAccountInputs,
  arbitraryPositiveAmountMinor,
  defaultLedgerPools,
} from '../../../testing/ledger.arbitraries';
import { emptyLedger } from '../ledger';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import { ledgerCommands } from './ledger-commands';
import { LedgerModel } from './ledger.model';

/** Every outcome the runs must have produced at least once: each success, repeat and refusal, and retried refusals. */
const EXERCISED = [
  'openAccount:applied',
  'openAccount:repeat',
  'openAccount:AccountAlreadyOpen',
  'openAccount:InvalidLedgerAmount',
  'setCreditLimit:applied',
  'setCreditLimit:repeat',
  'setCreditLimit:AccountNotFound',
  'setCreditLimit:CreditLimitInUse',
  'setCreditLimit:InvalidLedgerAmount',
  'deposit:applied',
  'deposit:repeat',
  'deposit:IdempotencyConflict',
  'deposit:AccountNotFound',
  'deposit:InvalidLedgerAmount',
  'authorize:applied',
  'authorize:repeat',
  'authorize:IdempotencyConflict',
  'authorize:AccountNotFound',
  'authorize:InsufficientFunds',
  // A refused authorization retried: refused again, also once the account could pay.
  'authorize:InsufficientFunds:repeat',
  'authorize:InsufficientFunds:repeat-funded',
  'authorize:InvalidLedgerAmount',
  'voidHold:applied',
  'voidHold:repeat',
  'voidHold:HoldNotFound',
  'voidHold:HoldAlreadySettled',
  'capture:applied',
  'capture:repeat',
  'capture:IdempotencyConflict',
  'capture:HoldNotFound',
  'capture:HoldAlreadySettled',
  'capture:CaptureExceedsHold',
  'capture:InvalidLedgerAmount',
  'reverse:applied',
  'reverse:repeat',
  'reverse:HoldNotFound',
  'reverse:HoldNotCaptured',
  // hostile ids and forged currencies, refused before anything else
  'openAccount:InvalidIdentifier',
  'openAccount:InvalidLedgerCurrency',
  'setCreditLimit:InvalidIdentifier',
  'setCreditLimit:InvalidLedgerCurrency',
  'deposit:InvalidIdentifier',
  'deposit:InvalidLedgerCurrency',
  'authorize:InvalidIdentifier',
  'authorize:InvalidLedgerCurrency',
  'voidHold:InvalidIdentifier',
  'capture:InvalidIdentifier',
  'reverse:InvalidIdentifier',
];

describe('ledger against its reference model', () => {
  it('agrees on every outcome, balance and hold, and keeps its invariants, over any interleaving', () => {
    const tally = new Map<string, number>();
    fc.assert(
      fc.property(
        // Some of the pool's accounts start open, each with a deposit (dep-1, dep-2, ... which later
        // commands may repeat or contradict); the others stay unknown until a command opens them.
        arbitraryOpenAccountInputs(defaultLedgerPools, { minLength: 3, maxLength: 5 }),
        fc.array(arbitraryPositiveAmountMinor(1_500n), { minLength: 5, maxLength: 5 }),
        fc.commands(ledgerCommands(), { maxCommands: 60, size: 'max' }),
        (accounts, fundingMinor, commands) => {
          const setup = () => {
            const model = new LedgerModel();
            const real: RealLedger = {
              ledger: emptyLedger,
              history: [],
              appliedHistory: [],
              refusedHistory: [],
              tally,
            };
            accounts.forEach((input, index) => {
              applyAndCompare(model, real, { kind: 'openAccount', input });
              const amountMinor = fundingMinor[index] ?? 1n;
              applyAndCompare(model, real, {
                kind: 'deposit',
                input: { ...input, depositId: `dep-${index + 1}`, amountMinor },
              });
            });
            return { model, real };
          };
          fc.modelRun(setup, commands);
        },
      ),
      { numRuns: 200 },
    );
    expect(EXERCISED.filter((outcome) => !tally.has(outcome))).toEqual([]);
  });
});
