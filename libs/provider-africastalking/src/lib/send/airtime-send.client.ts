import {
  checkDeliveredAmount,
  comparePrecise,
  sameCurrency,
  describeStatus,
  formatProviderAmount,
  type Money,
  parseProviderAmount,
  type PhoneNumber,
  type PreciseMoney,
  ProviderAnswerMismatch,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRetryLater,
  type ProviderTransaction,
  parseInternationalDigits,
  parseNationalNumber,
  parsePhoneNumber,
  preciseOf,
  describeParseError,
} from '@airtime/domain';
import {
  type AnswerReading,
  type ExchangeClientOptions,
  makeProviderTransport,
  providerFailures,
} from '@airtime/provider-http-kit';
import { Effect, Either, Redacted, Schema } from 'effect';
import { AFRICASTALKING_PROVIDER_ID as PROVIDER, type AfricasTalkingConfig } from '../config/africastalking.config';
import { type AtStatus, immediateStatusOf, isPendingAtStatus, isRetryableAtFailure } from '../status/status.mapper';
import { type AtRecipientAnswer, type AtSendAnswer, AtSendAnswerFromJson, isMeaningful } from './airtime-send.schema';
import { parseAtAmount } from './at-amount.codec';

export const AIRTIME_SEND_PATH = '/version1/airtime/send';
/** AT writes amounts with four decimals: "KES 100.0000". */
export const AT_AMOUNT_FRACTION_DIGITS = 4;

export interface AirtimeSendRequest {
  /** Our attempt id: sent as the `Idempotency-Key` header. */
  readonly providerExternalId: string;
  readonly destination: PhoneNumber;
  readonly amount: Money;
}

/** AT took the request (Sent, Queued, or Success, which is never final in the immediate answer: SUBMITTED). */
export interface AirtimeSendAccepted {
  readonly atStatus: AtStatus;
  /** AT's transaction id ("ATQid_..."): status and validation callbacks name it. */
  readonly requestId: string;
  /** What AT says it accepted to deliver, exactly as written, held to the request (same currency, at most asked). */
  readonly amount: PreciseMoney;
  readonly discount?: Money | undefined;
  readonly transaction: ProviderTransaction;
}

export type AirtimeSendClientOptions = ExchangeClientOptions;

export interface AirtimeSendClient {
  readonly send: (request: AirtimeSendRequest) => Effect.Effect<AirtimeSendAccepted, ProviderError>;
}

// Every failure to read a 2xx answer is an unknown outcome: AT took the request and may deliver it.
const { rejected, unknown } = providerFailures(PROVIDER);

/** The wait when AT says "not now" without naming one; and the longest we believe (the minutes come from AT's text). */
export const AT_RETRY_LATER_DEFAULT_MINUTES = 5;
const MAX_RETRY_LATER_MINUTES = 60;

// "not now" texts: a duplicate within AT's window, or an explicit "try again / retry later"
const NOT_NOW = /\bduplicate\b|\btry again\b|\blater\b/i;
// the wait AT names: "within the last 10 minutes", "in 10 minutes", "after 1 hour", "in 30 seconds"
const NAMED_WAIT = /(\d{1,6})\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?)\b/i;

/**
 * AT says "not now" (nothing sent): a duplicate (a second top-up of the same
 * amount to the same number within a window: "A duplicate request was
 * received within the last 5 minutes"; our Idempotency-Keys are always
 * fresh, so never our key reused) or a "try again later" ("Please try again
 * later", "... try again in 10 minutes"). The minutes to wait: the window AT
 * names (seconds rounded up, hours as minutes), else 5; at least 1, at most 60.
 */
const retryLaterMinutes = (text: string | undefined): number | undefined => {
  if (text === undefined || !NOT_NOW.test(text)) return undefined;
  const named = NAMED_WAIT.exec(text);
  if (named?.[1] === undefined || named[2] === undefined) return AT_RETRY_LATER_DEFAULT_MINUTES;
  const count = Number(named[1]);
  const unit = named[2].toLowerCase();
  const minutes = unit.startsWith('s') ? Math.ceil(count / 60) : unit.startsWith('h') ? count * 60 : count;
  return Math.min(Math.max(minutes, 1), MAX_RETRY_LATER_MINUTES);
};

