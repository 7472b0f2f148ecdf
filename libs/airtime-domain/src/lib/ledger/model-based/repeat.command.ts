import type fc from 'fast-check';
import { describeLedgerOperation } from '../../../testing/ledger.arbitraries';
import { applyAndCompare, type RealLedger } from './ledger.agreement';
import type { LedgerModel } from './ledger.model';

/**
 * Runs again, with the same arguments, an operation run earlier (the
 * `pick`-th, modulo how many there were, among all of them or among those
 * that changed the ledger): a retried message. A success must then be an
 * idempotent repeat; a refusal may be refused again or, after other
 * movements, succeed — the model decides.
 */
export class RepeatCommand implements fc.Command<LedgerModel, RealLedger> {
  private repeated = 'nothing yet';
  constructor(
    readonly pick: number,
    readonly onlyApplied: boolean,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const history = this.onlyApplied ? real.appliedHistory : real.history;
    const operation = history[this.pick % Math.max(history.length, 1)];
    if (!operation) return;
    this.repeated = describeLedgerOperation(operation);
    applyAndCompare(model, real, operation);
  }
  toString = (): string => `repeat(${this.onlyApplied ? 'applied ' : ''}#${this.pick}: ${this.repeated})`;
}
