import type { TransactionStatus } from './transaction-status';
import { taggedError } from '../errors/tagged-error';

/** A status (or class) text that the DVS catalogue does not define; it never carries the text. */
export class UnknownTransactionStatus extends taggedError('UnknownTransactionStatus', {
  code: 'UNKNOWN_TRANSACTION_STATUS',
  retryable: false,
})<{
  readonly kind: 'class' | 'status';
}>((e) => `unknown transaction ${e.kind}: not one of the DVS catalogue`) {}

/**
 * A status that can be neither reached from the current one nor is behind
 * it, e.g. COMPLETED then DECLINED, or CANCELLED then COMPLETED.
 */
export class IllegalTransition extends taggedError('IllegalTransition', {
  code: 'ILLEGAL_TRANSITION',
  retryable: false,
})<{
  readonly from: TransactionStatus;
  readonly to: TransactionStatus;
}>((e) => `illegal transition from ${e.from.status} to ${e.to.status}`) {}
