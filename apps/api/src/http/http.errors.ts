// The HTTP API's own errors (those of the transport, not of a use case):
// an input that does not decode, a route that does not exist, a key over its
// rate limit. Messages name fields and kinds, never a value.
import { taggedError } from '@airtime/domain';

/** Where in the request a bad input was read. */
export type RequestPart = 'body' | 'query' | 'path' | 'headers';

/**
 * A part of the request does not decode or breaks a rule of the route;
 * `field` names the (first) field, header or parameter, never its value.
 */
export class InvalidRequest extends taggedError('InvalidRequest', { code: 'INVALID_REQUEST', retryable: false })<{
  readonly part: RequestPart;
  readonly field: string;
  readonly reason: string;
}>((e) => `invalid request ${e.part} (${e.field}): ${e.reason}`) {}

/** No route answers this method and path. */
export class RouteNotFound extends taggedError('RouteNotFound', { code: 'NOT_FOUND', retryable: false })(
  () => 'no such route',
) {}

/** The key sent more requests in the window than its limit; `retryAfterSeconds` until the window frees one. */
export class RateLimited extends taggedError('RateLimited', { code: 'RATE_LIMITED', retryable: true })<{
  readonly retryAfterSeconds: number;
}>((e) => `too many requests for this API key: retry after ${e.retryAfterSeconds} s`) {}

/**
 * The client (its IP address) failed authentication API_AUTH_FAILURES_PER_MINUTE
 * times in the window: a key it presents is refused without a look-up;
 * `retryAfterSeconds` until the window ends.
 */
export class AuthFailuresLimited extends taggedError('AuthFailuresLimited', { code: 'RATE_LIMITED', retryable: true })<{
  readonly retryAfterSeconds: number;
}>((e) => `too many failed authentications from this client: retry after ${e.retryAfterSeconds} s`) {}

/** A JSON body nested deeper than the API reads (`maxDepth` arrays and objects inside one another). */
export class JsonTooDeep extends taggedError('JsonTooDeep', { code: 'MALFORMED_JSON', retryable: false })<{
  readonly maxDepth: number;
}>((e) => `the body is nested deeper than ${e.maxDepth} levels of arrays and objects`) {}

/** A JSON body with a `__proto__` key, or a `constructor` key holding a `prototype` key (prototype pollution). */
export class ForbiddenJsonKey extends taggedError('ForbiddenJsonKey', { code: 'FORBIDDEN_KEY', retryable: false })(
  () => 'the body has a __proto__ key or a constructor key with a prototype key; such keys are refused',
) {}

/** A JSON body naming one field twice in one object (JSON.parse would keep the last, another reader the first). */
export class DuplicateJsonKey extends taggedError('DuplicateJsonKey', { code: 'DUPLICATE_KEY', retryable: false })(
  () => 'the body names a field twice in one object; JSON names must be unique',
) {}

/** A JSON body with a number a double cannot carry exactly (more digits than it holds, or out of its range). */
export class InexactJsonNumber extends taggedError('InexactJsonNumber', { code: 'INEXACT_NUMBER', retryable: false })(
  () =>
    'the body has a number that cannot be read exactly (more digits than a double holds); send it as a decimal string',
) {}

/** A body whose bytes are not UTF-8 text. */
export class BodyNotUtf8 extends taggedError('BodyNotUtf8', { code: 'MALFORMED_JSON', retryable: false })(
  () => 'the body is not UTF-8 text',
) {}

/** A JSON body declared in another charset than UTF-8 (RFC 8259 §8.1: JSON is UTF-8). */
export class UnsupportedCharset extends taggedError('UnsupportedCharset', {
  code: 'UNSUPPORTED_MEDIA_TYPE',
  retryable: false,
})(() => 'the body must be application/json in UTF-8') {}

/**
 * A body sent with a Content-Encoding other than identity (gzip, deflate, br, ...): the API does not
 * decompress bodies (RFC 9110 §15.5.16: 415, with Accept-Encoding naming what it reads).
 */
export class UnsupportedContentEncoding extends taggedError('UnsupportedContentEncoding', {
  code: 'UNSUPPORTED_MEDIA_TYPE',
  retryable: false,
})(() => 'the body must not be encoded: send it uncompressed, with no Content-Encoding (or identity)') {}
