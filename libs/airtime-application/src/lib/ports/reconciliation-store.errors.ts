// The reconciliation store's own refusal: a window another run is reconciling.
import { taggedError } from '@airtime/domain';

/**
 * Another run holds this window's lock (one run of a window at a time): the
 * second run stops before it reads or writes anything. Retryable: try again
 * when the other run has ended.
 */
export class ReconciliationWindowBusy extends taggedError('ReconciliationWindowBusy', {
  code: 'RECONCILIATION_WINDOW_BUSY',
  retryable: true,
})<{
  readonly windowKey: string;
}>((e) => `another run of window ${e.windowKey} is in progress; try again when it ends`) {}
