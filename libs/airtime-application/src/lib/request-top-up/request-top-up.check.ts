// Reads a decoded request into what requestTopUp needs, with the canonical
// JSON stored with the top-up and compared field by field on a repeat.
import { checkAccountId, type ExternalId, formatMoney, parseExternalId, type PhoneNumber } from '@airtime/domain';
import { Either } from 'effect';
import type { StoredTopUpRequest } from '../ports/top-up-requests.port';
import { InvalidTopUpRequest } from '../quote-top-up/quote-top-up.errors';
import type { QuoteTopUpInput } from '../quote-top-up/quote-top-up.input';
import { checkQuoteRequest, type QuoteRequest } from '../quote-top-up/top-up-request.check';
import { callbackHostRefusal } from './callback-host.policy';
import { hasControlCharacter, type RequestTopUpInput } from './request-top-up.input';
import {
  FORBIDDEN_METADATA_KEYS_REASON,
  hasForbiddenMetadataKey,
  hasUnstorableMetadataText,
  isPlainObject,
  UNSTORABLE_METADATA_TEXT_REASON,
} from './top-up-metadata';

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
/** How deep metadata may nest: the object itself is level 1, a value inside it level 2. */
export const MAX_METADATA_DEPTH = 32;
/**
 * The longest callback URL, in UTF-8 bytes of the URL as kept: its parsed,
 * percent-encoded form (`new URL(text).toString()`, where `é` becomes
 * `%C3%A9` and a space `%20`), the form stored in `top_up_requests`, whose
 * CHECK counts `octet_length`. The text as sent is held to the same number of
 * characters first, before it is parsed.
 */
export const MAX_CALLBACK_URL_LENGTH = 2048;

const utf8 = new TextEncoder();

const invalid = (field: string, reason: string) => Either.left(new InvalidTopUpRequest({ field, reason }));

/** What a deployment allows of requests beyond the rules. */
export interface TopUpRequestRules {
  /**
   * Accept callback URLs to hosts that are not public (loopback, private,
   * link-local, `localhost`, single-label names...), over http or https: for
   * local set-ups and tests only. Default false: https to a public host only.
   */
  readonly allowPrivateCallbackHosts?: boolean | undefined;
}

/**
 * An https URL to a public host (see `callbackHostRefusal`), without
 * credentials or control characters (the URL parser drops a tab or newline
 * and encodes a NUL, so the URL kept would not be the one sent); with `allowPrivateCallbackHosts`, also http or https to a
 * host that is not public.
 */
export const checkCallbackUrl = (
  text: string,
  rules: TopUpRequestRules = {},
): Either.Either<string, InvalidTopUpRequest> => {
  if (text.length > MAX_CALLBACK_URL_LENGTH)
    return invalid('callback_url', `longer than ${MAX_CALLBACK_URL_LENGTH} characters`);
  if (hasControlCharacter(text)) return invalid('callback_url', 'contains a control character');
  if (!URL.canParse(text)) return invalid('callback_url', 'not an absolute URL');
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') return invalid('callback_url', 'credentials are not allowed in it');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return invalid('callback_url', 'expected an https URL');
  const kept = url.toString();
  // checked as kept: percent-encoding makes a URL of 2048 characters up to 9 times longer (before: a 503 from the store)
  if (utf8.encode(kept).length > MAX_CALLBACK_URL_LENGTH)
    return invalid('callback_url', `longer than ${MAX_CALLBACK_URL_LENGTH} bytes once percent-encoded`);
  const refusal = callbackHostRefusal(url.hostname);
  if (refusal !== undefined) {
    // a host inside a local set-up, when allowed, over either scheme
    return rules.allowPrivateCallbackHosts === true ? Either.right(kept) : invalid('callback_url', refusal);
  }
  return url.protocol === 'https:' ? Either.right(kept) : invalid('callback_url', 'expected an https URL');
};

/** An identifier in Unicode normalisation form C: one spelling per key (`café` composed, never `cafe` + U+0301). */
export const checkNormalised = (field: string, text: string): Either.Either<string, InvalidTopUpRequest> =>
  text.normalize('NFC') === text ? Either.right(text) : invalid(field, 'not in Unicode normalisation form C (NFC)');

const TOO_DEEP_OR_LARGE = `nested too deeply (more than ${MAX_METADATA_DEPTH} levels) or too large`;

/**
 * Whether `metadata` nests more than MAX_METADATA_DEPTH levels or holds more
 * values than MAX_METADATA_BYTES (each takes a byte at least once encoded).
 * Walks without recursion, so a value 100 000 levels deep, a cycle or a
 * value shared many times (counted once per place, as encoded) ends the walk
 * early instead of overflowing the stack or running on.
 */
