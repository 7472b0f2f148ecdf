import {
  describeStatus,
  ExternalIdAlreadyUsed,
  formatProviderAmount,
  type Money,
  parseProviderAmount,
  type PhoneNumber,
  type ProviderError,
  type ProviderOutcomeUnknown,
  type ProviderTransaction,
  toInternationalDigits,
  preciseOf,
} from '@airtime/domain';
import {
  type AnswerReading,
  describeParseError,
  type ExchangeClientOptions,
  makeProviderTransport,
  providerFailures,
} from '@airtime/provider-http-kit';
import { Effect, Either, Redacted, Schema } from 'effect';
import { AFRICASTALKING_PROVIDER_ID as PROVIDER, type AfricasTalkingConfig } from '../config/africastalking.config';
import { type AtStatus, immediateStatusOf, isPendingAtStatus, isRetryableAtFailure } from '../status/status.mapping';
import { type AtRecipientAnswer, type AtSendAnswer, AtSendAnswerFromJson, isMeaningful } from './airtime-send.schema';

export const AIRTIME_SEND_PATH = '/version1/airtime/send';
/** AT writes amounts with four decimals: "KES 100.0000". */
export const AT_AMOUNT_FRACTION_DIGITS = 4;

export interface AirtimeSendRequest {
  /** Our attempt id: sent as the `Idempotency-Key` header. */
  readonly providerExternalId: string;
  readonly destination: PhoneNumber;
  readonly amount: Money;
}

/** AT took the request (Sent, Queued) or, rarely, already delivered it (Success). */
export interface AirtimeSendAccepted {
  readonly atStatus: AtStatus;
  /** AT's transaction id ("ATQid_..."): status and validation callbacks name it. */
  readonly requestId: string;
  readonly amount: Money;
  readonly discount?: Money;
  readonly transaction: ProviderTransaction;
}

export type AirtimeSendClientOptions = ExchangeClientOptions;

export interface AirtimeSendClient {
  readonly send: (request: AirtimeSendRequest) => Effect.Effect<AirtimeSendAccepted, ProviderError>;
}

// Every failure to read a 2xx answer is an unknown outcome: AT took the request and may deliver it.
const { rejected, unknown } = providerFailures(PROVIDER);

// AT refuses a request it has already seen ("A duplicate request was received within the last 5 minutes").
const isDuplicate = (text: string | undefined): boolean => text !== undefined && /duplicate/i.test(text);

const sameNumber = (answered: string, phone: PhoneNumber): boolean =>
  answered.replace(/^\+/, '') === toInternationalDigits(phone);

/** Our recipient's line: the one with our number, or the only one. */
const recipientLine = (answer: AtSendAnswer, phone: PhoneNumber): AtRecipientAnswer | undefined =>
  answer.responses.find((line) => sameNumber(line.phoneNumber, phone)) ??
  (answer.responses.length === 1 ? answer.responses[0] : undefined);

const parseAmount = (text: string | undefined, field: string): Either.Either<Money, ProviderOutcomeUnknown> =>
  text === undefined
    ? Either.left(unknown(`${field} is missing`))
    : Either.mapLeft(parseProviderAmount(text), () => unknown(`${field} is not an amount such as "KES 100.0000"`));

/**
 * A decoded 2xx answer to a send. Reasons name AT's fields and statuses,
 * never AT's texts (an `errorMessage` may quote the number or our key): the
 * transfer log keeps the answer, redacted.
 */
export const mapSendAnswer = (
  answer: AtSendAnswer,
  request: AirtimeSendRequest,
): Either.Either<AirtimeSendAccepted, ProviderError> => {
  const line = recipientLine(answer, request.destination);
  if (line === undefined) {
    if (answer.responses.length > 0 || !isMeaningful(answer.errorMessage))
      return Either.left(unknown('no answer for the recipient'));
    if (isDuplicate(answer.errorMessage)) {
      return Either.left(
        new ExternalIdAlreadyUsed({ provider: PROVIDER, providerExternalId: request.providerExternalId }),
      );
    }
    // nothing was sent (no recipient line): a refusal of the whole request
    return Either.left(rejected('RequestRefused', 'errorMessage refuses the whole request, with no recipient line'));
  }
  const { status } = line;
  if (!isPendingAtStatus(status) && status !== 'Success') {
    if (isDuplicate(line.errorMessage)) {
      return Either.left(
        new ExternalIdAlreadyUsed({ provider: PROVIDER, providerExternalId: request.providerExternalId }),
      );
    }
    const detail = isMeaningful(line.errorMessage) ? ' (with an errorMessage)' : '';
    return Either.left(
      rejected(status, `${describeStatus(immediateStatusOf(status).status)}${detail}`, isRetryableAtFailure(status)),
    );
  }
  if (!isMeaningful(line.requestId)) return Either.left(unknown(`status ${status} without a requestId`));
  const requestId = line.requestId;
  return Either.gen(function* () {
    const amount = yield* parseAmount(line.amount, 'responses.amount');
    const discount = line.discount === undefined ? undefined : yield* parseAmount(line.discount, 'responses.discount');
    return {
      atStatus: status,
      requestId,
      amount,
      ...(discount === undefined ? {} : { discount }),
      transaction: {
        providerTransactionId: requestId,
        providerExternalId: request.providerExternalId,
        status: immediateStatusOf(status),
        receive: preciseOf(amount),
      },
    };
  });
};

/** How AT's answers to a send are read (the statuses every provider means alike are read by the transport). */
const sendAnswerReading = (request: AirtimeSendRequest): AnswerReading<AirtimeSendAccepted> => ({
  kind: 'send',
  providerExternalId: request.providerExternalId,
  // AT's 4xx bodies are free text: the reason names the status only, the transfer log keeps the body
  refusal: (response) => rejected(`HTTP_${response.status}`, `refused with HTTP ${response.status}`),
  success: (response) =>
    Schema.decodeUnknownEither(AtSendAnswerFromJson)(response.bodyText, { errors: 'all' }).pipe(
      Either.mapLeft((error) => unknown(describeParseError(error))),
      Either.flatMap((answer) => mapSendAnswer(answer, request)),
    ),
});

/** The client of POST /version1/airtime/send: one recipient per call, the attempt id as idempotency key. */
export const makeAirtimeSendClient = (
  config: AfricasTalkingConfig,
  options: AirtimeSendClientOptions = {},
): AirtimeSendClient => {
  const transport = makeProviderTransport({
    ...options,
    provider: PROVIDER,
    baseUrlVariable: 'AFRICASTALKING_BASE_URL',
    secrets: [Redacted.value(config.apiKey)],
  });

  return {
    send: (request) =>
      Effect.suspend(() =>
        transport.call(
          {
            method: 'POST',
            url: `${config.baseUrl}${AIRTIME_SEND_PATH}`,
            headers: {
              apiKey: Redacted.value(config.apiKey),
              Accept: 'application/json',
              'Content-Type': 'application/json',
              'Idempotency-Key': request.providerExternalId,
            },
            body: JSON.stringify({
              username: config.username,
              recipients: [
                {
                  phoneNumber: request.destination.e164,
                  amount: formatProviderAmount(request.amount, AT_AMOUNT_FRACTION_DIGITS),
                },
              ],
            }),
            timeoutMs: config.timeoutMs,
            reference: request.providerExternalId,
            destination: request.destination,
          },
          sendAnswerReading(request),
        ),
      ),
  };
};
