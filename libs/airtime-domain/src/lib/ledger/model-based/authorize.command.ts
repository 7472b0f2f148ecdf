import type fc from 'fast-check';
import type { Currency } from '../../money/currency';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

/**
 * A fixed amount, or the account's headroom (available + credit limit,
 * per the model) plus an offset, to hit the refusal boundary exactly.
 */
export type AuthorizeAmount =
  | { readonly kind: 'fixed'; readonly amountMinor: bigint }
  | { readonly kind: 'headroom'; readonly offsetMinor: bigint };

export class AuthorizeCommand implements fc.Command<LedgerModel, RealLedger> {
  constructor(
    readonly accountId: string,
    readonly currency: Currency,
    readonly transactionId: string,
    readonly amount: AuthorizeAmount,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const account = model.account(this.accountId, this.currency.code);
    const headroomMinor = account ? account.available + account.creditLimit : 1n;
    const amountMinor =
      this.amount.kind === 'fixed' ? this.amount.amountMinor : headroomMinor + this.amount.offsetMinor;
    applyAndCompare(model, real, {
      kind: 'authorize',
      input: { accountId: this.accountId, currency: this.currency, transactionId: this.transactionId, amountMinor },
    });
  }
  toString = (): string => {
    const amount =
      this.amount.kind === 'fixed'
        ? `${this.amount.amountMinor}`
        : `headroom${this.amount.offsetMinor < 0n ? '' : '+'}${this.amount.offsetMinor}`;
    return `authorize(${this.transactionId}, ${this.accountId}, ${this.currency.code}, ${amount})`;
  };
}