const retryLater = (minutes: number, now: Date) =>
  new ProviderRetryLater({
    provider: PROVIDER,
    reason: `errorMessage says "not now" (a duplicate or "try again later"): nothing was sent; retry after ${minutes} minutes`,
    earliestRetryAt: new Date(now.getTime() + minutes * 60_000),
  });

/**
 * The number of a line, read as the domain reads numbers (E.164, or
 * international digits, or the way the recipient's country writes it), in
 * E.164; undefined when it is not a number.
 */
const answeredNumber = (answered: string, phone: PhoneNumber): string | undefined => {
  const text = answered.trim();
  const parsed = Either.orElse(
    Either.orElse(parsePhoneNumber(text), () => parseInternationalDigits(text)),
    () => parseNationalNumber(text, phone.countryIso),
  );
  return Either.isRight(parsed) ? parsed.right.e164 : undefined;
};

const sameNumber = (answered: string, phone: PhoneNumber): boolean => answeredNumber(answered, phone) === phone.e164;

/**
 * Our recipient's line: the one naming our number (in any form the domain
 * reads). A single line naming another number, or none, is a mismatch: AT
 * answered about someone else; so are two lines naming ours, or a line
 * about another number beside ours (one recipient is sent per call).
 */
const recipientLine = (
  answer: AtSendAnswer,
  phone: PhoneNumber,
): Either.Either<AtRecipientAnswer | undefined, ProviderAnswerMismatch> => {
  const ours = answer.responses.filter((line) => sameNumber(line.phoneNumber, phone));
  // one recipient was sent: two lines about it (Failed and Sent, two requestIds) cannot both be true
  if (ours.length > 1)
    return Either.left(
      new ProviderAnswerMismatch({
        provider: PROVIDER,
        field: 'responses.phoneNumber',
        reason: 'more than one recipient line names the number sent to',
      }),
    );
  // one recipient was sent: a line about another number beside ours would be charged to us for someone else
  if (ours[0] !== undefined && answer.responses.length > 1)
    return Either.left(
      new ProviderAnswerMismatch({
        provider: PROVIDER,
        field: 'responses.phoneNumber',
        reason: 'a recipient line names another number than the one sent to',
      }),
    );
  if (ours[0] !== undefined) return Either.right(ours[0]);
  if (answer.responses.length === 1)
    return Either.left(
      new ProviderAnswerMismatch({
        provider: PROVIDER,
        field: 'responses.phoneNumber',
        reason: 'the only recipient line names another number than the one sent to',
      }),
    );
  return Either.right(undefined);
};

const parseAmount = (text: string | undefined, field: string): Either.Either<Money, ProviderOutcomeUnknown> =>
  text === undefined
    ? Either.left(unknown(`${field} is missing`))
    : Either.mapLeft(parseProviderAmount(text), () => unknown(`${field} is not an amount such as "KES 100.0000"`));

/** The statuses by which AT says it took a send (read trimmed, in any case): Sent, Queued, Success. */
const TAKEN_STATUSES: ReadonlySet<string> = new Set(['sent', 'queued', 'success']);

/** The fields whose value can show that AT may have taken a send. */
export type SendTakenEvidence =
  'responses.requestId' | 'responses.status' | 'responses.discount' | 'numSent' | 'totalAmount' | 'totalDiscount';

/**
 * Whether a count or an amount AT wrote counts something: a number other
 * than 0, or a text with a non-zero digit ("1", "KES 100.0000", "100.0000
 * KES"; "0", "KES 0.0000" count nothing).
 */
const countsSomething = (value: unknown): boolean =>
  (typeof value === 'number' && value !== 0 && !Number.isNaN(value)) ||
  (typeof value === 'string' && /[1-9]/.test(value));

/** Whether a recipient line names an AT transaction: a requestId other than "None" or blank, or any number. */
const namesTransaction = (requestId: unknown): boolean =>
  typeof requestId === 'number' || (typeof requestId === 'string' && isMeaningful(requestId));

const fieldOf = (from: object, name: string): unknown =>
  Object.hasOwn(from, name) ? (from as Record<string, unknown>)[name] : undefined;

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** How deep an answer is searched (AT writes two levels; a deeper body is searched to this depth). */
const MAX_ANSWER_DEPTH = 16;

