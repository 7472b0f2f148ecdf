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
  parsePhoneNumber,
  type PersistenceFailure,
  type PhoneNumber,
  type TopUpRepository,
} from '@airtime/domain';
import {
  AFRICASTALKING_PROVIDER_ID,
  answerValidationCallback,
  type AtValidationAnswer,
  parseAfricasTalkingStatusCallback,
  toProviderCallback,
} from '@airtime/provider-africastalking';
import { Effect, Either } from 'effect';
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

/** The number of a status callback: AT writes E.164, possibly without the "+". */
const destinationOf = (text: string): Either.Either<PhoneNumber, InvalidRequest> => {
  const trimmed = text.trim();
  return Either.mapLeft(parsePhoneNumber(trimmed.startsWith('+') ? trimmed : `+${trimmed}`), (error) =>
    invalidCallbackBody(`phoneNumber is not a phone number: ${error.reason}`, 'phoneNumber'),
  );
};

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
 * attempt has this requestId and number is settled by asking the configured
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
    const destination = yield* destinationOf(notice.phoneNumber);
    return yield* applyProviderStatus({
      providerId: AFRICASTALKING_PROVIDER_ID,
      providerTransactionId: toProviderCallback(notice).providerTransactionId,
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
