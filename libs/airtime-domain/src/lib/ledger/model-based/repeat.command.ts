import type fc from 'fast-check';
import { type LedgerOperation, describeLedgerOperation } from '../../../testing/ledger.arbitraries';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

/** Where a repeat picks the operation it runs again from. */
export type RepeatSource = 'any' | 'applied' | 'refused';

const histories: Record<RepeatSource, (real: RealLedger) => readonly LedgerOperation[]> = {
  any: (real) => real.history,
  applied: (real) => real.appliedHistory,
  refused: (real) => real.refusedHistory,
};

/**
 * Runs again, with the same arguments, an operation run earlier (the
 * `pick`-th, modulo how many there were, among all of them, those that
 * changed the ledger, or the authorizations refused for funds): a retried
 * message. A success must then be an idempotent repeat, and an
 * authorization refused for funds is refused again with the same error even
 * if funds arrived since (a failed claim stays failed). Other refusals (an
 * unknown account, a hold not there yet, ...) may succeed later: the model
 * decides.
 */
export class RepeatCommand implements fc.Command<LedgerModel, RealLedger> {
  private repeated = 'nothing yet';
  constructor(
    readonly pick: number,
    readonly source: RepeatSource,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const history = histories[this.source](real);
    const operation = history[this.pick % Math.max(history.length, 1)];
    if (!operation) return;
    this.repeated = describeLedgerOperation(operation);
    applyAndCompare(model, real, operation);
  }
  toString = (): string => `repeat(${this.source === 'any' ? '' : `${this.source} `}#${this.pick}: ${this.repeated})`;
}
