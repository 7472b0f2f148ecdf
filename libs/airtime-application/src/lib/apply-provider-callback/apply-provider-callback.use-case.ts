// Apply a provider's callback that came to a top-up's own callback URL: the
// URL's unguessable token names the top-up, and the update must name one of
// that top-up's attempts before it is applied.
import {
  AirtimeProvider,
  type Attempt,
  type Clock,
  type PersistenceFailure,
  type ProviderCallback,
  type TopUp,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Option } from 'effect';
import { decodeInput } from '../api-access/api-input.check';
import { UnknownProviderTransaction } from '../apply-provider-update/apply-provider-update.errors';
import {
  applyProviderUpdate,
  type ApplyProviderUpdateError,
  type ApplyProviderUpdateResult,
} from '../apply-provider-update/apply-provider-update.use-case';
import { TopUpRequestStore } from '../ports/top-up-requests.port';
import { loadTopUp, type SaveServices } from '../top-up-change/save-top-up-change.use-case';
import { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { ApplyProviderCallbackInput } from './apply-provider-callback.input';

export interface ApplyProviderCallbackRequest {
  /** The token of the callback URL (never logged: it is the callback's credential). */
  readonly callbackToken: unknown;
  /** The provider's update, as its adapter parsed the body. */
  readonly update: ProviderCallback;
}

export type ApplyProviderCallbackError = ApplyProviderUpdateError | PersistenceFailure;

/**
 * Whether the update names this attempt: by our provider external id when
 * it carries one (and then its transaction id agrees with the attempt's,
 * once the attempt has one), else by the provider's transaction id.
 */
const names = (update: ProviderCallback) => (attempt: Attempt) =>
  update.providerExternalId === undefined
    ? attempt.providerTransactionId === update.providerTransactionId
    : attempt.providerExternalId === update.providerExternalId &&
      (attempt.providerTransactionId === undefined || attempt.providerTransactionId === update.providerTransactionId);

const isAboutTopUp = (topUp: TopUp, update: ProviderCallback): boolean => topUp.attempts.some(names(update));

/**
 * Finds the top-up of the callback token (`TopUpNotFound` for a token of no
 * top-up, or one that is not a token at all; the error carries no id and
 * never the token), checks that the update names one of its attempts (its
 * provider external id and/or transaction id; `UnknownProviderTransaction`
 * otherwise, nothing applied), then applies it as `applyProviderUpdate` with
 * that top-up. Idempotent: a repeat, or a stale update, answers `Unchanged`.
 */
export const applyProviderCallback = (
  request: ApplyProviderCallbackRequest,
): Effect.Effect<
  ApplyProviderUpdateResult,
  ApplyProviderCallbackError,
  SaveServices | AirtimeProvider | Clock | UnitOfWork
> =>
  Effect.gen(function* () {
    const { callbackToken } = yield* decodeInput(ApplyProviderCallbackInput)({
      callbackToken: request.callbackToken,
    }).pipe(Effect.mapError(() => new TopUpNotFound({ topUpId: '' })));
    const stored = yield* Effect.flatMap(TopUpRequestStore, (requests) => requests.findByCallbackToken(callbackToken));
    if (Option.isNone(stored)) return yield* new TopUpNotFound({ topUpId: '' });
    const first = yield* loadTopUp(stored.value.topUpId);
    if (!isAboutTopUp(first.topUp, request.update)) {
      const provider = yield* AirtimeProvider;
      return yield* new UnknownProviderTransaction({ provider: provider.id });
    }
    // decided on this read; a change meanwhile makes it decide again on a fresh one
    return yield* applyProviderUpdate(request.update, { known: first });
  });
