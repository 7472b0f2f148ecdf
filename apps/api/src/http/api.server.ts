// The API's Fastify server: JSON in and out, one error shape for every
// answer, the OpenAPI document and its UI (/docs, /docs/json), request
// metrics (/metrics), health and readiness (/healthz, /readyz), the /v1
// routes behind an API key, its per-key rate limit and the per-client limit
// on failed authentications, and the provider
// callback and airtime service routes. Inputs are decoded by the handlers
// with effect/Schema (Fastify's validation accepts everything; the route
// schemas only describe the routes for the OpenAPI document) and answers are
// written with JSON.stringify (no response schema filters a field).
//
// Errors: a tagged error of the API's table (api-errors.table.ts) is
// answered with its status and code; what Fastify refuses before a route
// runs (bad JSON, a body too large, another media type) with the fixed
// answers of fastify-errors.table.ts; anything else is a defect: 500
// INTERNAL with no details, logged with its cause. What Node's HTTP parser
// refuses before a request exists (headers too large, bytes that are not
// HTTP/1.1) is answered in the same shape on the socket, which then closes.
import type { TopUpRequestRules } from '@airtime/application';
import { makeTopUpChangeWriter, makeTopUpIntake, type PlatformLogger } from '@airtime/platform-runtime';
import Fastify, {
  type ConnectionError,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiRuntime } from '../composition/runtime';
import type { ApiHttpSettings } from '../config/api.config';
import type { ApiMetrics } from '../observability/api-metrics';
import { consoleFrameworkError, consoleRoutes } from '../console/console.routes';
import { airtimeRoutes } from '../routes/airtime/airtime.routes';
import { callbackRoutes } from '../routes/callbacks/callbacks.routes';
import { healthRoutes, type ReadinessCheck } from '../routes/health.routes';
import type { ApiRouteOptions } from '../routes/route-context';
import { v1Routes } from '../routes/v1/v1.routes';
import { makeSubmitTopUp } from '../topups/top-up-submission';
import { makeApiKeyAuthenticator } from './api-key-auth.plugin';
import { answerOf, fieldOf, isApiError } from './api-errors.table';
import { errorView } from './error-view.schema';
import { clientErrorAnswerOf, fastifyAnswerOf } from './fastify-errors.table';
import { jsonBodyPlugin } from './json-body.plugin';
import { metricsPlugin } from './metrics.plugin';
import { openApiPlugin } from './openapi.plugin';
import { makeAuthFailureLimit, rateLimitPlugin } from './rate-limit.plugin';
import { logRequestDefect } from './run-use-case';

export interface ApiServerOptions {
  readonly runtime: ApiRuntime;
  readonly http: ApiHttpSettings;
  readonly logger: PlatformLogger;
  readonly metrics: ApiMetrics;
  /** What /readyz checks (the database, the broker or the in-process bus). */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** The request rules shared with the consumer (CALLBACK_ALLOW_PRIVATE_HOSTS). */
  readonly rules: TopUpRequestRules;
  /**
   * The most concurrent top-up requests written in one unit of work
   * (COMMAND_BATCH_MAX, as the consumer's commands; see makeTopUpIntake);
   * 1 or not given: each request in a unit of work of its own.
   */
  readonly topUpBatchMax?: number | undefined;
  /**
   * The most concurrent provider callbacks' top-up changes written in one
   * unit of work (CHANGE_BATCH_MAX, as the workers' changes; see
   * makeTopUpChangeWriter); 1 or not given: each in a unit of work of its own.
   */
  readonly changeBatchMax?: number | undefined;
}

const INTERNAL = errorView('INTERNAL', 'an internal error occurred');

