import {
  checkDeliveredAmount,
  formatMoney,
  type Money,
  currencyOf,
  parsePreciseMoney,
  type PhoneNumber,
  type PreciseMoney,
  preciseMoneyFromJsonNumber,
  ProviderAnswerMismatch,
  type ProviderError,
  ProviderOutcomeUnknown,
  type ProviderRejected,
  parseInternationalDigits,
  parseNationalNumber,
  parsePhoneNumber,
  type ProviderTransaction,
  sameCurrency,
  toInternationalDigits,
  transactionStatus,
  preciseOf,
  describeParseError,
} from '@airtime/domain';
import {
  type AnswerReading,
  type ExchangeClientOptions,
  type HttpResponse,
  makeProviderTransport,
  providerFailures,
} from '@airtime/provider-http-kit';
import { Effect, Either, Redacted, Schema } from 'effect';
import { ENGAGESPARK_PROVIDER_ID as PROVIDER, type EngageSparkConfig } from '../config/engagespark.config';
import { knownTopupError } from './topup-errors.table';
import { TopupErrorBody, type TopupResult, TopupResultFromJson } from './topup.schema';

export const topupPath = (orgId: string): string => `/v1/organizations/${encodeURIComponent(orgId)}/topup/`;

export interface TopupRequest {
  /** Our attempt id, sent as `clientRef`: how the transaction is found at engageSPARK by hand. */
  readonly clientRef: string;
  readonly destination: PhoneNumber;
  /** The most to send; engageSPARK sends this or the closest smaller amount it has. */
  readonly maxAmount: Money;
  /** The amount wanted; engageSPARK sends it, or the next larger one up to `maxAmount`. */
  readonly desiredAmount?: Money | undefined;
}

/** A top-up engageSPARK completed: its answer is final. */
export interface TopupCompleted {
  /** engageSPARK's transaction id. */
  readonly id: string;
  /** What engageSPARK sent, exactly as it wrote it, held to the request (same currency, positive, at most `maxAmount`). */
  readonly amountSent: PreciseMoney;
  /** What engageSPARK charged, as the exact decimal it wrote (its currency is the account's, not stated). */
  readonly price?: string | undefined;
  readonly createdDate?: string | undefined;
  readonly transaction: ProviderTransaction;
}

export type TopupClientOptions = ExchangeClientOptions;

export interface TopupClient {
  readonly topup: (request: TopupRequest) => Effect.Effect<TopupCompleted, ProviderError>;
}

// Every failure to read a 2xx answer is an unknown outcome: engageSPARK took the request and may deliver it.
const { rejected, unknown } = providerFailures(PROVIDER);

/** A decimal as engageSPARK's examples write it: "10000", "25.5" (no needless zeros). */
export const formatTopupAmount = (amount: Money): string => {
  const text = formatMoney(amount);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
};

const mismatch = (field: string, reason: string) => new ProviderAnswerMismatch({ provider: PROVIDER, field, reason });

/** `amountSent` in `currency`, exactly as written (a JSON number or a decimal text); never rounded. */
const amountIn = (value: number | string, code: string): Either.Either<PreciseMoney, ProviderAnswerMismatch> =>
  Either.flatMap(
    Either.mapLeft(currencyOf(code), () => mismatch('currency', 'not a currency of ISO 4217')),
    (currency) =>
      Either.mapLeft(
        typeof value === 'number' ? preciseMoneyFromJsonNumber(value, currency) : parsePreciseMoney(value, currency),
        () => mismatch('amountSent', 'not an exact amount of its currency'),
      ),
  );

/**
 * Whether a number engageSPARK answered names our destination, in any form
 * the domain reads (E.164, international digits as engageSPARK writes them,
 * or the destination country's national form); an absent or empty one says
 * nothing.
 */
const namesDestination = (answered: string | number | null | undefined, destination: PhoneNumber): boolean => {
  const text = answered === undefined || answered === null ? '' : String(answered).trim();
  if (text === '') return true;
  const parsed = Either.orElse(
    Either.orElse(parsePhoneNumber(text), () => parseInternationalDigits(text)),
    () => parseNationalNumber(text, destination.countryIso),
  );
  return Either.isRight(parsed) && parsed.right.e164 === destination.e164;
};

/** The fields of an answer that can show engageSPARK may have taken a top-up. */
export type TopupTakenEvidence = 'id' | 'amountSent' | 'clientRef';

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

const fieldOf = (from: object, name: string): unknown =>
  Object.hasOwn(from, name) ? (from as Record<string, unknown>)[name] : undefined;

/** Absent: undefined, null or a blank text. */
const isAbsent = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A zero as a number, or as a text ("0", "0.00", "PHP 0", "0.00 PHP"). */
const ZERO_TEXT = /^\s*(?:[A-Za-z]{3}\s*)?[+-]?(?:0+(?:\.0*)?|\.0+)\s*(?:[A-Za-z]{3})?\s*$/;
const isClearlyZero = (value: unknown): boolean => value === 0 || (typeof value === 'string' && ZERO_TEXT.test(value));

