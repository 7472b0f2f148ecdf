// A local HTTP server that records the callbacks POSTed to it, for tests.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The status this request was answered with. */
  readonly answeredWith: number;
}

export interface CallbackReceiver {
  /** e.g. http://127.0.0.1:40123/callbacks */
  readonly url: string;
  readonly received: () => readonly ReceivedCallback[];
  /** The statuses to answer, in order (then `defaultStatus`): `[500, 500]` fails the first two callbacks. */
  readonly answerNext: (...statuses: readonly number[]) => void;
  /** Resolves once `count` callbacks have been received (any status). */
  readonly waitFor: (count: number) => Promise<readonly ReceivedCallback[]>;
  readonly close: () => Promise<void>;
}

export const startCallbackReceiver = async (
  options: { readonly defaultStatus?: number; readonly path?: string } = {},
): Promise<CallbackReceiver> => {
  const received: ReceivedCallback[] = [];
  const queue: number[] = [];
  const waiters: { readonly count: number; readonly resolve: (all: readonly ReceivedCallback[]) => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        // kept as text
      }
      const status = queue.shift() ?? options.defaultStatus ?? 200;
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        answeredWith: status,
      });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{}');
      for (const waiter of [...waiters]) {
        if (received.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve([...received]);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.path ?? '/callbacks'}`,
    received: () => [...received],
    answerNext: (...statuses) => queue.push(...statuses),
    waitFor: (count) =>
      received.length >= count
        ? Promise.resolve([...received])
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
