// The simulator over HTTP: the DVS API subset under /v1 (Basic auth,
// faults, rate limit) and the test controls under /__simulator/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatorEngine, type SimulatorEngineOptions } from '../engine/simulator-engine';
import { dvsError } from '../engine/simulator.errors';
import { adminRoutes } from './admin.routes';
import { type ApiCredentials, authenticate } from './basic-auth';
import { dvsRoutes, type Route } from './dvs.routes';
import { BodyTooLarge, dvsErrorReply, errorBody, json, type Reply, readBody, writeReply } from './http-io';
import { RateLimiter } from './rate-limiter';

export interface SimulatorServerOptions extends SimulatorEngineOptions, ApiCredentials {
  /** Default 0: a free port. */
  readonly port?: number | undefined;
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Serve this engine instead of a new one (it is not closed with the server). */
  readonly engine?: SimulatorEngine | undefined;
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
}

export interface SimulatorServer {
  /** Base URL without the version, e.g. http://127.0.0.1:40123 (the DVS API is under `${url}/v1`). */
  readonly url: string;
  readonly port: number;
  readonly engine: SimulatorEngine;
  /** Resets the engine (see `SimulatorEngine.reset`) and the rate-limit windows. */
  readonly reset: () => void;
  readonly close: () => Promise<void>;
}

type AnyRoute = Omit<Route, 'method'> & { readonly method: string };

const match = (routes: readonly AnyRoute[], method: string, path: string) => {
  for (const route of routes) {
    const found = route.method === method ? route.path.exec(path) : null;
    if (found) return { route, params: found.slice(1) };
  }
  return undefined;
};

const parseJson = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  if (text.trim().length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const startSimulatorServer = async (options: SimulatorServerOptions): Promise<SimulatorServer> => {
  if (options.apiKey.length === 0 || options.apiSecret.length === 0)
    throw new RangeError('apiKey and apiSecret must not be empty');
  const ownsEngine = options.engine === undefined;
  const engine = options.engine ?? new SimulatorEngine(options);
  const limiter = new RateLimiter(() => Date.now());
  const dvs: readonly AnyRoute[] = dvsRoutes(engine);
  const admin: readonly AnyRoute[] = adminRoutes(engine, () => limiter.clear());
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;

  const readJson = async (request: IncomingMessage): Promise<{ readonly body: unknown } | Reply> => {
    try {
      const parsed = parseJson(await readBody(request, maxBodyBytes));
      return parsed.ok ? { body: parsed.value } : dvsErrorReply(dvsError(1000400, 'the body is not valid JSON'));
    } catch (error) {
      return error instanceof BodyTooLarge
        ? dvsErrorReply(dvsError(1000400, error.message))
        : dvsErrorReply(dvsError(1000400, 'unreadable body'));
    }
  };

  const serveAdmin = async (request: IncomingMessage, url: URL): Promise<Reply> => {
    const found = match(admin, request.method ?? 'GET', url.pathname);
    if (!found) return json(404, errorBody(1000404, 'Resource not found'));
    const read = await readJson(request);
    if ('kind' in read) return read;
    return found.route.handle({ params: found.params, query: url.searchParams, body: read.body });
  };

  const serveDvs = async (request: IncomingMessage, url: URL): Promise<Reply> => {
    const apiKey = authenticate(request.headers.authorization, options);
    if (apiKey === undefined) {
      request.resume();
      return json(401, errorBody(1000401, 'Unauthorized'), { 'WWW-Authenticate': 'Basic realm="DVS simulator"' });
    }
    const faults = engine.faults();
    let rateHeaders: Record<string, string> = {};
    if (faults.rateLimitPerSecond !== undefined) {
      const decision = limiter.take(apiKey, faults.rateLimitPerSecond);
      rateHeaders = {
        'X-Ratelimit-Limit': String(decision.limit),
        'X-Ratelimit-Remaining': String(decision.remaining),
      };
      if (!decision.allowed) {
        request.resume();
        return dvsErrorReply(dvsError(1000429), { ...rateHeaders, 'Retry-After': String(decision.retryAfterSeconds) });
      }
    }
    const withHeaders = (reply: Reply): Reply =>
      reply.kind === 'json' ? { ...reply, headers: { ...reply.headers, ...rateHeaders } } : reply;
    const read = await readJson(request);
    if ('kind' in read) return withHeaders(read);
    if (engine.drawFailure())
      return withHeaders(dvsErrorReply(dvsError(faults.errorStatus === 500 ? 1009001 : 1009503)));
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const found = match(dvs, request.method ?? 'GET', url.pathname);
    if (!found) return withHeaders(dvsErrorReply(dvsError(1000404)));
    const reply = await found.route.handle({ params: found.params, query: url.searchParams, body: read.body });
    const accepted = reply.kind === 'json' && reply.status >= 200 && reply.status < 300;
    if (found.route.send && accepted && engine.faults().timeoutAfterAccept) return { kind: 'hang' };
    return withHeaders(reply);
  };

  // the Date header tells the simulation's clock, the one its dates (creation_date...) are on
  const dated = (reply: Reply): Reply =>
    reply.kind === 'json'
      ? { ...reply, headers: { Date: new Date(engine.now()).toUTCString(), ...reply.headers } }
      : reply;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const url = new URL(request.url ?? '/', 'http://simulator.invalid');
      const reply = url.pathname.startsWith('/__simulator/')
        ? await serveAdmin(request, url)
        : await serveDvs(request, url);
      writeReply(response, dated(reply));
    } catch (error) {
      options.onError?.(error);
      writeReply(response, dated(dvsErrorReply(dvsError(1009001))));
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    engine,
    reset: () => {
      engine.reset();
      limiter.clear();
    },
    close: async () => {
      if (ownsEngine) engine.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};
