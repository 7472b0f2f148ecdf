// The attempts of ours at the edges of a match: those the provider's list
// of the window lacks are asked for one by one (the provider may date them
// past the window); an answer that cannot be used leaves the attempt
// waiting for a decision instead of failing the run.
import {
  AirtimeProvider,
  isExpectedAbsent,
  isInFlight,
  type OurAttempt,
  type ProviderTransaction,
} from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { AwaitingDecision } from './awaiting-decision';
import { describeProviderFailure, nonStoppingProviderFailure } from './provider-failure.policy';

/** The latest attempt of each external id (a resend after "not found" reuses it). */
export const liveByExternalId = (ours: readonly OurAttempt[]): Map<string, OurAttempt> => {
  const live = new Map<string, OurAttempt>();
  for (const attempt of ours) {
    const sofar = live.get(attempt.providerExternalId);
    if (sofar === undefined || attempt.attemptNumber > sofar.attemptNumber)
      live.set(attempt.providerExternalId, attempt);
  }
  return live;
};

type Asked =
  | { readonly _tag: 'Answer'; readonly found: Option.Option<ProviderTransaction> }
  | { readonly _tag: 'Undecided'; readonly decision: AwaitingDecision };

/**
 * Asks once for each attempt of ours the list does not hold and the
 * provider should (it may date it past the window). An attempt whose answer
 * cannot be used (a provider failure that does not stop the run) waits for a
 * decision instead, with the error's code and message.
 */
export const askForUnlisted = (
  ours: readonly OurAttempt[],
  listed: ReadonlySet<string>,
  options: { readonly now: Date; readonly inFlightGraceMs: number },
) =>
  Effect.gen(function* () {
    const provider = yield* AirtimeProvider;
    const unlisted = [...liveByExternalId(ours).values()].filter(
      (attempt) =>
        !listed.has(attempt.providerExternalId) &&
        !isExpectedAbsent(attempt) &&
        !isInFlight(attempt, { now: options.now, inFlightGraceMs: options.inFlightGraceMs }),
    );
    const asked = yield* Effect.forEach(
      unlisted,
      (attempt) =>
        provider.statusByExternalId(attempt.providerExternalId).pipe(
          Effect.map((found): Asked => ({ _tag: 'Answer', found })),
          Effect.catchTag('StatusQueryUnsupported', () =>
            Effect.succeed<Asked>({ _tag: 'Answer', found: Option.none() }),
          ),
          Effect.catchAll((error) => {
            const failure = nonStoppingProviderFailure(error);
            return failure === undefined
              ? Effect.fail(error)
              : Effect.succeed<Asked>({
                  _tag: 'Undecided',
                  decision: {
                    attempt,
                    reason:
                      `not in the provider's list of the window, and the provider's answer about it could not be ` +
                      `used: ${describeProviderFailure(failure)}`,
                  },
                });
          }),
        ),
      { concurrency: 4 },
    );
    return {
      found: asked.flatMap((one) => (one._tag === 'Answer' ? Option.toArray(one.found) : [])),
      undecided: asked.flatMap((one) => (one._tag === 'Undecided' ? [one.decision] : [])),
    };
  });
