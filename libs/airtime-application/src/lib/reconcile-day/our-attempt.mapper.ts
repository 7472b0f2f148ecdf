// A stored top-up as the reconciliation sees it: one OurAttempt per attempt
// sent to a provider, with the top-up's quote (what it delivers, what the
// provider should charge, what we captured) and status.
import {
  type Attempt,
  type OurAttempt,
  type OurExposure,
  preciseZero,
  statusOfClass,
  type TopUp,
  totalsPerCurrency,
} from '@airtime/domain';

/**
 * The attempt of `topUp` as the books know it. `status` is the provider's
 * last status for it, CREATED when none is recorded (InFlight, Unknown:
 * `state` says so). An attempt with no provider (never the case for a sent
 * one) is given `providerId` ''.
 */
export const ourAttemptOf = (topUp: TopUp, attempt: Attempt): OurAttempt => ({
  topUpId: topUp.id,
  accountId: topUp.accountId,
  externalId: topUp.externalId,
  attemptNumber: attempt.number,
  isLastAttempt: attempt.number === topUp.attempts.length,
  providerId: attempt.providerId ?? '',
  providerExternalId: attempt.providerExternalId,
  providerTransactionId: attempt.providerTransactionId,
  startedAt: attempt.startedAt,
  state: attempt.state,
  status: attempt.providerStatus ?? statusOfClass('CREATED'),
  failureReason: attempt.failure?.reason,
  receive: topUp.quote.receive,
  charged: topUp.quote.costExact,
  cost: topUp.quote.cost,
  topUpStatus: topUp.status,
  topUpUpdatedAt: topUp.updatedAt,
});

/** Every attempt of `topUp`, in order. */
export const ourAttemptsOf = (topUp: TopUp): readonly OurAttempt[] =>
  topUp.attempts.map((attempt) => ourAttemptOf(topUp, attempt));

/** The attempt states whose charge the provider still holds (not settled). */
export const HELD_STATES: readonly OurAttempt['state'][] = ['Pending', 'Unknown', 'InFlight'];

/**
 * What our books say `providerId` holds for us, per currency (sorted by
 * code): the sum `charged` of the attempts at it not settled; `captured`
 * zero.
 */
export const holdingOf = (attempts: readonly OurAttempt[], providerId: string): readonly OurExposure[] =>
  totalsPerCurrency(
    attempts
      .filter((attempt) => attempt.providerId === providerId && HELD_STATES.includes(attempt.state))
      .map((attempt) => attempt.charged),
  ).map((holding) => ({
    currency: holding.currency.code,
    holding,
    captured: preciseZero(holding.currency),
  }));
