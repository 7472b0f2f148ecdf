// The console's session: the cookie `airtime_console` holds the session
// token (32 random bytes; only its SHA-256 is stored, see
// @airtime/application's console sessions), HttpOnly (no script reads it),
// Secure (sent over HTTPS only; browsers treat http://localhost and
// http://127.0.0.1 as secure), SameSite=Strict (never sent by another
// site's link or form) and Path=/console.
//
// An onRequest hook resumes the session of every console request: the
// request then carries its principal (the API key's id and accounts, read
// from the key as stored now: a revoked key's sessions end at once) and
// the session's CSRF token; an ended session's cookie is cleared. The
// principal is set before the per-key rate limit counts the request. A
// background poll of the console's script (POLL_HEADER) is not activity.
import { type ApiPrincipal, ConsoleSessionEnded, csrfTokenMatches, resumeConsoleSession } from '@airtime/application';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runProgram } from '../../http/run-use-case';
import { unencapsulated } from '../../http/unencapsulated';
import type { ConsoleOptions } from '../console-context';
import { ConsoleSignInRequired, CsrfRefused } from '../console.errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session of the request; null without one (or before the hook). */
    consoleSession: ConsoleSession | null;
  }
}

export interface ConsoleSession {
  readonly principal: ApiPrincipal;
  /** For the session's forms (a hidden `csrf` field), checked on every POST. */
  readonly csrfToken: string;
}

export const SESSION_COOKIE = 'airtime_console';

/**
 * The header the console's own script sends on its background polls: such a
 * request is no activity and does not keep the session from its idle timeout.
 */
export const POLL_HEADER = 'x-console-poll';

/** The session cookie's attributes, the same when it is set and when it is cleared. */
const COOKIE_ATTRIBUTES = { path: '/console', httpOnly: true, secure: true, sameSite: 'strict' } as const;

/** Sets the session cookie: a browser-session cookie (no Expires: gone when the browser closes; the server ends it earlier). */
export const setSessionCookie = (reply: FastifyReply, token: string): void => {
  void reply.setCookie(SESSION_COOKIE, token, COOKIE_ATTRIBUTES);
};

export const clearSessionCookie = (reply: FastifyReply): void => {
  void reply.clearCookie(SESSION_COOKIE, COOKIE_ATTRIBUTES);
};

/** The session token of the request's cookie, if it has one. */
export const sessionTokenOf = (request: FastifyRequest): string | undefined => request.cookies[SESSION_COOKIE];

/** The request's session; ConsoleSignInRequired without one. */
export const sessionOf = (request: FastifyRequest): ConsoleSession => {
  if (request.consoleSession === null) throw new ConsoleSignInRequired();
  return request.consoleSession;
};

/** The request's session, after checking the posted form's `csrf` field against it (CsrfRefused). */
export const checkedSessionOf = (request: FastifyRequest, form: Readonly<Record<string, unknown>>): ConsoleSession => {
  const session = sessionOf(request);
  if (!csrfTokenMatches(session.csrfToken, form['csrf'])) throw new CsrfRefused();
  return session;
};

/** Resumes the session of each request of the context it is registered in. */
export const consoleSessionPlugin = unencapsulated<ConsoleOptions>(async (app, options) => {
  app.decorateRequest('consoleSession', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = sessionTokenOf(request);
    if (token === undefined) return;
    try {
      const resumed = await runProgram(
        options.runtime,
        resumeConsoleSession({
          token,
          idleTimeoutMs: options.sessions.idleTimeoutMs,
          activity: request.headers[POLL_HEADER] !== '1',
        }),
      );
      request.consoleSession = { principal: resumed.principal, csrfToken: resumed.csrfToken };
      request.principal = resumed.principal;
    } catch (error) {
      if (!(error instanceof ConsoleSessionEnded)) throw error;
      clearSessionCookie(reply);
    }
  });
});
