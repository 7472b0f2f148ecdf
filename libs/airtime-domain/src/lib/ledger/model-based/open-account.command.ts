import type fc from 'fast-check';
import type { Currency } from '../../money/currency';
import type { LedgerOperation } from '../../../testing/ledger.arbitraries';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

export class OpenAccountCommand implements fc.Command<LedgerModel, RealLedger> {
  constructor(
    readonly accountId: string,
    readonly currency: Currency,
    readonly creditLimitMinor: bigint,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const operation: LedgerOperation = {
      kind: 'openAccount',
      input: { accountId: this.accountId, currency: this.currency, creditLimitMinor: this.creditLimitMinor },
    };
    applyAndCompare(model, real, operation);
  }
  toString = (): string => `openAccount(${this.accountId}, ${this.currency.code}, limit=${this.creditLimitMinor})`;
}
