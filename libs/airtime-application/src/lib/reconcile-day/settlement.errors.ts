// The errors settling adds: a settlement whose decision no longer holds.
import { taggedError } from '@airtime/domain';

const attemptText = (attemptNumber: number | undefined): string =>
  attemptNumber === undefined ? 'no attempt' : `attempt ${attemptNumber}`;

/**
 * A settlement decided about one attempt of a top-up standing at one status
 * (its record's `attemptNumber` and `fromStatus`) meets the top-up changed
 * since: another attempt is its last now (a resend, which may reuse the
 * attempt's external id), or it stands at another status. Its change is not
 * applied: the decision was about what is no longer there (an operator's is
 * recorded REFUSED, the reconciler's UNCHANGED, with this message).
 */
export class SettlementOutdated extends taggedError('SettlementOutdated', {
  code: 'SETTLEMENT_OUTDATED',
  retryable: false,
})<{
  readonly topUpId: string;
  /** The attempt the settlement was decided about. */
  readonly attemptNumber: number | undefined;
  /** The top-up's last attempt now. */
  readonly lastAttemptNumber: number | undefined;
  /** The status the top-up stood at when the settlement was decided. */
  readonly fromStatus: string;
  /** The top-up's status now. */
  readonly status: string;
}>((e) =>
  e.lastAttemptNumber === e.attemptNumber
    ? `the settlement of ${attemptText(e.attemptNumber)} of top-up "${e.topUpId}" is not applied: ` +
      `the top-up stands at ${e.status}, no longer at ${e.fromStatus} as when it was decided`
    : `the settlement of ${attemptText(e.attemptNumber)} of top-up "${e.topUpId}" is not applied: ` +
      `${attemptText(e.lastAttemptNumber)} is the top-up's last now (sent since), and the decision was about ` +
      `${attemptText(e.attemptNumber)} only`,
) {}
