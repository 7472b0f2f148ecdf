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
import { TopupErrorBodyFromJson, type TopupResult, TopupResultFromJson } from './topup.schema';

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

/**
 * Whether an answer says an amount was sent (a non-zero `amountSent`, read
 * loosely: any non-zero digit): a refusal carrying one contradicts itself,
 * so it is not a proven refusal.
 */
const saysSomethingSent = (amountSent: number | string | null | undefined): boolean =>
  amountSent !== undefined && amountSent !== null && /[1-9]/.test(String(amountSent));

const contradictedRefusal = (where: string) =>
  new ProviderOutcomeUnknown({
    provider: PROVIDER,
    reason: `${where} is a documented refusal, but amountSent says an amount was sent`,
    kind: 'UNPROVEN_REFUSAL',
  });

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
): Either.Either<TopupCompleted, ProviderError> => {
  const id = result.id === undefined ? '' : String(result.id).trim();
  const error = result.error?.trim() ?? '';
  if (error !== '') {
    const known = knownTopupError(error);
    if (known && saysSomethingSent(result.amountSent)) return Either.left(contradictedRefusal('error'));
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
 * A 4xx answer: a documented error, else the HTTP status and which field said
 * why (never what it said). A body naming a transaction (`id`) without a
 * documented error is an unknown outcome, as on a 2xx: engageSPARK recorded
 * the top-up and retries a failed one itself, so it may still deliver it.
 */
const refusalOf = (response: HttpResponse): ProviderRejected | ProviderOutcomeUnknown => {
  const body = Either.getOrUndefined(Schema.decodeUnknownEither(TopupErrorBodyFromJson)(response.bodyText));
  const known = body?.error ? knownTopupError(body.error) : undefined;
  if (known && saysSomethingSent(body?.amountSent)) return contradictedRefusal(`HTTP ${response.status} error`);
  if (known) return rejected(known.providerCode, known.description, known.retryable);
  const id = body?.id === undefined || body.id === null ? '' : String(body.id).trim();
  if (id !== '')
    return new ProviderOutcomeUnknown({
      provider: PROVIDER,
      reason: `HTTP ${response.status} naming a transaction id without a documented refusal`,
      kind: 'UNPROVEN_REFUSAL',
    });
  const field = body?.error?.trim() ? 'error' : body?.detail?.trim() ? 'detail' : undefined;
  return rejected(
    `HTTP_${response.status}`,
    `refused with HTTP ${response.status}${field === undefined ? '' : ` (${field} given)`}`,
  );
};

/** How engageSPARK's answers to a top-up are read (the statuses every provider means alike are read by the transport). */
const topupAnswerReading = (request: TopupRequest): AnswerReading<TopupCompleted> => ({
  kind: 'send',
  // no fetchableExternalId: engageSPARK has no status query, so a 409 is an unknown outcome, never "already used"
  refusal: refusalOf,
  success: (response) =>
    Schema.decodeUnknownEither(TopupResultFromJson)(response.bodyText, { errors: 'all' }).pipe(
      Either.mapLeft((error) => unknown(describeParseError(error))),
      Either.flatMap((result) => mapTopupResult(result, request)),
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