const isTooDeepOrLarge = (metadata: unknown): boolean => {
  const pending: Array<readonly [unknown, number]> = [[metadata, 1]];
  let values = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop() ?? [undefined, 0];
    values += 1;
    if (values > MAX_METADATA_BYTES) return true;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_METADATA_DEPTH) return true;
    for (const nested of Object.values(value)) pending.push([nested, depth + 1]);
  }
  return false;
};

/**
 * Metadata as plain JSON, at most MAX_METADATA_DEPTH levels deep and
 * MAX_METADATA_BYTES once encoded, with no `__proto__`, `constructor` or
 * `prototype` key at any depth and no key or text holding a NUL or an
 * unpaired surrogate (PostgreSQL's jsonb cannot store them).
 */
export const checkMetadata = (
  metadata: Readonly<Record<string, unknown>>,
): Either.Either<Readonly<Record<string, unknown>>, InvalidTopUpRequest> => {
  if (!isPlainObject(metadata) || hasForbiddenMetadataKey(metadata))
    return invalid('metadata', FORBIDDEN_METADATA_KEYS_REASON);
  if (isTooDeepOrLarge(metadata)) return invalid('metadata', TOO_DEEP_OR_LARGE);
  if (hasUnstorableMetadataText(metadata)) return invalid('metadata', UNSTORABLE_METADATA_TEXT_REASON);
  const encoded = Either.try(() => JSON.stringify(metadata));
  if (Either.isLeft(encoded) || typeof encoded.right !== 'string') return invalid('metadata', 'not a JSON object');
  if (new TextEncoder().encode(encoded.right).length > MAX_METADATA_BYTES)
    return invalid('metadata', `more than ${MAX_METADATA_BYTES} bytes once encoded`);
  return Either.right(JSON.parse(encoded.right) as Readonly<Record<string, unknown>>);
};

/** A request's `external_id` (the caller's idempotency key): Unicode NFC, the domain's external-id rule. */
export const checkRequestExternalId = (text: string): Either.Either<ExternalId, InvalidTopUpRequest> =>
  Either.flatMap(checkNormalised('external_id', text), (normalised) =>
    Either.mapLeft(
      parseExternalId(normalised),
      (error) => new InvalidTopUpRequest({ field: 'external_id', reason: error.message }),
    ),
  );

/**
 * A request's `account_id`: Unicode NFC, the domain's account-id rule (a
 * well-formed id of no account, or of an account the caller may not use, is
 * for the caller's scope to refuse).
 */
export const checkRequestAccountId = (text: string): Either.Either<string, InvalidTopUpRequest> =>
  Either.flatMap(checkNormalised('account_id', text), (normalised) =>
    Either.mapLeft(
      checkAccountId(normalised),
      (error) => new InvalidTopUpRequest({ field: 'account_id', reason: error.message }),
    ),
  );

/** The fields a request sends besides its ids, in the order checked: the quote's, the callback URL, the metadata. */
const checkRequestContent = (input: QuoteTopUpInput, rules: TopUpRequestRules) =>
  Either.gen(function* () {
    const quote = yield* checkQuoteRequest(input);
    const callbackUrl =
      input.callback_url === undefined ? undefined : yield* checkCallbackUrl(input.callback_url, rules);
    const metadata = input.metadata === undefined ? undefined : yield* checkMetadata(input.metadata);
    return { quote, callbackUrl, metadata };
  });

/** The request's fields read and checked; `rules` widen what a deployment accepts (default: nothing). */
export const checkTopUpRequest = (
  input: RequestTopUpInput,
  rules: TopUpRequestRules = {},
): Either.Either<CheckedTopUpRequest, InvalidTopUpRequest> =>
  Either.gen(function* () {
    const externalId = yield* checkRequestExternalId(input.external_id);
    const accountId = yield* checkRequestAccountId(input.account_id);
    const { quote, callbackUrl, metadata } = yield* checkRequestContent(input, rules);
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

/**
 * The quote's request of a top-up request's body (`QuoteTopUpInput`: its
 * ids optional): every field given is checked as `checkTopUpRequest` checks
 * it, with the same `rules`, in the same order, so a quote refuses what the
 * request would (naming the same field); only the quote's fields are kept.
 */
export const checkQuotedTopUpRequest = (
  input: QuoteTopUpInput,
  rules: TopUpRequestRules = {},
): Either.Either<QuoteRequest, InvalidTopUpRequest> =>
  Either.gen(function* () {
    if (input.external_id !== undefined) yield* checkRequestExternalId(input.external_id);
    if (input.account_id !== undefined) yield* checkRequestAccountId(input.account_id);
    return (yield* checkRequestContent(input, rules)).quote;
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
