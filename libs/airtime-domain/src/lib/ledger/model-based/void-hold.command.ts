import type fc from 'fast-check';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

export class VoidHoldCommand implements fc.Command<LedgerModel, RealLedger> {
  constructor(readonly transactionId: string) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    applyAndCompare(model, real, { kind: 'voidHold', input: { transactionId: this.transactionId } });
  }
  toString = (): string => `voidHold(${this.transactionId})`;
}
