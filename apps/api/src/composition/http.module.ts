// The API's moving parts: the effect runtime over the resources (the
// platform runtime's layers and the API's own ports), and the HTTP server
// built on it, listening on API_HOST:API_PORT. Closing the server stops
// accepting connections and lets the requests in flight finish (at most
// API_SHUTDOWN_TIMEOUT_MS, then their connections are closed), and waits
// (within the same time) for the use cases still running, also those of
// requests whose client went away; the runtime is disposed after it (see
// CLOSE_ORDER), then the database.
import { databaseReadiness } from '@airtime/platform-runtime';
import type { FastifyInstance } from 'fastify';
import { ContainerModule } from 'inversify';
import type { AddressInfo } from 'node:net';
import { buildApiServer } from '../http/api.server';
import { useCasesSettled } from '../http/run-use-case';
import type { ReadinessCheck } from '../routes/health.routes';
import { listenFailure } from './api-port.check';
import { makeApiRuntime } from './runtime';
import { TOKENS } from './tokens';

export interface ApiHttpServer {
  readonly app: FastifyInstance;
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, waits for the requests in flight (bounded by the shutdown timeout), closes. Idempotent. */
  readonly close: () => Promise<void>;
}

export interface HttpModuleOptions {
  /** More readiness checks for /readyz (the database's and the messaging's are always there). */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>> | undefined;
}

const urlOf = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export const httpModule = (options: HttpModuleOptions = {}): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.runtime)
      .toDynamicValue(async (context) => {
        const config = context.get(TOKENS.config);
        return makeApiRuntime({
          dataSource: await context.getAsync(TOKENS.dataSource),
          provider: context.get(TOKENS.providerLayer),
          eventPublisher: await context.getAsync(TOKENS.eventPublisher),
          commandQueue: await context.getAsync(TOKENS.commandQueue),
          callbackSender: await context.getAsync(TOKENS.callbackSender),
          clock: context.get(TOKENS.clock),
          logger: context.get(TOKENS.logger),
          metrics: context.get(TOKENS.metrics),
          providerCallbackBaseUrl: config.runtime.providerCallbackBaseUrl,
          ledgerBatch: config.runtime.ledgerBatch,
          groupCommit: config.runtime.groupCommit,
        });
      })
      .inSingletonScope()
      .onDeactivation((runtime) => runtime.dispose());

    bind(TOKENS.httpServer)
      .toDynamicValue(async (context) => {
        const config = context.get(TOKENS.config);
        const dataSource = await context.getAsync(TOKENS.dataSource);
        const runtime = await context.getAsync(TOKENS.runtime);
        const app = await buildApiServer({
          runtime,
          http: config.http,
          logger: context.get(TOKENS.logger),
          metrics: context.get(TOKENS.metrics),
          rules: { allowPrivateCallbackHosts: config.runtime.allowPrivateCallbackHosts },
          topUpBatchMax: config.runtime.commandBatchMax,
          changeBatchMax: config.runtime.changeBatchMax,
          readiness: {
            database: databaseReadiness(dataSource),
            messaging: await context.getAsync(TOKENS.messagingCheck),
            ...options.readiness,
          },
        });
        try {
          await app.listen({ host: config.http.host, port: config.http.port });
        } catch (error) {
          await app.close();
          // a port taken since the start checked it: the error names API_PORT
          throw listenFailure(error, config.http.host, config.http.port);
        }
        const { port } = app.server.address() as AddressInfo;
        let closing: Promise<void> | undefined;
        return {
          app,
          url: urlOf(config.http.host, port),
          port,
          close: () => {
            closing ??= (async () => {
              // a keep-alive connection whose request finishes while closing is closed as soon as it is idle
              const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
              const deadline = Date.now() + config.http.shutdownTimeoutMs;
              const timer = setTimeout(() => app.server.closeAllConnections(), config.http.shutdownTimeoutMs);
              try {
                await app.close();
                // a request whose client went away still runs: its unit of work ends before the database closes
                await useCasesSettled(runtime, deadline - Date.now());
              } finally {
                clearInterval(sweep);
                clearTimeout(timer);
              }
            })();
            return closing;
          },
        };
      })
      .inSingletonScope()
      .onDeactivation((server) => server.close());
  });
