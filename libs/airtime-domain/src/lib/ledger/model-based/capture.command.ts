import type fc from 'fast-check';
import { type CaptureShare, captureAmountFor, describeCaptureShare } from '../../../testing/ledger.arbitraries';
import { applyAndCompare, type RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';

/** Captures all, part or a fixed amount of whatever the transaction holds (resolved against the model). */
export class CaptureCommand implements fc.Command<LedgerModel, RealLedger> {
  constructor(
    readonly transactionId: string,
    readonly share: CaptureShare,
  ) {}
  check = (): boolean => true;
  run(model: LedgerModel, real: RealLedger): void {
    const amountMinor = captureAmountFor(this.share, model.transactions.get(this.transactionId)?.authorized ?? 0n);
    applyAndCompare(model, real, { kind: 'capture', input: { transactionId: this.transactionId, amountMinor } });
  }
  toString = (): string => `capture(${this.transactionId}, ${describeCaptureShare(this.share)})`;
}
