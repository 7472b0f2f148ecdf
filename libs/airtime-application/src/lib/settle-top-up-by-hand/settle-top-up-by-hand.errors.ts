// The errors settleTopUpByHand adds.
import { taggedError } from '@airtime/domain';

/** The top-up has no attempt at a provider: nothing to settle (cancel it instead). */
export class NoAttemptToSettle extends taggedError('NoAttemptToSettle', {
  code: 'NO_ATTEMPT_TO_SETTLE',
  retryable: false,
})<{
  readonly topUpId: string;
}>((e) => `top-up "${e.topUpId}" was never sent to a provider: nothing to settle (cancel it instead)`) {}

/** The settlement was recorded but the domain refused the change; `refusal` says why. */
export class SettlementRefused extends taggedError('SettlementRefused', {
  code: 'SETTLEMENT_REFUSED',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly refusal: string;
}>((e) => `top-up "${e.topUpId}" cannot be settled so: ${e.refusal}`) {}

/**
 * The top-up is still open and the latest finished reconciliation run of
 * its provider does not list its last attempt as awaiting a decision (an
 * earlier run's listing no longer counts once a later run got an answer it
 * could use): its provider may still deliver it (a DVS transaction
 * PENDING for minutes or hours), and a failure settled by hand would void
 * the hold of airtime delivered later. The workers and the reconciler settle
 * it from the provider's answer; an operator who has checked with the
 * provider that it is final there settles with `force`.
 */
export class NotAwaitingDecision extends taggedError('NotAwaitingDecision', {
  code: 'NOT_AWAITING_DECISION',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly status: string;
}>(
  (e) =>
    `top-up "${e.topUpId}" is still open (${e.status}) and the latest reconciliation run of its provider does not ` +
    'list it as awaiting a decision: ' +
    "the provider may still deliver it; let the workers or `npm run reconcile` settle it from the provider's answer, " +
    'or, having checked with the provider that it is final there, repeat with --force',
) {}
