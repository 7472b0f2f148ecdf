import type fc from 'fast-check';
import type { Currency } from '../../money/currency';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

/**
 * A fixed limit, or what the account currently draws below zero (per the
 * model) plus an offset, to hit the `CreditLimitInUse` boundary exactly.
 */
export type CreditLimitChoice =
  | { readonly kind: 'fixed'; readonly creditLimitMinor: bigint }
  | { readonly kind: 'drawn'; readonly offsetMinor: bigint };

export class SetCreditLimitCommand implements fc.Command<LedgerModel, RealLedger> {
  constructor(
    readonly accountId: string,
    readonly currency: Currency,
    readonly limit: CreditLimitChoice,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const drawnMinor = -(model.account(this.accountId, this.currency.code)?.available ?? 0n);
    const creditLimitMinor =
      this.limit.kind === 'fixed' ? this.limit.creditLimitMinor : drawnMinor + this.limit.offsetMinor;
    applyAndCompare(model, real, {
      kind: 'setCreditLimit',
      input: { accountId: this.accountId, currency: this.currency, creditLimitMinor },
    });
  }
  toString = (): string => {
    const limit =
      this.limit.kind === 'fixed'
        ? `${this.limit.creditLimitMinor}`
        : `drawn${this.limit.offsetMinor < 0n ? '' : '+'}${this.limit.offsetMinor}`;
    return `setCreditLimit(${this.accountId}, ${this.currency.code}, limit=${limit})`;
  };
}
