// A status pushed by a provider whose callback URL carries no token of ours
// (Africa's Talking's status callback is set once in its dashboard): matched
// on the provider's transaction id of that provider, then applied like any
// provider update.
import {
  type AirtimeProvider,
  type Clock,
  type PersistenceFailure,
  type PhoneNumber,
  type ProviderCallback,
  TopUpRepository,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Option } from 'effect';
import {
  type ApplyProviderUpdateError,
  type ApplyProviderUpdateResult,
  applyProviderUpdate,
} from '../apply-provider-update/apply-provider-update.use-case';
import type { SaveServices } from '../top-up-change/save-top-up-change.use-case';
import { UnknownProviderTransaction } from '../apply-provider-update/apply-provider-update.errors';

export interface ApplyProviderStatusInput {
  /** The provider that sent the status (e.g. `africastalking`), whatever provider this process sends with. */
  readonly providerId: string;
  readonly update: ProviderCallback;
  /**
   * The number the provider says the status is about, when it says one
   * (Africa's Talking's `phoneNumber`): it must be the top-up's, else the
   * status is about no top-up of ours.
   */
  readonly destination?: PhoneNumber | undefined;
}

/**
 * Applies a provider's status to the top-up one of whose attempts this
 * provider answered with `update.providerTransactionId`:
 * `UnknownProviderTransaction` when there is none, or when the status
 * names another number than the top-up's (nothing written).
 * Duplicates and stale updates answer `Unchanged` (see
 * `applyProviderUpdate`, which decides and writes).
 */
export const applyProviderStatus = (
  input: ApplyProviderStatusInput,
): Effect.Effect<
  ApplyProviderUpdateResult,
  ApplyProviderUpdateError | PersistenceFailure,
  SaveServices | AirtimeProvider | Clock | UnitOfWork
> =>
  Effect.gen(function* () {
    const topUps = yield* TopUpRepository;
    const found = yield* topUps.findByProviderTransactionId(input.providerId, input.update.providerTransactionId);
    if (
      Option.isNone(found) ||
      (input.destination !== undefined && input.destination.e164 !== found.value.topUp.destination.e164)
    )
      return yield* new UnknownProviderTransaction({ provider: input.providerId });
    return yield* applyProviderUpdate(input.update, { topUpId: found.value.topUp.id });
  });
