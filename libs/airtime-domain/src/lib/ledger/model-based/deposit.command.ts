import type fc from 'fast-check';
import type { Currency } from '../../money/currency';
import type { LedgerOperation } from '../../../testing/ledger.arbitraries';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

export class DepositCommand implements fc.Command<LedgerModel, RealLedger> {
  constructor(
    readonly accountId: string,
    readonly currency: Currency,
    readonly depositId: string,
    readonly amountMinor: bigint,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const operation: LedgerOperation = {
      kind: 'deposit',
      input: {
        accountId: this.accountId,
        currency: this.currency,
        depositId: this.depositId,
        amountMinor: this.amountMinor,
      },
    };
    applyAndCompare(model, real, operation);
  }
  toString = (): string => `deposit(${this.depositId}, ${this.accountId}, ${this.currency.code}, ${this.amountMinor})`;
}
