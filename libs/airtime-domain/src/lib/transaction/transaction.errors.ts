import { Data } from 'effect';
import type { TransactionStatus } from './transaction-status';

/** A status (or class) text that the DVS catalogue does not define; it never carries the text. */
export class UnknownTransactionStatus extends Data.TaggedError('UnknownTransactionStatus')<{
  readonly kind: 'class' | 'status';
}> {
  readonly code = 'UNKNOWN_TRANSACTION_STATUS' as const;
  override get message(): string {
    return `unknown transaction ${this.kind}: not one of the DVS catalogue`;
  }
}

/**
 * A status that can be neither reached from the current one nor is behind
 * it, e.g. COMPLETED then DECLINED, or CANCELLED then COMPLETED.
 */
export class IllegalTransition extends Data.TaggedError('IllegalTransition')<{
  readonly from: TransactionStatus;
  readonly to: TransactionStatus;
}> {
  readonly code = 'ILLEGAL_TRANSITION' as const;
  override get message(): string {
    return `illegal transition from ${this.from.status} to ${this.to.status}`;
  }
}
