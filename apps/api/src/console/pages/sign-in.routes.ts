// Sign-in and sign-out. POST /console/sign-in takes the API key from the
// form, opens a session (openConsoleSession: the key is checked as the API
// checks it) and sends the browser to the top-ups with the session cookie;
// a refused key is the form again, 401, with an alert that never repeats
// the key. Failed sign-ins count against the client's limit (the API's
// API_AUTH_FAILURES_PER_MINUTE): past it, 429 without a look-up.
// POST /console/sign-out ends the session (CSRF-checked) and clears the cookie.
import { ApiKeyRefused, closeConsoleSession, openConsoleSession } from '@airtime/application';
import type { FastifyInstance } from 'fastify';
import { AuthFailuresLimited } from '../../http/http.errors';
import { runProgram } from '../../http/run-use-case';
import type { ConsoleOptions } from '../console-context';
import { formOf } from '../views/form-fields.mapper';
import { renderPage } from '../templates/page-renderer';
import {
  checkedSessionOf,
  clearSessionCookie,
  sessionTokenOf,
  setSessionCookie,
} from '../session/console-session.plugin';

const signInPage = (error?: string): string => renderPage('signIn', { error }, { title: 'Sign in' });

export const signInRoutes = async (app: FastifyInstance, options: ConsoleOptions): Promise<void> => {
  app.get('/sign-in', async (request, reply) => {
    if (request.consoleSession !== null) return reply.redirect('/console/topups', 303);
    return reply.type('text/html; charset=utf-8').send(signInPage());
  });

  app.post('/sign-in', async (request, reply) => {
    const form = formOf(request.body);
    const waitMs = options.failures.refusedForMs(request);
    if (waitMs > 0) throw new AuthFailuresLimited({ retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) });
    try {
      const opened = await runProgram(
        options.runtime,
        openConsoleSession({
          apiKey: typeof form['api_key'] === 'string' ? form['api_key'].trim() : undefined,
          idleTimeoutMs: options.sessions.idleTimeoutMs,
          lifetimeMs: options.sessions.lifetimeMs,
        }),
      );
      // a session this browser had is ended, not left alive beside the new one
      await runProgram(options.runtime, closeConsoleSession({ token: sessionTokenOf(request) }));
      setSessionCookie(reply, opened.token);
      return reply.redirect('/console/topups', 303);
    } catch (error) {
      if (!(error instanceof ApiKeyRefused)) throw error;
      await options.failures.recordFailure(request);
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(signInPage('That API key was not accepted: it is unknown, revoked or mistyped.'));
    }
  });

  app.post('/sign-out', async (request, reply) => {
    checkedSessionOf(request, formOf(request.body));
    await runProgram(options.runtime, closeConsoleSession({ token: sessionTokenOf(request) }));
    clearSessionCookie(reply);
    return reply.redirect('/console/sign-in', 303);
  });
};