/** How deep an answer is searched (engageSPARK writes one level; a deeper body is searched to this depth). */
const MAX_ANSWER_DEPTH = 16;

/**
 * The one rule by which every refusal engageSPARK writes (a 2xx `error` or a
 * 4xx, read loosely: no field required, any type) shows it may have taken the
 * top-up, and the field that shows it; undefined when nothing does. Shown by:
 * an `id` that is not absent (any type: a number, a text, even an object),
 * an `amountSent` that is not clearly zero or absent (a non-zero number or
 * text, `true`, an object), or a `clientRef` equal to ours, wherever they are
 * (nested, in an array). engageSPARK retries a failed top-up it recorded
 * itself (6 times over 4-5 hours): only a refusal showing none of these
 * proves nothing will be sent.
 */
export const topupTakenEvidence = (answer: unknown, clientRef: string, depth = 0): TopupTakenEvidence | undefined => {
  if (!isObject(answer) || depth > MAX_ANSWER_DEPTH) return undefined;
  if (!Array.isArray(answer)) {
    if (!isAbsent(fieldOf(answer, 'id'))) return 'id';
    const amountSent = fieldOf(answer, 'amountSent');
    if (!isAbsent(amountSent) && !isClearlyZero(amountSent)) return 'amountSent';
    const ref = fieldOf(answer, 'clientRef');
    if ((typeof ref === 'string' || typeof ref === 'number') && String(ref).trim() === clientRef) return 'clientRef';
  }
  for (const value of Object.values(answer)) {
    const found = topupTakenEvidence(value, clientRef, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
};

/** A refusal that the answer itself contradicts: an unknown outcome. The reason names the field, never its value. */
const unprovenRefusal = (where: string, evidence: TopupTakenEvidence) =>
  new ProviderOutcomeUnknown({
    provider: PROVIDER,
    reason: `${where} refuses the top-up, but ${evidence} shows engageSPARK may have taken it`,
    kind: 'UNPROVEN_REFUSAL',
  });

const LooseJson = Schema.parseJson(Schema.Unknown);

/** A body read as JSON, with no shape required; undefined when it is no JSON. */
const looseBody = (bodyText: string): unknown => Either.getOrUndefined(Schema.decodeUnknownEither(LooseJson)(bodyText));

/** `price` is informational: kept when it is a plain decimal, never a reason to doubt a completed top-up. */
const priceText = (price: number | string | undefined): string | undefined => {
  const text = price === undefined ? undefined : String(price).trim();
  return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? text : undefined;
};

/**
 * A decoded 2xx answer. Reasons name engageSPARK's fields and our table's
 * codes, never its texts or values (an `error` may quote the number or our
 * token): the transfer log keeps the answer, redacted.
 */
export const mapTopupResult = (
  result: TopupResult,
  request: TopupRequest,
  body: unknown = result,
): Either.Either<TopupCompleted, ProviderError> => {
  const id = result.id === undefined ? '' : String(result.id).trim();
  const error = result.error?.trim() ?? '';
  if (error !== '') {
    const known = knownTopupError(error);
    const evidence = known && topupTakenEvidence(body, request.clientRef);
    if (evidence) return Either.left(unprovenRefusal('error', evidence));
    if (known) return Either.left(rejected(known.providerCode, known.description, known.retryable));
    // only the documented validation errors are definite. Any other error may come on a transaction
    // engageSPARK recorded (it retries failed top-ups itself, 6 times over 4-5 hours) or one it
    // recorded without naming it: it may still be delivered
    return Either.left(
      new ProviderOutcomeUnknown({
        provider: PROVIDER,
        reason: `error is not a documented refusal (${id !== '' ? 'with' : 'without'} a transaction id)`,
        kind: 'UNPROVEN_REFUSAL',
      }),
    );
  }
  if (id === '') return Either.left(unknown('a success without a transaction id'));
  if (result.clientRef !== undefined && result.clientRef !== null && result.clientRef !== request.clientRef) {
    return Either.left(mismatch('clientRef', 'an answer about another transaction'));
  }
  // a success about another number is not our top-up (it may be someone else's, or ours misdirected)
  for (const field of ['fullPhoneNumber', 'phoneNumber'] as const)
    if (!namesDestination(result[field], request.destination))
      return Either.left(mismatch(field, 'another number than the one sent to'));
  if (result.amountSent === undefined || result.currency === undefined)
    return Either.left(unknown('a success without amountSent or currency'));
  const sent = Either.flatMap(amountIn(result.amountSent, result.currency.trim()), (answered) =>
    // held to the request: the same currency, positive, never above maxAmount (what was held)
    checkDeliveredAmount(PROVIDER, preciseOf(request.maxAmount), answered, {
      amount: 'amountSent',
      currency: 'currency',
    }),
  );
  return Either.map(sent, (amountSent) => {
    const price = priceText(result.price);
    return {
      id,
      amountSent,
      ...(price === undefined ? {} : { price }),
      ...(result.createdDate === undefined ? {} : { createdDate: result.createdDate }),
      transaction: {
        providerTransactionId: id,
        providerExternalId: request.clientRef,
        status: transactionStatus('COMPLETED'),
        receive: amountSent,
      },
    };
  });
};

/**
 * A whole 4xx answer (the transport makes a cut one an unknown outcome), read
 * loosely first: a body showing engageSPARK may have taken the top-up
 * (`topupTakenEvidence`), a JSON object or array of another shape than its
 * error answer (an `error` as a list, a `detail` as an object: nothing in it
 * can be trusted to prove a refusal), or an `error` that is not a documented
 * refusal (as on a 2xx) is an unknown outcome. Only a documented error, or a
 * body with no `error` (a framework's `detail`, validation fields, no JSON),
 * showing none of these is a refusal. Reasons name fields, never values.
 */
const refusalOf = (response: HttpResponse, clientRef: string): ProviderRejected | ProviderOutcomeUnknown => {
  const where = `HTTP ${response.status}`;
  const loose = looseBody(response.bodyText);
  const evidence = topupTakenEvidence(loose, clientRef);
  if (evidence !== undefined) return unprovenRefusal(where, evidence);
  const decoded = Schema.decodeUnknownEither(TopupErrorBody)(loose);
  if (isObject(loose) && Either.isLeft(decoded))
    return new ProviderOutcomeUnknown({
      provider: PROVIDER,
      reason: `${where} with JSON of another shape than engageSPARK's error answer: no refusal is proven`,
      kind: 'UNPROVEN_REFUSAL',
    });
  const body = Either.getOrUndefined(decoded);
  const error = body?.error?.trim() ?? '';
  if (error !== '') {
    const known = knownTopupError(error);
    if (known) return rejected(known.providerCode, known.description, known.retryable);
    // engageSPARK retries a failed top-up it recorded itself, and may record one without naming it
    return new ProviderOutcomeUnknown({
      provider: PROVIDER,
      reason: `${where} error is not a documented refusal`,
      kind: 'UNPROVEN_REFUSAL',
    });
  }
  return rejected(`HTTP_${response.status}`, `refused with ${where}${body?.detail?.trim() ? ' (detail given)' : ''}`);
};

/** How engageSPARK's answers to a top-up are read (the statuses every provider means alike are read by the transport). */
const topupAnswerReading = (request: TopupRequest): AnswerReading<TopupCompleted> => ({
  kind: 'send',
  // no fetchableExternalId: engageSPARK has no status query, so a 409 is an unknown outcome, never "already used"
  refusal: (response) => refusalOf(response, request.clientRef),
  success: (response) =>
    Schema.decodeUnknownEither(TopupResultFromJson)(response.bodyText, { errors: 'all' }).pipe(
      Either.mapLeft((error) => unknown(describeParseError(error))),
      Either.flatMap((result) => mapTopupResult(result, request, looseBody(response.bodyText) ?? result)),
    ),
});

/**
 * The client of POST /v1/organizations/{orgId}/topup/. The number is sent
 * without "+", as `phoneNumber` (the reference's field table) and as
 * `fullPhoneNumber` (its example body and its answers): the reference
 * disagrees with itself and an unknown field is harmless, so both are sent
 * with the same value. Amounts are decimal strings.
 */
export const makeTopupClient = (config: EngageSparkConfig, options: TopupClientOptions = {}): TopupClient => {
  const transport = makeProviderTransport({
    ...options,
    provider: PROVIDER,
    baseUrlVariable: 'ENGAGESPARK_BASE_URL',
    secrets: [Redacted.value(config.token)],
  });

  return {
    topup: (request) =>
      Effect.gen(function* () {
        const { desiredAmount, maxAmount } = request;
        if (desiredAmount !== undefined && !sameCurrency(desiredAmount.currency, maxAmount.currency)) {
          return yield* Effect.fail(rejected('CURRENCY_MISMATCH', 'desiredAmount and maxAmount differ in currency'));
        }
        const phone = toInternationalDigits(request.destination);
        return yield* transport.call(
          {
            method: 'POST',
            url: `${config.baseUrl}${topupPath(config.orgId)}`,
            headers: {
              Authorization: `Token ${Redacted.value(config.token)}`,
              'Content-Type': 'application/json',
              Accept: 'application/json',
            },
            body: JSON.stringify({
              phoneNumber: phone,
              fullPhoneNumber: phone,
              maxAmount: formatTopupAmount(maxAmount),
              ...(desiredAmount === undefined ? {} : { desiredAmount: formatTopupAmount(desiredAmount) }),
              clientRef: request.clientRef,
            }),
            timeoutMs: config.timeoutMs,
            reference: request.clientRef,
            destination: request.destination,
          },
          topupAnswerReading(request),
        );
      }),
  };
};
