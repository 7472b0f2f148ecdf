// The send a provider's validation callback asks about (Africa's Talking calls
// its validation URL before it releases airtime): found in the top-up store,
// never in process memory, so any API process can answer.
import { type Attempt, type Money, type PersistenceFailure, type PhoneNumber, TopUpRepository } from '@airtime/domain';
import { Effect, Option } from 'effect';

/** One attempt of ours as the provider should have it: what a validation callback is matched against. */
export interface ProviderSend {
  readonly topUpId: string;
  /** The provider's transaction id of the attempt (AT's requestId). */
  readonly transactionId: string;
  readonly destination: PhoneNumber;
  /** What the beneficiary receives: the amount the attempt asked the provider to send. */
  readonly amount: Money;
}

export interface ValidateProviderSendInput {
  /** The provider the callback comes from (e.g. `africastalking`); another provider's equal id is no match. */
  readonly providerId: string;
  readonly providerTransactionId: string;
}

/** An attempt may still be released only while its outcome is open: a settled one was delivered or failed. */
const isOpen = (attempt: Attempt): boolean =>
  attempt.state === 'InFlight' || attempt.state === 'Pending' || attempt.state === 'Unknown';

/**
 * The live send a validation callback names: the attempt of one of our
 * top-ups that this provider answered with `providerTransactionId`, while its
 * outcome is open (in flight, pending or unknown), with the number and the
 * amount it was sent. `None` for any other id, another provider's, or an
 * attempt already settled (a replayed validation must not release airtime a
 * second time): the caller answers the provider "Failed". Comparing the
 * callback's claim with the send is the provider adapter's job
 * (Africa's Talking's `matchesSentAirtime`; reference:
 * africastalking-airtime-request-flow.txt).
 */
export const validateProviderSend = (
  input: ValidateProviderSendInput,
): Effect.Effect<Option.Option<ProviderSend>, PersistenceFailure, TopUpRepository> =>
  Effect.gen(function* () {
    const topUps = yield* TopUpRepository;
    const found = yield* topUps.findByProviderTransactionId(input.providerId, input.providerTransactionId);
    return Option.flatMap(found, ({ topUp }) =>
      Option.map(
        Option.fromNullable(
          topUp.attempts.find(
            (attempt) =>
              attempt.providerId === input.providerId &&
              attempt.providerTransactionId === input.providerTransactionId &&
              isOpen(attempt),
          ),
        ),
        (attempt): ProviderSend => ({
          topUpId: topUp.id,
          transactionId: attempt.providerTransactionId ?? input.providerTransactionId,
          destination: topUp.destination,
          amount: topUp.quote.receive,
        }),
      ),
    );
  });
