// Africa's Talking's two callbacks (reference: africastalking-airtime-request-flow.txt
// and airtime-service-endpoints.txt), backed by the top-up store so any API
// process answers: the validation callback (release this airtime?) and the
// status callback (the final status of a send). Bodies are read with the AT
// adapter's own schemas and matching rules.
import {
  applyProviderStatus,
  type ApplyProviderStatusError,
  type ApplyProviderStatusResult,
  validateProviderSend,
} from '@airtime/application';
import {
  type InvalidProviderCallback,
  type PersistenceFailure,
  type PhoneNumber,
  TopUpRepository,
} from '@airtime/domain';
import {
  AFRICASTALKING_PROVIDER_ID,
  answerValidationCallback,
  type AtValidationAnswer,
  parseAfricasTalkingStatusCallback,
  statusCallbackNumber,
  toProviderCallback,
} from '@airtime/provider-africastalking';
import { Effect, Either, Option } from 'effect';
import type { InvalidRequest } from '../../http/http.errors';
import { fieldOfReason, invalidCallbackBody } from './callback-body.check';
import { CallbackConflict, UnknownCallback } from './callbacks.errors';
import { logUnknownCallback } from './unknown-callback.format';

/** An AT refusal of a body, as the API tells it: 400 naming the field. */
const invalidBody = (error: InvalidProviderCallback): InvalidRequest =>
  invalidCallbackBody(error.reason, fieldOfReason(error.reason));

/**
 * Answers AT's validation callback: `{"status":"Validated"}` only for an open
 * send of ours to AT with the same transaction id, number, amount and
 * currency (`validateProviderSend`, then the adapter's `matchesSentAirtime`);
 * `{"status":"Failed"}` for anything else. A body missing a field is
 * InvalidRequest (400).
 */
export const answerAtValidation = (
  body: unknown,
): Effect.Effect<AtValidationAnswer, InvalidRequest | PersistenceFailure, TopUpRepository> =>
  answerValidationCallback(body, (transactionId) =>
    validateProviderSend({ providerId: AFRICASTALKING_PROVIDER_ID, providerTransactionId: transactionId }),
  ).pipe(Effect.catchTag('InvalidProviderCallback', (error) => Effect.fail(invalidBody(error))));

/**
 * The number of a status callback: AT writes E.164, possibly without the
 * "+", or nationally; read in the country of `recipient`, the number of the
 * top-up the requestId names (`statusCallbackNumber`), so our recipient
 * written nationally is our recipient, and anyone else stays someone else.
 */
const destinationOf = (text: string, recipient: PhoneNumber | undefined): Either.Either<PhoneNumber, InvalidRequest> =>
  Either.mapLeft(statusCallbackNumber(text, recipient), (error) =>
    invalidCallbackBody(`phoneNumber is not a phone number: ${error.reason}`, 'phoneNumber'),
  );

/** The recipient of the top-up one of whose AT attempts has `requestId`, if any. */
const recipientOf = (requestId: string): Effect.Effect<PhoneNumber | undefined, PersistenceFailure, TopUpRepository> =>
  Effect.map(
    Effect.flatMap(TopUpRepository, (topUps) =>
      topUps.findByProviderTransactionId(AFRICASTALKING_PROVIDER_ID, requestId),
    ),
    (found) => Option.getOrUndefined(Option.map(found, ({ topUp }) => topUp.destination)),
  );

export type AtStatusError =
  | InvalidRequest
  | UnknownCallback
  | CallbackConflict
  | Exclude<
      ApplyProviderStatusError,
      {
        readonly _tag: 'UnknownProviderTransaction' | 'TopUpNotFound' | 'AttemptNotFound' | 'IllegalTransition';
      }
    >;

/**
 * Takes AT's status callback as a hint (it is unsigned): the top-up whose AT
 * attempt has this requestId and number (read in the country of that
 * top-up's recipient: '0711000111' is +254711000111 for a Kenyan
 * recipient) is settled by asking the configured
 * provider (`applyProviderStatus`), never by the posted status: `Applied`
 * when the provider's answer settled it, else `Unchanged` (a repeat, still
 * pending, or a provider that cannot be asked: left to reconciliation). A
 * body missing a field, with a status AT does not define or an amount that
 * cannot be read is InvalidRequest (400); a requestId or number of no
 * top-up of ours, or an attempt the configured provider cannot answer for
 * (another provider), is UnknownCallback (404).
 */
export const applyAtStatus = (
  body: unknown,
): Effect.Effect<
  ApplyProviderStatusResult,
  AtStatusError,
  Effect.Effect.Context<ReturnType<typeof applyProviderStatus>>
> =>
  Effect.gen(function* () {
    const notice = yield* Either.mapLeft(parseAfricasTalkingStatusCallback(body), invalidBody);
    const providerTransactionId = toProviderCallback(notice).providerTransactionId;
    const destination = yield* destinationOf(notice.phoneNumber, yield* recipientOf(providerTransactionId));
    return yield* applyProviderStatus({
      providerId: AFRICASTALKING_PROVIDER_ID,
      providerTransactionId,
      destination,
    }).pipe(
      Effect.catchTags({
        UnknownProviderTransaction: () => Effect.fail(new UnknownCallback({ provider: AFRICASTALKING_PROVIDER_ID })),
        TopUpNotFound: () => Effect.fail(new UnknownCallback({ provider: AFRICASTALKING_PROVIDER_ID })),
        AttemptNotFound: () => Effect.fail(new UnknownCallback({ provider: AFRICASTALKING_PROVIDER_ID })),
        IllegalTransition: () => Effect.fail(new CallbackConflict({ provider: AFRICASTALKING_PROVIDER_ID })),
      }),
      Effect.tapErrorTag('UnknownCallback', logUnknownCallback),
    );
  });
