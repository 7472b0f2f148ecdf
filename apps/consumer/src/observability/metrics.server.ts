// The small HTTP server of the consumer's operations: `/metrics` (the
// Prometheus text format) and `/healthz` (200 when every check passes, 503
// otherwise, with each check's state). node:http, nothing else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ReadinessCheck, runReadinessChecks } from '@airtime/platform-runtime';
import type { Registry } from 'prom-client';

/** One health check: whether it passes (and why not). */
export type HealthCheck = ReadinessCheck;

export interface MetricsServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly registry: Registry;
  readonly checks: Readonly<Record<string, HealthCheck>>;
  /** A check slower than this fails (default 2 s). */
  readonly checkTimeoutMs?: number | undefined;
}

export interface MetricsServer {
  readonly url: string;
  readonly port: number;
  readonly close: () => Promise<void>;
}

export const startMetricsServer = async (options: MetricsServerOptions): Promise<MetricsServer> => {
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      options.registry
        .metrics()
        .then((text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text))
        .catch(() => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'));
      return;
    }
    if (path === '/healthz') {
      runReadinessChecks(options.checks, checkTimeoutMs)
        .then(({ ok, checks }) => {
          const body = JSON.stringify({ status: ok ? 'ok' : 'unavailable', checks });
          response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(body);
        })
        .catch(() => response.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
