// Send an attempt: start it (committed, durable) before the provider hears of
// it, send, and apply the answer in a second unit of work. The domain decides
// whether an attempt may start and what the answer means.
import {
  type Attempt,
  type AttemptNotFound,
  type AttemptRef,
  AirtimeProvider,
  checkSendAnswer,
  Clock,
  type ConcurrentModification,
  type IllegalTransition,
  type LedgerError,
  type PersistenceFailure,
  type ProviderAnswerMismatch,
  type ProviderError,
  providerFound,
  providerNotFound,
  type ProviderStatusAnswer,
  attemptUnknown,
  recordAttemptOutcome,
  resolveUnknownAttempt,
  startAttempt,
  type TopUp,
  type TopUpChange,
  UnitOfWork,
} from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { ProviderCallbackUrls } from '../ports/provider-callback-urls.port';
import { TopUpRequestStore } from '../ports/top-up-requests.port';
import type { SaveServices } from '../top-up-change/save-top-up-change.use-case';
import {
  changeTopUpFrom,
  loadTopUp,
  commitTopUpChange,
  type VersionedTopUp,
} from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { readingOfSendError, readingOfTransaction, type SendReading } from './send-outcome.mapper';

/** What sendAttempt did. */
export type SendAttemptResult =
  /** An attempt was started, sent, and its answer applied. */
  | { readonly _tag: 'Sent'; readonly topUp: TopUp; readonly attemptNumber: number }
  /**
   * No attempt was started: the domain refused one now (final, an unsettled
   * attempt, not due, exhausted...) or another worker started it first
   * (`ConcurrentModification`). Nothing was sent.
   */
  | { readonly _tag: 'NotStarted'; readonly topUp: TopUp; readonly reason: string };

export type SendAttemptError =
  TopUpNotFound | AttemptNotFound | IllegalTransition | ConcurrentModification | LedgerError | PersistenceFailure;

export type SendAttemptServices = SaveServices | AirtimeProvider | Clock | UnitOfWork;

/** The answer's fields as named in a status or send answer (for a mismatch's `field`). */
const ANSWER_FIELDS = { externalId: 'providerExternalId', amount: 'receive.amount', currency: 'receive.currency' };

/**
 * Asks the provider what became of an attempt (status by external id). A
 * transaction it has is held to the request (ours, the currency, not more
 * than asked) before it counts: `ProviderAnswerMismatch` otherwise.
 */
export const queryAttemptStatus = (
  topUp: TopUp,
  attempt: Attempt,
): Effect.Effect<ProviderStatusAnswer, ProviderError, AirtimeProvider> =>
  Effect.gen(function* () {
    const provider = yield* AirtimeProvider;
    const found = yield* provider.statusByExternalId(attempt.providerExternalId);
    if (Option.isNone(found)) return providerNotFound;
    const checked: Either.Either<unknown, ProviderAnswerMismatch> = checkSendAnswer(
      provider.id,
      { providerExternalId: attempt.providerExternalId, receive: topUp.quote.receive },
      found.value,
      ANSWER_FIELDS,
    );
    if (Either.isLeft(checked)) return yield* checked.left;
    return providerFound(found.value.status, found.value.providerTransactionId);
  });

/** "External id already used": the transaction the provider has is the answer; anything short of it is unknown. */
const existingTransaction = (topUp: TopUp, attempt: Attempt): Effect.Effect<SendReading, never, AirtimeProvider> =>
  queryAttemptStatus(topUp, attempt).pipe(
    Effect.map((answer): SendReading =>
      answer._tag === 'Found'
        ? { _tag: 'Answer', answer }
        : {
            _tag: 'Outcome',
            outcome: attemptUnknown(
              'UNCLEAR_ANSWER_AFTER_SEND',
              'the external id is used, yet no transaction was found',
            ),
          },
    ),
    Effect.catchAll((error) =>
      Effect.succeed<SendReading>({
        _tag: 'Outcome',
        outcome: attemptUnknown(
          'UNCLEAR_ANSWER_AFTER_SEND',
          `the existing transaction could not be read: ${error.code}`,
        ),
      }),
    ),
  );

/** The top-up's provider callback URL, when the app serves them (`ProviderCallbackUrls`) and its request has a token. */
const callbackUrlOf = (topUp: TopUp): Effect.Effect<string | undefined, PersistenceFailure, TopUpRequestStore> =>
  Effect.gen(function* () {
    const urls = yield* Effect.serviceOption(ProviderCallbackUrls);
    if (Option.isNone(urls)) return undefined;
    const request = yield* (yield* TopUpRequestStore).findByTopUpId(topUp.id);
    return Option.isSome(request) ? urls.value.urlFor(request.value.callbackToken) : undefined;
  });

