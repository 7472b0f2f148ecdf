// A status pushed by a provider whose callback URL carries no token of ours
// (Africa's Talking's status callback is set once in its dashboard, unsigned):
// only a hint. It names a top-up (by the provider's transaction id of that
// provider, and its number); the posted status is never applied. The named
// top-up's open attempt is settled by asking the provider, as the stalled
// recovery does (`settleUnknownAttempt`), so a forged body changes nothing
// the provider does not confirm.
import {
  AirtimeProvider,
  type Clock,
  type PhoneNumber,
  TopUpRepository,
  type TopUp,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Option } from 'effect';
import { UnknownProviderTransaction } from '../apply-provider-update/apply-provider-update.errors';
import {
  type SettleUnknownAttemptError,
  settleUnknownAttempt,
} from '../settle-unknown-attempt/settle-unknown-attempt.use-case';
import type { SaveServices } from '../top-up-change/save-top-up-change.use-case';

export interface ApplyProviderStatusInput {
  /** The provider that sent the status (e.g. `africastalking`), whatever provider this process sends with. */
  readonly providerId: string;
  /** The provider's transaction id the status names (Africa's Talking's `requestId`). */
  readonly providerTransactionId: string;
  /**
   * The number the provider says the status is about, when it says one
   * (Africa's Talking's `phoneNumber`): it must be the top-up's, else the
   * status is about no top-up of ours.
   */
  readonly destination?: PhoneNumber | undefined;
}

export type ApplyProviderStatusResult =
  /** The provider's answer to our query settled the attempt. */
  | { readonly _tag: 'Applied'; readonly topUp: TopUp }
  /**
   * Nothing changed: the attempt was settled already (a repeat), the
   * provider says it is still pending, or the provider cannot be asked
   * (the top-up is left to reconciliation).
   */
  | { readonly _tag: 'Unchanged'; readonly topUp: TopUp };

export type ApplyProviderStatusError = UnknownProviderTransaction | SettleUnknownAttemptError;

/**
 * Takes a provider's status callback as a hint about the top-up one of
 * whose attempts `providerId` answered with `providerTransactionId`, and
 * settles that top-up's open attempt by asking the configured provider
 * (`settleUnknownAttempt`: status by our external id, the answer held to
 * the request). The posted status itself is never applied: a forged
 * "Failed" for a top-up the provider delivered ends COMPLETED (or
 * unchanged), never released.
 *
 * `UnknownProviderTransaction` (nothing asked, nothing written) when no
 * attempt has that id, when the status names another number than the
 * top-up's, or when the configured provider is not `providerId` (it cannot
 * answer for that attempt: reconciliation settles it). `Unchanged` when the
 * attempt is settled already, still pending, or the provider cannot be
 * asked (`StatusQueryUnsupported`); `Applied` when the provider's answer
 * settled it. Provider and store failures are `settleUnknownAttempt`'s.
 */
export const applyProviderStatus = (
  input: ApplyProviderStatusInput,
): Effect.Effect<
  ApplyProviderStatusResult,
  ApplyProviderStatusError,
  SaveServices | AirtimeProvider | Clock | UnitOfWork
> =>
  Effect.gen(function* () {
    const provider = yield* AirtimeProvider;
    const unknown = new UnknownProviderTransaction({ provider: input.providerId });
    if (provider.id !== input.providerId) return yield* unknown;
    const topUps = yield* TopUpRepository;
    const found = yield* topUps.findByProviderTransactionId(input.providerId, input.providerTransactionId);
    if (
      Option.isNone(found) ||
      (input.destination !== undefined && input.destination.e164 !== found.value.topUp.destination.e164)
    )
      return yield* unknown;
    const settled = yield* settleUnknownAttempt(found.value.topUp.id);
    return settled._tag === 'Settled'
      ? ({ _tag: 'Applied', topUp: settled.topUp } as const)
      : ({ _tag: 'Unchanged', topUp: settled.topUp } as const);
  });
