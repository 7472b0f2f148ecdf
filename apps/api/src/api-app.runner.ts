// Starts and stops the whole API in one process: checks that API_PORT can
// be listened on (a port in use fails the start naming API_PORT, before
// anything is opened or declared), builds the container,
// opens the database (refusing one with pending migrations), connects the
// messaging (RabbitMQ: connection up, topology declared; or the in-process
// bus), builds the runtime, starts the HTTP server, then the consumer's
// workers when API_WORKERS=true. `stop` is the graceful shutdown: the
// workers first (their commands in flight finish), then stop accepting,
// finish the requests in flight, then close everything (the container's
// CLOSE_ORDER). main.ts runs it; the integration specs run it
// in-process.
import type { Container, ServiceIdentifier } from 'inversify';
import { checkApiPort } from './composition/api-port.check';
import { buildApiContainer, closeApiContainer, type ApiContainerOptions } from './composition/container';
import { TOKENS } from './composition/tokens';
import { WORKERS } from './composition/workers.module';

export interface ApiApp {
  readonly container: Container;
  /** Where the API listens, e.g. `http://127.0.0.1:8080` (`/docs`, `/healthz`, `/v1/...`). */
  readonly url: string;
  /** Graceful shutdown; resolves with the closing failures (none normally). Idempotent. */
  readonly stop: () => Promise<readonly string[]>;
}

export interface ApiAppOptions extends ApiContainerOptions {
  /** Bindings of added modules to close before the API's own (e.g. workers), in order. */
  readonly closeFirst?: readonly ServiceIdentifier[] | undefined;
}

export const startApiApp = async (options: ApiAppOptions): Promise<ApiApp> => {
  const workers = options.config.workers.enabled;
  const closeFirst = [...(workers ? [WORKERS] : []), ...(options.closeFirst ?? [])];
  // a port in use: no database opened (nor migrated), no topology declared
  await checkApiPort(options.config.http.host, options.config.http.port);
  const container = await buildApiContainer(options);
  const logger = container.get(TOKENS.logger);
  try {
    // the database first: an unmigrated one stops the start before anything touches the messaging
    await container.getAsync(TOKENS.dataSource);
    await container.getAsync(TOKENS.messagingCheck);
    // build every layer now, so that a broken one fails the start rather than the first request
    await (await container.getAsync(TOKENS.runtime)).runtime();
    const server = await container.getAsync(TOKENS.httpServer);
    // resolving the workers starts them
    if (workers) await container.getAsync(WORKERS);
    logger.info(
      { url: server.url, docs: `${server.url}/docs`, provider: options.config.runtime.provider.kind },
      'api started',
    );
    let stopping: Promise<readonly string[]> | undefined;
    return {
      container,
      url: server.url,
      stop: () => {
        stopping ??= (async () => {
          logger.info('api stopping');
          const failures = await closeApiContainer(container, closeFirst);
          logger.info({ failures }, 'api stopped');
          return failures;
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeApiContainer(container, closeFirst);
    throw error;
  }
};
