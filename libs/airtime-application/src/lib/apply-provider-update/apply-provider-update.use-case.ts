// Apply a provider update (a callback, or a poll's answer) to its top-up:
// state and ledger move together, one event per change; duplicates and stale
// updates change nothing.
import {
  AirtimeProvider,
  type AttemptNotFound,
  type AttemptRef,
  checkDeliveredAmount,
  Clock,
  type IllegalTransition,
  type LedgerError,
  type PersistenceFailure,
  preciseOf,
  type ProviderAnswerMismatch,
  type ProviderCallback,
  providerFound,
  resolveUnknownAttempt,
  type TopUp,
  type TopUpChange,
  TopUpRepository,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import {
  changeTopUpFrom,
  loadTopUp,
  type SaveError,
  type SaveServices,
  type VersionedTopUp,
} from '../top-up-change/save-top-up-change.use-case';
import { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { UnknownProviderTransaction } from './apply-provider-update.errors';

export type ApplyProviderUpdateResult =
  | { readonly _tag: 'Applied'; readonly topUp: TopUp }
  /** A duplicate or stale update: nothing changed. */
  | { readonly _tag: 'Unchanged'; readonly topUp: TopUp };

export interface ApplyProviderUpdateOptions {
  /**
   * The top-up the update is about, when the transport already knows it
   * (e.g. from the per-top-up token of the callback URL); otherwise it is
   * found by the update's provider external id, or, when the update carries
   * none, by the provider's transaction id.
   */
  readonly topUpId?: string | undefined;
  /**
   * The top-up as the caller has just read it, at its stored version (the
   * callback's, found by its token): decided on without another read; when
   * it is stale, the update is decided again on a fresh read. Wins over
   * `topUpId`.
   */
  readonly known?: VersionedTopUp | undefined;
}

export type ApplyProviderUpdateError =
  | UnknownProviderTransaction
  | TopUpNotFound
  | AttemptNotFound
  | IllegalTransition
  | ProviderAnswerMismatch
  | SaveError
  | LedgerError
  | PersistenceFailure;

const ANSWER_FIELDS = { amount: 'receive.amount', currency: 'receive.currency' };

/**
 * The top-up an update is about: by the id the transport knows, else by the
 * attempt's provider external id, else by the transaction id this provider
 * gave the attempt.
 */
const topUpOf = (
  update: ProviderCallback,
  options: ApplyProviderUpdateOptions,
): Effect.Effect<
  VersionedTopUp,
  UnknownProviderTransaction | TopUpNotFound | PersistenceFailure,
  TopUpRepository | AirtimeProvider
> =>
  Effect.gen(function* () {
    if (options.known !== undefined) return options.known;
    if (options.topUpId !== undefined) return yield* loadTopUp(options.topUpId);
    const provider = yield* AirtimeProvider;
    const topUps = yield* TopUpRepository;
    const found = yield* update.providerExternalId === undefined
      ? topUps.findByProviderTransactionId(provider.id, update.providerTransactionId)
      : topUps.findByProviderExternalId(update.providerExternalId);
    return Option.isSome(found) ? found.value : yield* new UnknownProviderTransaction({ provider: provider.id });
  });

/** The attempt an update names: by our external id when it carries one, else by the provider's transaction id. */
const refOf = (update: ProviderCallback): AttemptRef =>
  update.providerExternalId === undefined
    ? { providerTransactionId: update.providerTransactionId }
    : { providerExternalId: update.providerExternalId };

/** The domain's change for an update, once its delivered amount (when given) holds to the top-up's. */
const changeFor =
  (update: ProviderCallback, providerId: string) =>
  (topUp: TopUp, now: Date): Either.Either<TopUpChange, AttemptNotFound | IllegalTransition | ProviderAnswerMismatch> =>
    Either.flatMap(
      update.receive === undefined
        ? Either.right(undefined)
        : checkDeliveredAmount(providerId, preciseOf(topUp.quote.receive), update.receive, ANSWER_FIELDS),
      // the provider's answer about the attempt, as a status query's: its transaction id is recorded on an
      // attempt that has none yet (a send that timed out, or whose answer is still on its way)
      () =>
        resolveUnknownAttempt(topUp, providerFound(update.status, update.providerTransactionId), now, refOf(update)),
    );

/**
 * Applies a provider's status update to the attempt it names (by provider
 * external id, else provider transaction id, within the top-up given in
 * `options` or found by that key). A delivered amount in another
 * currency, not positive or above what was asked is a
 * `ProviderAnswerMismatch` and applies nothing. The update's transaction id
 * is recorded on an attempt that has none yet. The top-up, its ledger
 * movements and its events are written together; a duplicate or stale
 * update answers `Unchanged` and writes nothing. Updates racing other
 * writers are decided again on a fresh read.
 */
export const applyProviderUpdate = (
  update: ProviderCallback,
  options: ApplyProviderUpdateOptions = {},
): Effect.Effect<
  ApplyProviderUpdateResult,
  ApplyProviderUpdateError,
  SaveServices | AirtimeProvider | Clock | UnitOfWork
> =>
  Effect.gen(function* () {
    const provider = yield* AirtimeProvider;
    const first = yield* topUpOf(update, options);
    // decided on the first read; a change meanwhile makes it decide again on a fresh one
    const result = yield* changeTopUpFrom(first, changeFor(update, provider.id));
    return result.changed ? { _tag: 'Applied', topUp: result.topUp } : { _tag: 'Unchanged', topUp: result.topUp };
  });