/** Answers an error thrown by a hook or a handler (see the file's header). */
const answerError = (logger: PlatformLogger) => (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  if (isApiError(error)) {
    const answer = answerOf(error);
    // the per-key limit's 429 has its headers from @fastify/rate-limit; the per-client one sets its own
    if (error._tag === 'AuthFailuresLimited') void reply.header('retry-after', String(error.retryAfterSeconds));
    // a compressed body: the one coding the API reads (RFC 9110 §15.5.16)
    if (error._tag === 'UnsupportedContentEncoding') void reply.header('accept-encoding', 'identity');
    if (answer.status >= 500) {
      logger.warn({ route: request.routeOptions.url, code: answer.code, reason: error.message }, 'request failed');
    }
    return reply.code(answer.status).send(errorView(answer.code, answer.message, fieldOf(error)));
  }
  const refused = fastifyAnswerOf(error);
  if (refused !== undefined) return reply.code(refused.status).send(errorView(refused.code, refused.message));
  logRequestDefect(logger, request, error, 'request failed with a defect');
  return reply.code(500).send(INTERNAL);
};

/**
 * Answers an error of Node's HTTP parser (Fastify's clientErrorHandler; see the file's header), as
 * Node's own handler does: nothing on a connection reset, nor once a response of the connection has
 * begun (its bytes would be corrupted), then the connection is closed.
 */
const answerClientError = (error: ConnectionError, socket: Socket): void => {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { readonly _httpMessage?: { readonly headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const answer = clientErrorAnswerOf(error);
    const body = JSON.stringify(errorView(answer.code, answer.message));
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
};

/** API_TRUST_PROXY as Fastify takes it (a hop count n: the n proxies nearest the server are believed). */
const trustProxyOf = (setting: ApiHttpSettings['trustProxy']) => {
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
};

/** Builds the API's server (not listening yet): every plugin and route registered, ready to `listen`. */
export const buildApiServer = async (options: ApiServerOptions): Promise<FastifyInstance> => {
  const { runtime, http, logger, metrics } = options;
  const app = Fastify({
    bodyLimit: http.bodyLimitBytes,
    // a URL the router cannot read (bad percent-encoding): our shape, never Fastify's (which quotes the URL)
    frameworkErrors: (error, request, reply) => {
      const refused = fastifyAnswerOf(error) ?? { status: 400, code: 'BAD_REQUEST', message: 'the URL cannot be read' };
      if (request.url.startsWith('/console'))
        return consoleFrameworkError(reply as FastifyReply, refused.status, refused.message);
      void (reply as FastifyReply).code(refused.status).send(errorView(refused.code, refused.message));
    },
    // what Node's HTTP parser refuses (431 headers too large, 400 not HTTP/1.1): our shape, never Fastify's
    clientErrorHandler: answerClientError,
    // X-Forwarded-For only from the proxies API_TRUST_PROXY names: request.ip is then the client's
    trustProxy: trustProxyOf(http.trustProxy),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
  });
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler<FastifyError>(answerError(logger));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorView('NOT_FOUND', 'no such route')));
  app.decorateRequest('principal', null);
  // JSON only: a text/plain body is 415, as any other media type
  app.removeContentTypeParser('text/plain');
  await app.register(jsonBodyPlugin);

  await app.register(openApiPlugin, { publicUrl: http.publicUrl });
  await app.register(metricsPlugin, { metrics });
  await app.register(healthRoutes, { checks: options.readiness });

  await app.register(async (limited) => {
    await limited.register(rateLimitPlugin, { perMinute: http.rateLimitPerMinute });
    const failures = makeAuthFailureLimit(limited, { perMinute: http.authFailuresPerMinute });
    const routeOptions: ApiRouteOptions = {
      runtime,
      authenticate: makeApiKeyAuthenticator({ runtime, cacheMs: http.apiKeyCacheMs, failures }),
      submitTopUp: makeSubmitTopUp({
        runtime,
        metrics,
        rules: options.rules,
        intake: makeTopUpIntake(options.rules, options.topUpBatchMax ?? 1),
      }),
      requestRules: options.rules,
      changeWriter: makeTopUpChangeWriter(options.changeBatchMax ?? 1),
    };
    await limited.register(v1Routes, { ...routeOptions, prefix: '/v1' });
    await limited.register(airtimeRoutes, routeOptions);
    await limited.register(callbackRoutes, routeOptions);
    await limited.register(consoleRoutes, {
      runtime,
      failures,
      submitTopUp: routeOptions.submitTopUp,
      sessions: http.console,
      logger,
      prefix: '/console',
    });
  });
  await app.ready();
  return app;
};
