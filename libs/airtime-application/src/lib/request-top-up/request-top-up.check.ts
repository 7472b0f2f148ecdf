// Reads a decoded request into what requestTopUp needs, with the canonical
// JSON stored with the top-up and compared field by field on a repeat.
import { checkAccountId, type ExternalId, formatMoney, parseExternalId, type PhoneNumber } from '@airtime/domain';
import { Either } from 'effect';
import type { StoredTopUpRequest } from '../ports/top-up-requests.port';
import { InvalidTopUpRequest } from '../quote-top-up/quote-top-up.errors';
import { checkQuoteRequest, type QuoteRequest } from '../quote-top-up/top-up-request.check';
import type { RequestTopUpInput } from './request-top-up.input';

/** A request checked field by field. */
export interface CheckedTopUpRequest {
  readonly accountId: string;
  readonly externalId: ExternalId;
  readonly quote: QuoteRequest;
  readonly callbackUrl?: string | undefined;
  /**
   * The request as stored and compared: amounts as their canonical decimal
   * text, metadata as JSON; the phone number is left out (the top-up keeps
   * it, and a repeat is compared with the top-up's).
   */
  readonly canonical: Readonly<Record<string, unknown>>;
}

/** The metadata a request may carry, encoded as JSON. */
export const MAX_METADATA_BYTES = 4096;
export const MAX_CALLBACK_URL_LENGTH = 2048;

const invalid = (field: string, reason: string) => Either.left(new InvalidTopUpRequest({ field, reason }));

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** An https URL (http only to a loopback host, for local set-ups), without credentials. */
export const checkCallbackUrl = (text: string): Either.Either<string, InvalidTopUpRequest> => {
  if (text.length > MAX_CALLBACK_URL_LENGTH)
    return invalid('callback_url', `longer than ${MAX_CALLBACK_URL_LENGTH} characters`);
  if (!URL.canParse(text)) return invalid('callback_url', 'not an absolute URL');
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') return invalid('callback_url', 'credentials are not allowed in it');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)))
    return Either.right(url.toString());
  return invalid('callback_url', 'expected an https URL');
};

/** Metadata as plain JSON, at most MAX_METADATA_BYTES once encoded. */
export const checkMetadata = (
  metadata: Readonly<Record<string, unknown>>,
): Either.Either<Readonly<Record<string, unknown>>, InvalidTopUpRequest> => {
  const encoded = Either.try(() => JSON.stringify(metadata));
  if (Either.isLeft(encoded) || typeof encoded.right !== 'string') return invalid('metadata', 'not a JSON object');
  if (new TextEncoder().encode(encoded.right).length > MAX_METADATA_BYTES)
    return invalid('metadata', `more than ${MAX_METADATA_BYTES} bytes once encoded`);
  return Either.right(JSON.parse(encoded.right) as Readonly<Record<string, unknown>>);
};

export const checkTopUpRequest = (input: RequestTopUpInput): Either.Either<CheckedTopUpRequest, InvalidTopUpRequest> =>
  Either.gen(function* () {
    const externalId = yield* Either.mapLeft(
      parseExternalId(input.external_id),
      (error) => new InvalidTopUpRequest({ field: 'external_id', reason: error.message }),
    );
    const accountId = yield* Either.mapLeft(
      checkAccountId(input.account_id),
      (error) => new InvalidTopUpRequest({ field: 'account_id', reason: error.message }),
    );
    const quote = yield* checkQuoteRequest(input);
    const callbackUrl = input.callback_url === undefined ? undefined : yield* checkCallbackUrl(input.callback_url);
    const metadata = input.metadata === undefined ? undefined : yield* checkMetadata(input.metadata);
    const canonical: Record<string, unknown> = {
      external_id: externalId,
      account_id: accountId,
      currency: quote.maxAmount.currency.code,
      max_amount: formatMoney(quote.maxAmount),
      ...(quote.desiredAmount === undefined ? {} : { desired_amount: formatMoney(quote.desiredAmount) }),
      ...(quote.productId === undefined ? {} : { product_id: quote.productId }),
      exact_amount: quote.exactAmount,
      ...(callbackUrl === undefined ? {} : { callback_url: callbackUrl }),
      ...(metadata === undefined ? {} : { metadata }),
    };
    return { accountId, externalId, quote, ...(callbackUrl === undefined ? {} : { callbackUrl }), canonical };
  });

/** JSON with object keys sorted, so that two equal values give one text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, nested: unknown) =>
    typeof nested === 'object' && nested !== null && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  ) ?? 'undefined';

/** The fields compared on a repeat, in the order a conflict names them. */
export const COMPARED_FIELDS = [
  'phone_number',
  'currency',
  'max_amount',
  'desired_amount',
  'product_id',
  'exact_amount',
  'callback_url',
  'metadata',
] as const;

/**
 * The first field in which a repeat differs from the stored request (the
 * number compared with the existing top-up's), or undefined for the same payload.
 */
export const firstDifference = (
  stored: StoredTopUpRequest,
  destination: PhoneNumber,
  repeat: CheckedTopUpRequest,
): string | undefined =>
  COMPARED_FIELDS.find((field) =>
    field === 'phone_number'
      ? destination.e164 !== repeat.quote.destination.e164
      : canonicalJson(stored.request[field]) !== canonicalJson(repeat.canonical[field]),
  );
