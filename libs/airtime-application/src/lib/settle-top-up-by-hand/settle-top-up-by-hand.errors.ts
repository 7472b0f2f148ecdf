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
