// Whether the API can listen on API_HOST:API_PORT, checked before the start
// touches anything (the database, RabbitMQ's topology), and the error of a
// listen that fails anyway (a port taken between the check and the listen)
// naming the variable to change rather than node's `listen EADDRINUSE`.
import { createServer } from 'node:net';

/** The error of a failed listen on `host`:`port`, naming API_PORT or API_HOST (the cause kept); others as they are. */
export const listenFailure = (error: unknown, host: string, port: number): unknown => {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const otherPort = 'set API_PORT to another port, or 0 for any free one';
  const message =
    code === 'EADDRINUSE'
      ? `port ${port} of ${host} is in use (another API, or npm start?): ${otherPort}`
      : code === 'EACCES'
        ? `port ${port} of ${host} cannot be opened by this user (a port below 1024 needs privileges): ${otherPort}`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `API_HOST ${host} is not an address of this machine: set API_HOST to one (127.0.0.1, 0.0.0.0, ::)`
          : undefined;
  return message === undefined ? error : new Error(message, { cause: error });
};

/** Resolves when `host`:`port` can be listened on now (port 0 always can); rejects with listenFailure's error. */
export const checkApiPort = (host: string, port: number): Promise<void> =>
  port === 0
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', (error) => reject(listenFailure(error, host, port)));
        probe.listen({ host, port }, () => probe.close(() => resolve()));
      });
