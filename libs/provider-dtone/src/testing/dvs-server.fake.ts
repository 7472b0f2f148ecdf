import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Below the fake's root, e.g. `/v1/products`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The raw body text. */
  readonly text: string;
  /** The body parsed as JSON (`undefined` when empty or not JSON). */
  readonly body: unknown;
}

export interface FakeReply {
  readonly status?: number | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Sent as JSON. */
  readonly json?: unknown | undefined;
  /** Sent verbatim (instead of `json`). */
  readonly text?: string | undefined;
  /** Wait before answering. */
  readonly delayMs?: number | undefined;
  /** Never answer (the client's deadline must fire). */
  readonly hang?: boolean | undefined;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/**
 * A tiny programmable HTTP server standing in for DVS in unit tests of the
 * adapter: routes by method and path, records every request.
 */
export interface FakeDvsServer {
  /** `http://127.0.0.1:<port>/v1`: the versioned root to configure. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  readonly on: (method: string, path: string, handler: FakeHandler) => void;
  /** Drops the routes and the recorded requests. */
  readonly reset: () => void;
  readonly close: () => Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const parse = (text: string): unknown => {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

export const startFakeDvsServer = async (): Promise<FakeDvsServer> => {
  const routes = new Map<string, FakeHandler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const reply = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const text = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      text,
      body: parse(text),
    };
    requests.push(recorded);
    const handler = routes.get(`${recorded.method} ${recorded.path}`);
    const answer: FakeReply = handler
      ? await handler(recorded)
      : { status: 404, json: { errors: [{ code: 1000404, message: 'Resource not found' }] } };
    if (answer.hang) return;
    if (answer.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const body = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
    response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    response.end(body);
  };

  const server = createServer((request, response) => {
    reply(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    on: (method, path, handler) => {
      routes.set(`${method.toUpperCase()} /v1${path}`, handler);
    },
    reset: () => {
      routes.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

/** Pages of `items` the way DVS serves them (X-* headers), `per_page` read from the query. */
export const pagedReply = (items: readonly unknown[], request: RecordedRequest): FakeReply => {
  const page = Number(request.query.get('page') ?? '1');
  const perPage = Number(request.query.get('per_page') ?? '50');
  const totalPages = Math.ceil(items.length / perPage);
  return {
    json: items.slice((page - 1) * perPage, page * perPage),
    headers: {
      'X-Total': String(items.length),
      'X-Total-Pages': String(totalPages),
      'X-Per-Page': String(perPage),
      'X-Page': String(page),
      ...(page < totalPages ? { 'X-Next-Page': String(page + 1) } : {}),
      ...(page > 1 ? { 'X-Prev-Page': String(page - 1) } : {}),
    },
  };
};
