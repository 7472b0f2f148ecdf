// The transfer-log console under /console (issue 13), server-rendered HTML:
// Eta templates (templates/), one stylesheet and one script from
// /console/assets, forms posted urlencoded (@fastify/formbody), the session
// in a cookie (@fastify/cookie; session/console-session.plugin.ts), and
// these headers on every answer (@fastify/helmet): a Content-Security-Policy
// that allows nothing inline and nothing from elsewhere, no framing, no
// referrer, and `Cache-Control: no-store` on pages (they show account data).
//
// Errors are pages, from the console's one table (console-errors.table.ts);
// a GET of a page that needs a session, without one, is a 303 to the
// sign-in page. The routes run inside the API's rate-limited context: the
// session's key counts against its per-minute limit as its API calls do,
// and failed sign-ins against the client's.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { ConsoleSessionEnded } from '@airtime/application';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyAnswerOf } from '../http/fastify-errors.table';
import { logRequestDefect } from '../http/run-use-case';
import { consolePageOf, isConsoleError } from './console-errors.table';
import type { ConsoleOptions } from './console-context';
import { ConsoleSignInRequired, CsrfRefused } from './console.errors';
import { assetRoutes } from './pages/assets.routes';
import { resendRoutes } from './pages/resend.routes';
import { signInRoutes } from './pages/sign-in.routes';
import { topUpDetailRoutes } from './pages/top-up-detail.routes';
import { topUpListRoutes } from './pages/top-up-list.routes';
import { consoleSessionPlugin } from './session/console-session.plugin';
import { renderPage } from './templates/page-renderer';

/** The Content-Security-Policy of every console answer. */
export const CONSOLE_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
} as const;

/** The CSP header's text (for answers sent outside the plugin's hooks). */
const CSP_TEXT = Object.entries(CONSOLE_CSP_DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

const messagePage = (reply: FastifyReply, status: number, heading: string, message: string, csrf?: string) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      renderPage('message', { heading, message, role: status >= 400 ? 'alert' : 'status' }, { title: heading, csrf }),
    );

const answerError =
  (options: ConsoleOptions) => (error: FastifyError | unknown, request: FastifyRequest, reply: FastifyReply) => {
    const csrf = request.consoleSession?.csrfToken;
    if (
      (error instanceof ConsoleSignInRequired || error instanceof ConsoleSessionEnded) &&
      request.method === 'GET' &&
      !request.url.startsWith('/console/topups/live')
    )
      return reply.redirect('/console/sign-in', 303);
    if (isConsoleError(error)) {
      const page = consolePageOf(error);
      if (error._tag === 'AuthFailuresLimited' || error._tag === 'RateLimited')
        void reply.header('retry-after', String(error.retryAfterSeconds));
      if (page.status >= 500)
        options.logger.warn({ route: request.routeOptions.url, reason: error.message }, 'console request failed');
      return messagePage(reply, page.status, page.heading, page.message, csrf);
    }
    const refused = fastifyAnswerOf(error);
    if (refused !== undefined)
      return messagePage(
        reply,
        refused.status,
        'Refused',
        refused.status === 415 ? 'A console form is sent as application/x-www-form-urlencoded.' : refused.message,
        csrf,
      );
    logRequestDefect(options.logger, request, error, 'console request failed with a defect');
    return messagePage(reply, 500, 'Something went wrong', 'An internal error occurred; try again later.', csrf);
  };

/**
 * An answer to a request the router refused before any route or hook ran
 * (an unreadable URL, one too long): the message page, with the headers
 * the console's hooks would have set.
 */
export const consoleFrameworkError = (reply: FastifyReply, status: number, message: string): void => {
  void reply
    .code(status)
    .header('content-security-policy', CSP_TEXT)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(renderPage('message', { heading: 'Refused', message, role: 'alert' }, { title: 'Refused' }));
};

/** Whether a POST comes from another site (Sec-Fetch-Site, else Origin against Host): a console form never does. */
export const isCrossSitePost = (request: FastifyRequest): boolean => {
  if (request.method !== 'POST') return false;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
};

/** Registers the console's routes (under the prefix it is registered with, `/console`). */
export const consoleRoutes = async (app: FastifyInstance, options: ConsoleOptions): Promise<void> => {
  // the pages' own options: not this plugin's registration options, whose prefix they would add again
  const pages: ConsoleOptions = {
    runtime: options.runtime,
    failures: options.failures,
    submitTopUp: options.submitTopUp,
    sessions: options.sessions,
    logger: options.logger,
  };
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 16_384 });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // the API may share its host name with other services: HSTS for this host only
    hsts: { maxAge: 15_552_000, includeSubDomains: false },
  });
  // login CSRF and any cross-site form: refused before a session or a form is read
  app.addHook('onRequest', async (request) => {
    if (isCrossSitePost(request)) throw new CsrfRefused();
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('cache-control') === undefined) void reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(consoleSessionPlugin, pages);
  app.setErrorHandler(answerError(options));
  app.setNotFoundHandler((request, reply) =>
    messagePage(reply, 404, 'Not found', 'There is no such page.', request.consoleSession?.csrfToken),
  );
  app.get('/', async (_request, reply) => reply.redirect('/console/topups', 303));
  await app.register(assetRoutes);
  await app.register(signInRoutes, pages);
  await app.register(topUpListRoutes, pages);
  await app.register(topUpDetailRoutes, pages);
  await app.register(resendRoutes, pages);
};
