// The JSON body parser of every route: the body must not be encoded (a
// Content-Encoding other than identity, e.g. gzip, is 415
// UNSUPPORTED_MEDIA_TYPE: the API decompresses nothing), and must be UTF-8 (a charset
// parameter naming another is 415 UNSUPPORTED_MEDIA_TYPE, bytes that are
// not UTF-8 are BodyNotUtf8, 400 MALFORMED_JSON: never replaced by U+FFFD),
// then Fastify's own parser (secure-json-parse, refusing `__proto__` and
// `constructor.prototype` keys) behind a nesting check. A body nested
// deeper than MAX_JSON_DEPTH is JsonTooDeep (400 MALFORMED_JSON) before
// anything parses it; a body refused only for a forbidden key is
// ForbiddenJsonKey (400 FORBIDDEN_KEY) rather than "not valid JSON"; any
// other parse failure stays Fastify's (fastify-errors.table.ts). A body
// that parses is then read for what JSON.parse would lose silently
// (exactJsonProblem): a field named twice in one object is DuplicateJsonKey
// (400 DUPLICATE_KEY), a number a double cannot carry exactly
// InexactJsonNumber (400 INEXACT_NUMBER; not on a provider's callback).
// An empty body on a route that takes none (its schema describes no body)
// is no body, whatever its content type says; the route refuses any other.
import { EXACT_JSON_REASONS, exactJsonProblem } from '@airtime/application';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  BodyNotUtf8,
  DuplicateJsonKey,
  ForbiddenJsonKey,
  InexactJsonNumber,
  JsonTooDeep,
  UnsupportedCharset,
  UnsupportedContentEncoding,
} from './http.errors';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.check';
import { unencapsulated } from './unencapsulated';

/** Whether `text` is valid JSON for the plain parser (which keeps `__proto__` as an own key, harmlessly). */
const isPlainJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Whether a Content-Type header names a charset other than UTF-8 (none named: UTF-8, RFC 8259 §8.1). */
const namesOtherCharset = (contentType: string | undefined): boolean => {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  return charset !== undefined && charset !== 'utf-8' && charset !== 'utf8';
};

/** Whether a Content-Encoding header names a coding other than identity (RFC 9110 §8.4: a list, case-insensitive). */
const namesEncoding = (contentEncoding: string | undefined): boolean =>
  (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .some((coding) => coding !== '' && coding !== 'identity');

/** Whether a route is a provider's callback (`/callbacks/...`): its numbers are the provider's, not a request's. */
const isProviderCallback = (route: string | undefined): boolean => route?.startsWith('/callbacks/') === true;

/**
 * Whether a route takes no body: it has a schema (an API route) that
 * describes none, e.g. POST /v1/topups/{id}/cancel (see refuseBody).
 */
const takesNoBody = (request: FastifyRequest): boolean => {
  const schema = request.routeOptions.schema;
  return schema !== undefined && schema.body === undefined;
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body's text, or undefined when its bytes are not UTF-8. */
const textOf = (body: Buffer): string | undefined => {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
};

/** Replaces the `application/json` parser of the context it is registered in (see the file's header). */
export const jsonBodyPlugin = unencapsulated(async (app: FastifyInstance) => {
  const parseSecurely = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser<Buffer>('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
    if (namesEncoding(request.headers['content-encoding'])) {
      done(new UnsupportedContentEncoding(), undefined);
      return;
    }
    if (namesOtherCharset(request.headers['content-type'])) {
      done(new UnsupportedCharset(), undefined);
      return;
    }
    // an empty body for a route that takes none (a client that sets the content type on every request): no body
    if (bytes.length === 0 && takesNoBody(request)) {
      done(null, undefined);
      return;
    }
    const body = textOf(bytes);
    if (body === undefined) {
      done(new BodyNotUtf8(), undefined);
      return;
    }
    if (exceedsJsonDepth(body, MAX_JSON_DEPTH)) {
      done(new JsonTooDeep({ maxDepth: MAX_JSON_DEPTH }), undefined);
      return;
    }
    parseSecurely(request, body, (error, value) => {
      if (error !== null) {
        done(body.length > 0 && isPlainJson(body) ? new ForbiddenJsonKey() : error, undefined);
        return;
      }
      // a provider's callback is read by its own rules (its rates and fees are not amounts of a request;
      // refusing one for a long decimal would only delay the top-up's news until the status query)
      const problem = exactJsonProblem(body, { numbers: !isProviderCallback(request.routeOptions.url) });
      if (problem === EXACT_JSON_REASONS.duplicateName) done(new DuplicateJsonKey(), undefined);
      else if (problem === EXACT_JSON_REASONS.inexactNumber) done(new InexactJsonNumber(), undefined);
      else done(null, value);
    });
  });
});