/**
 * The one rule by which every answer to a send (2xx or 4xx, read loosely: no
 * field required, any status, any type) shows that AT may have taken it, and
 * the field that shows it; undefined when nothing does. Shown by: a recipient
 * line (an element of a `responses` array) with a requestId (text other than
 * "None", or a number), a taken status (Sent, Queued, Success, in any case),
 * or a discount counting something; or `numSent`, `totalAmount` or
 * `totalDiscount` counting something (numbers or text: "1", "KES 100.0000").
 * The answer is searched wherever AT may have put it (nested, in an array).
 * The immediate answer is never final (reference: "Arrow 1b should NOT be
 * treated as the final response"): only an answer that shows none of these
 * proves nothing was taken, and may be read as a refusal or a "not now".
 */
export const sendTakenEvidence = (answer: unknown, depth = 0): SendTakenEvidence | undefined => {
  if (!isObject(answer) || depth > MAX_ANSWER_DEPTH) return undefined;
  if (Array.isArray(answer)) {
    for (const element of answer) {
      const found = sendTakenEvidence(element, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const total of ['numSent', 'totalAmount', 'totalDiscount'] as const)
    if (countsSomething(fieldOf(answer, total))) return total;
  const responses = fieldOf(answer, 'responses');
  if (Array.isArray(responses))
    for (const line of responses as readonly unknown[]) {
      if (!isObject(line) || Array.isArray(line)) continue;
      if (namesTransaction(fieldOf(line, 'requestId'))) return 'responses.requestId';
      const status = fieldOf(line, 'status');
      if (typeof status === 'string' && TAKEN_STATUSES.has(status.trim().toLowerCase())) return 'responses.status';
      if (countsSomething(fieldOf(line, 'discount'))) return 'responses.discount';
    }
  for (const value of Object.values(answer)) {
    const found = sendTakenEvidence(value, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
};

/**
 * A refusal (or "not now") that the answer itself contradicts: AT may have
 * taken the request, so it is an unknown outcome, never a failure that
 * licenses another attempt. The reason names the field, never its value.
 */
const unprovenRefusal = (where: string, evidence: SendTakenEvidence) =>
  new ProviderOutcomeUnknown({
    provider: PROVIDER,
    reason: `${where} refuses the send, but ${evidence} shows it may have been taken`,
    kind: 'UNPROVEN_REFUSAL',
  });

/**
 * A decoded 2xx answer to a send. Reasons name AT's fields and statuses,
 * never AT's texts (an `errorMessage` may quote the number or our key): the
 * transfer log keeps the answer, redacted. `body` is the answer as AT wrote
 * it (read loosely), which `sendTakenEvidence` searches before any refusal;
 * the decoded answer by default.
 */
export const mapSendAnswer = (
  answer: AtSendAnswer,
  request: AirtimeSendRequest,
  now: Date,
  body: unknown = answer,
): Either.Either<AirtimeSendAccepted, ProviderError> => {
  const found = recipientLine(answer, request.destination);
  if (Either.isLeft(found)) return Either.left(found.left);
  const line = found.right;
  if (line === undefined) {
    if (answer.responses.length > 0 || !isMeaningful(answer.errorMessage))
      return Either.left(unknown('no answer for the recipient'));
    const evidence = sendTakenEvidence(body);
    if (evidence !== undefined) return Either.left(unprovenRefusal('errorMessage', evidence));
    const window = retryLaterMinutes(answer.errorMessage);
    if (window !== undefined) return Either.left(retryLater(window, now));
    // nothing was sent (no recipient line): a refusal of the whole request
    return Either.left(rejected('RequestRefused', 'errorMessage refuses the whole request, with no recipient line'));
  }
  const { status } = line;
  if (!isPendingAtStatus(status)) {
    const evidence = sendTakenEvidence(body);
    if (evidence !== undefined) return Either.left(unprovenRefusal(`status ${status}`, evidence));
    const window = retryLaterMinutes(line.errorMessage);
    if (window !== undefined) return Either.left(retryLater(window, now));
    const detail = isMeaningful(line.errorMessage) ? ' (with an errorMessage)' : '';
    return Either.left(
      rejected(status, `${describeStatus(immediateStatusOf(status).status)}${detail}`, isRetryableAtFailure(status)),
    );
  }
  if (!isMeaningful(line.requestId)) return Either.left(unknown(`status ${status} without a requestId`));
  // the id AT's callbacks name, without the blanks an answer may pad it with
  const requestId = line.requestId.trim();
  return Either.gen(function* () {
    if (line.amount === undefined) return yield* Either.left(unknown('responses.amount is missing'));
    // what AT accepted, held to what was asked: exact, same currency, positive, not above the request
    const answered = yield* Either.mapLeft(
      parseAtAmount(line.amount),
      (reason) => new ProviderAnswerMismatch({ provider: PROVIDER, field: 'responses.amount', reason }),
    );
    const amount = yield* checkDeliveredAmount(PROVIDER, preciseOf(request.amount), answered, {
      amount: 'responses.amount',
      currency: 'responses.amount',
    });
    // the totals, when readable, are held to the one recipient asked: more sent or charged is not this send
    if (answer.numSent !== undefined && answer.numSent > 1)
      return yield* Either.left(
        new ProviderAnswerMismatch({
          provider: PROVIDER,
          field: 'numSent',
          reason: 'more recipients sent than the one asked',
        }),
      );
    const total =
      answer.totalAmount === undefined ? undefined : Either.getOrUndefined(parseAtAmount(answer.totalAmount));
    if (total !== undefined && !sameCurrency(total.currency, request.amount.currency))
      return yield* Either.left(
        new ProviderAnswerMismatch({
          provider: PROVIDER,
          field: 'totalAmount',
          reason: 'a currency other than the requested one',
        }),
      );
    if (total !== undefined && comparePrecise(total, preciseOf(request.amount)) === 1)
      return yield* Either.left(
        new ProviderAnswerMismatch({ provider: PROVIDER, field: 'totalAmount', reason: 'above the requested amount' }),
      );
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
        receive: amount,
      },
    };
  });
};

const LooseJson = Schema.parseJson(Schema.Unknown);

/** A body read as JSON, with no shape required; undefined when it is no JSON. */
const looseBody = (bodyText: string): unknown => Either.getOrUndefined(Schema.decodeUnknownEither(LooseJson)(bodyText));

/** How AT's answers to a send are read (the statuses every provider means alike are read by the transport). */
const sendAnswerReading = (request: AirtimeSendRequest, nowMs: () => number): AnswerReading<AirtimeSendAccepted> => ({
  kind: 'send',
  // no fetchableExternalId: AT has no status query, so a 409 is an unknown outcome, never "already used"
  // AT's 4xx bodies are free text: the reason names the status (and the field showing a take), the transfer log
  // keeps the body; a 4xx is read by the same rule as a 2xx
  refusal: (response) => {
    const evidence = sendTakenEvidence(looseBody(response.bodyText));
    return evidence !== undefined
      ? unprovenRefusal(`HTTP ${response.status}`, evidence)
      : rejected(`HTTP_${response.status}`, `refused with HTTP ${response.status}`);
  },
  success: (response) =>
    Schema.decodeUnknownEither(AtSendAnswerFromJson)(response.bodyText, { errors: 'all' }).pipe(
      Either.mapLeft((error) => unknown(describeParseError(error))),
      Either.flatMap((answer) =>
        mapSendAnswer(answer, request, new Date(nowMs()), looseBody(response.bodyText) ?? answer),
      ),
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
      Effect.suspend(() => {
        // an amount that cannot be written as AT reads it is refused before anything is sent
        const amount = formatProviderAmount(request.amount, AT_AMOUNT_FRACTION_DIGITS);
        if (Either.isLeft(amount))
          return Effect.fail(rejected('amount', `amount not sendable: ${amount.left.message}`));
        return transport.call(
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
                  amount: amount.right,
                },
              ],
            }),
            timeoutMs: config.timeoutMs,
            reference: request.providerExternalId,
            destination: request.destination,
          },
          sendAnswerReading(request, options.nowMs ?? Date.now),
        );
      }),
  };
};
