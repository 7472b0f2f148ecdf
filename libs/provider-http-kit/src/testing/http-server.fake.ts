import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the fake received, for tests to assert on. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface FakeReply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Drop the connection instead of answering (status, body and headers are ignored). */
  readonly hangUp?: boolean | undefined;
}

/** Scripted behaviours every fake provider supports, taken one per request in order. */
export type CommonScript =
  /** Any answer, verbatim. */
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly body: string;
      readonly headers?: Readonly<Record<string, string>> | undefined;
    }
  /** 429; `retryAfter` is the Retry-After header (seconds or an HTTP date), absent when undefined. */
  | { readonly kind: 'rate-limited'; readonly retryAfter?: string }
  | { readonly kind: 'server-error'; readonly status?: number }
  /** Answers normally, after `delayMs` (for timeouts). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Reads the request, then drops the connection without answering. */
  | { readonly kind: 'hang-up' };

export interface FakeHttpServer<S> {
  readonly baseUrl: string;
  readonly requests: readonly RecordedRequest[];
  /** Scripts for the next requests; requests beyond the scripts get the provider's normal behaviour. */
  readonly enqueue: (...scripts: readonly (S | CommonScript)[]) => void;
  readonly close: () => Promise<void>;
}

const isCommon = (script: unknown): script is CommonScript =>
  typeof script === 'object' &&
  script !== null &&
  'kind' in script &&
  ['reply', 'rate-limited', 'server-error', 'slow', 'hang-up'].includes(String(script.kind));

const jsonOf = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const readRequest = (request: IncomingMessage): Promise<RecordedRequest> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('end', () => {
      const bodyText = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      );
      resolve({ method: request.method ?? '', path: request.url ?? '', headers, bodyText, json: jsonOf(bodyText) });
    });
  });

const write = (response: ServerResponse, reply: FakeReply): void => {
  if (response.destroyed) return;
  if (reply.hangUp === true) {
    response.socket?.destroy();
    return;
  }
  try {
    response.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
  } catch {
    // a header node refuses to write: answer nothing rather than crash the fake
    response.socket?.destroy();
    return;
  }
  response.end(reply.body);
};

/**
 * A provider fake on node:http at 127.0.0.1 on a free port. `handle` is the
 * provider's behaviour for a request, given the provider-specific script of
 * that request if any.
 */
export const startFakeHttpServer = async <S>(
  handle: (request: RecordedRequest, script: S | undefined) => FakeReply,
): Promise<FakeHttpServer<S>> => {
  const requests: RecordedRequest[] = [];
  const scripts: (S | CommonScript)[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const answer = (recorded: RecordedRequest, response: ServerResponse, script: S | CommonScript | undefined): void => {
    if (!isCommon(script)) return write(response, handle(recorded, script));
    switch (script.kind) {
      case 'reply':
        return write(response, script);
      case 'rate-limited':
        return write(response, {
          status: 429,
          body: JSON.stringify({ error: 'Too Many Requests' }),
          headers: script.retryAfter === undefined ? {} : { 'Retry-After': script.retryAfter },
        });
      case 'server-error':
        return write(response, {
          status: script.status ?? 500,
          body: '<html><body>Internal Server Error</body></html>',
          headers: { 'Content-Type': 'text/html' },
        });
      case 'hang-up':
        response.socket?.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          write(response, handle(recorded, undefined));
        }, script.delayMs);
        timers.add(timer);
        return;
      }
    }
  };

  const server = createServer((request, response) => {
    void readRequest(request).then((recorded) => {
      requests.push(recorded);
      answer(recorded, response, scripts.shift());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...next) => {
      scripts.push(...next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

/** A base URL where nothing listens (a port just released): connecting is refused. */
export const unusedBaseUrl = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};
