import type fc from 'fast-check';
import { describeLedgerOperation } from '../../../testing/ledger.arbitraries';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

/**
 * Picks an authorization refused for funds earlier (the `pick`-th, modulo
 * how many there were), deposits on its account enough for it to pass now
 * (under a deposit id of its own), then retries it: a failed claim stays
 * failed, so it must be refused again with the same error, never a late
 * success.
 */
export class RetryRefusedAfterFundingCommand implements fc.Command<LedgerModel, RealLedger> {
  private retried = 'nothing yet';
  constructor(readonly pick: number) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const operation = real.refusedHistory[this.pick % Math.max(real.refusedHistory.length, 1)];
    if (operation?.kind !== 'authorize') return;
    this.retried = describeLedgerOperation(operation);
    const { accountId, currency, amountMinor } = operation.input;
    const account = model.account(accountId, currency.code);
    const missingMinor = amountMinor - (account ? account.available + account.creditLimit : 0n);
    if (missingMinor > 0n) {
      const depositId = `late-funding-${real.history.length}`;
      applyAndCompare(model, real, {
        kind: 'deposit',
        input: { accountId, currency, depositId, amountMinor: missingMinor },
      });
    }
    applyAndCompare(model, real, operation);
  }
  toString = (): string => `retryRefusedAfterFunding(#${this.pick}: ${this.retried})`;
}
