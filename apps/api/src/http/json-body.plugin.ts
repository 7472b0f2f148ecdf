// The JSON body parser of every route: Fastify's own (secure-json-parse,
// refusing `__proto__` and `constructor.prototype` keys) behind a nesting
// check. A body nested deeper than MAX_JSON_DEPTH is JsonTooDeep (400
// MALFORMED_JSON) before anything parses it; a body refused only for a
// forbidden key is ForbiddenJsonKey (400 FORBIDDEN_KEY) rather than "not
// valid JSON"; any other failure stays Fastify's (fastify-errors.table.ts).
import type { FastifyInstance } from 'fastify';
import { ForbiddenJsonKey, JsonTooDeep } from './http.errors';
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

/** Replaces the `application/json` parser of the context it is registered in (see the file's header). */
export const jsonBodyPlugin = unencapsulated(async (app: FastifyInstance) => {
  const parseSecurely = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser<string>('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (exceedsJsonDepth(body, MAX_JSON_DEPTH)) {
      done(new JsonTooDeep({ maxDepth: MAX_JSON_DEPTH }), undefined);
      return;
    }
    parseSecurely(request, body, (error, value) => {
      if (error !== null && body.length > 0 && isPlainJson(body)) done(new ForbiddenJsonKey(), undefined);
      else done(error, value);
    });
  });
});