/** Sends the attempt and reads what came back; never fails (a failure is an outcome). */
const send = (
  topUp: TopUp,
  attempt: Attempt,
  callbackUrl: string | undefined,
): Effect.Effect<SendReading, never, AirtimeProvider | Clock> =>
  Effect.gen(function* () {
    const provider = yield* AirtimeProvider;
    const clock = yield* Clock;
    const answer = yield* Effect.either(
      provider.send({
        providerExternalId: attempt.providerExternalId,
        product: topUp.quote.product,
        destination: topUp.destination,
        receive: topUp.quote.receive,
        ...(callbackUrl === undefined ? {} : { callbackUrl }),
      }),
    );
    const reading = Either.isRight(answer)
      ? readingOfTransaction(answer.right)
      : readingOfSendError(answer.left, yield* clock.now());
    return reading._tag === 'AlreadyUsed' ? yield* existingTransaction(topUp, attempt) : reading;
  });

/** The domain's change for a reading of attempt `ref`. */
export const applyReading = (
  topUp: TopUp,
  reading: SendReading,
  now: Date,
  ref: AttemptRef,
): Either.Either<TopUpChange, AttemptNotFound | IllegalTransition> => {
  switch (reading._tag) {
    case 'Outcome':
      return recordAttemptOutcome(topUp, reading.outcome, now, ref);
    case 'Answer':
      return resolveUnknownAttempt(topUp, reading.answer, now, ref);
    case 'AlreadyUsed':
      // read by `send` before it gets here; as an unknown outcome it can never lead to a resend
      return recordAttemptOutcome(topUp, attemptUnknown('UNCLEAR_ANSWER_AFTER_SEND'), now, ref);
  }
};

/**
 * Starts the next attempt of a top-up (when the domain allows it now),
 * commits it, sends it, and applies the answer. Another worker starting the
 * same attempt first (`ConcurrentModification` on the start) means nothing
 * is sent here. When the app provides `ProviderCallbackUrls`, the send
 * carries the top-up's callback URL (with its token). See
 * `SendAttemptResult`.
 *
 * `known` is the top-up as the caller holds it at its stored version (the
 * consumer's just created one; a copy of another top-up is a defect): the
 * attempt is started from it without a read, under that version. Should the
 * domain refuse the start on the copy, or another writer have changed the
 * top-up meanwhile (the start's write fails), everything is decided again
 * on a fresh read, as without `known`: the attempt this call lost is never
 * sent, and one the fresh read may start (a retry that came due) is. The
 * answer is applied to the top-up as this start committed it, again under
 * its version: a callback that came first makes that write fail and the
 * answer is decided again on a fresh read (`changeTopUpFrom`).
 */
export const sendAttemptReporting = (
  topUpId: string,
  known?: VersionedTopUp,
): Effect.Effect<SendAttemptResult, SendAttemptError, SendAttemptServices> =>
  Effect.gen(function* () {
    if (known !== undefined && known.topUp.id !== topUpId)
      return yield* Effect.dieMessage(`sendAttemptReporting: the copy in hand is of another top-up than ${topUpId}`);
    const before = known ?? (yield* loadTopUp(topUpId));
    const callbackUrl = yield* callbackUrlOf(before.topUp);
    const provider = yield* AirtimeProvider;
    const now = yield* (yield* Clock).now();
    const started = startAttempt(before.topUp, now, provider.id);
    if (Either.isLeft(started)) {
      if (known !== undefined) return yield* sendAttemptReporting(topUpId);
      return { _tag: 'NotStarted', topUp: before.topUp, reason: started.left._tag } as const;
    }
    const committed = yield* commitTopUpChange(before, started.right).pipe(
      Effect.map(Option.some),
      Effect.catchTag('ConcurrentModification', () => Effect.succeed(Option.none<VersionedTopUp>())),
    );
    if (Option.isNone(committed)) {
      if (known !== undefined) return yield* sendAttemptReporting(topUpId);
      const current = yield* loadTopUp(topUpId);
      return { _tag: 'NotStarted', topUp: current.topUp, reason: 'ConcurrentModification' } as const;
    }
    // the attempt is durable: only now may the request leave
    const { attempt } = started.right;
    const reading = yield* send(started.right.topUp, attempt, callbackUrl);
    const settled = yield* changeTopUpFrom(committed.value, (topUp, at) =>
      applyReading(topUp, reading, at, { attemptNumber: attempt.number }),
    );
    return { _tag: 'Sent', topUp: settled.topUp, attemptNumber: attempt.number } as const;
  });

/** `sendAttemptReporting`, answering the top-up as it is afterwards. */
export const sendAttempt = (topUpId: string): Effect.Effect<TopUp, SendAttemptError, SendAttemptServices> =>
  Effect.map(sendAttemptReporting(topUpId), (result) => result.topUp);
