import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackHeaders, deliverCallbacks, verifyCallbackSignature } from '@airtime/application';
import { makeRelayCallbackDeliveries, makeRelayClock, makeRelayUnitOfWork } from '@airtime/application/testing';
import { Effect, Layer } from 'effect';
import { fetchCallbackSenderLayer, makeFetchCallbackSender } from './fetch-callback-sender.adapter';

interface Received {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

let server: Server;
let base: string;
const received: Received[] = [];
let handler: (request: IncomingMessage, response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  received.length = 0;
  handler = (_request, response) => response.writeHead(200).end('ok');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const body = JSON.stringify({ type: 'topup.completed', topUpId: 'topup-1', note: 'café €' });
type SenderOptions = NonNullable<Parameters<typeof makeFetchCallbackSender>[0]>;
/** A POST by a sender allowed to reach this test's local server (a private host) unless told otherwise. */
const post = (url: string, options: SenderOptions = {}) =>
  Effect.runPromise(
    makeFetchCallbackSender({ allowPrivateHosts: true, ...options }).post(url, body, { 'X-Airtime-Event-Id': 'evt-1' }),
  );

/** A resolver answering `addresses` for every name, counting its calls. */
const resolverOf = (...addresses: string[]) => {
  const calls: string[] = [];
  const resolve = (hostname: string) => {
    calls.push(hostname);
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return { calls, resolve };
};

describe('fetch callback sender (a local HTTP server)', () => {
  it('POSTs the exact body bytes as JSON with the given headers, and answers the status and duration', async () => {
    const answer = await post(`${base}/hooks/acme?token=t0k3n`);
    expect(answer).toEqual({ status: 200, durationMs: expect.any(Number) });
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/acme?token=t0k3n');
    expect(request?.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-airtime-event-id': 'evt-1',
      'user-agent': 'airtime-callbacks/1',
    });
  });

  it('answers a 4xx or 5xx status as it came', async () => {
    handler = (_request, response) => response.writeHead(503).end('down');
    expect(await post(`${base}/x`)).toMatchObject({ status: 503 });
    handler = (_request, response) => response.writeHead(410).end();
    expect(await post(`${base}/x`)).toMatchObject({ status: 410 });
  });

  it('never follows a redirect: the 3xx is the answer and its target is never called', async () => {
    handler = (request, response) => {
      if (request.url === '/moved') response.writeHead(307, { location: `${base}/target` }).end();
      else response.writeHead(200).end();
    };
    expect(await post(`${base}/moved`)).toEqual({
      status: 307,
      durationMs: expect.any(Number),
      error: 'HTTP 307 (redirects are not followed)',
    });
    expect(received.map((r) => r.path)).toEqual(['/moved']);
  });

  it('gives up after the timeout with no status', async () => {
    // answers only after 3 s: the answer below (no status, the 200 ms timeout's error) says the sender gave up
    // at its own timeout, before that answer, with no wall-clock bound a loaded machine's pauses could break
    handler = (_request, response) => void setTimeout(() => response.writeHead(200).end('late'), 3_000).unref();
    const answer = await post(`${base}/slow`, { timeoutMs: 200 });
    expect(answer).toEqual({ status: null, durationMs: expect.any(Number), error: 'no answer within 200 ms' });
    expect(answer.durationMs).toBeGreaterThanOrEqual(190);
  });

  it('names a refused connection by its code, never by a message quoting the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const answer = await post(`http://127.0.0.1:${port}/hooks?token=secret-token`);
    expect(answer).toMatchObject({ status: null, error: 'no answer (ECONNREFUSED)' });
    expect(JSON.stringify(answer)).not.toContain('secret-token');
  });

  it('reads no more than a few KiB of an endless answer', async () => {
    let written = 0;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk)) written += chunk.length;
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    };
    // a timeout far beyond a loaded machine's pauses: an answer before it was cut by the size limit, not by it
    const timeoutMs = 20_000;
    const answer = await post(`${base}/endless`, { timeoutMs });
    expect(answer.status).toBe(200);
    expect(answer.durationMs).toBeLessThan(timeoutMs);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a URL that is not http(s) without any request', async () => {
    expect(await post('file:///etc/passwd')).toEqual({
      status: null,
      durationMs: 0,
      error: 'the callback URL is not http(s)',
    });
    expect(await post('not a url')).toMatchObject({ status: null, error: 'the callback URL cannot be read' });
    expect(received).toEqual([]);
  });

  it('delivers a signed callback end to end with deliverCallbacks', async () => {
    const unitOfWork = makeRelayUnitOfWork();
    const store = makeRelayCallbackDeliveries(unitOfWork);
    const clock = makeRelayClock(new Date('2026-12-01T10:00:00Z'));
    store.setSecret('acme', 'whsec-acme');
    Effect.runSync(
      store.service.enqueue({
        id: 'dlv-1',
        eventId: 'evt-1',
        topUpId: 'topup-1',
        accountId: 'acme',
        url: `${base}/hooks/acme`,
        body,
        nextAttemptAt: clock.now(),
        createdAt: clock.now(),
      }),
    );
    const report = await Effect.runPromise(
      deliverCallbacks({ batchSize: 10 }).pipe(
        Effect.provide(
          Layer.mergeAll(
            unitOfWork.layer,
            store.layer,
            clock.layer,
            fetchCallbackSenderLayer({ allowPrivateHosts: true }),
          ),
        ),
      ),
    );
    expect(report).toEqual({ claimed: 1, delivered: 1, failed: 0, abandoned: 0 });
    const expected = callbackHeaders({ eventId: 'evt-1', body }, 'whsec-acme', clock.now());
    const [request] = received;
    expect(request?.headers).toMatchObject({
      'x-airtime-signature': expected['X-Airtime-Signature'],
      'x-airtime-event-id': 'evt-1',
    });
    // the receiver's check, over the raw bytes it read
    const signature = request?.headers['x-airtime-signature'];
    const rawBody = request?.body ?? Buffer.alloc(0);
    expect(verifyCallbackSignature('whsec-acme', signature, rawBody, clock.now().getTime()).valid).toBe(true);
    expect(verifyCallbackSignature('whsec-other', signature, rawBody, clock.now().getTime()).valid).toBe(false);
  });

  it('connects to the address its lookup checked: a name resolved once, never again by the system', async () => {
    const port = new URL(base).port;
    const resolver = resolverOf('127.0.0.1');
    // no system resolver knows this name: the request can only reach the server through the checked answer
    const answer = await post(`http://callbacks.airtime-test.example:${port}/hooks`, { resolve: resolver.resolve });
    expect(answer).toMatchObject({ status: 200 });
    expect(resolver.calls).toEqual(['callbacks.airtime-test.example']);
    expect(received.map((request) => request.headers.host)).toEqual([`callbacks.airtime-test.example:${port}`]);
  });
});

describe('fetch callback sender: hosts inside the platform (default: refused)', () => {
  const strict = (url: string, options: SenderOptions = {}) =>
    post(url, { allowPrivateHosts: false, timeoutMs: 2_000, ...options });

  it('refuses a URL whose host is a loopback address or localhost, with no request and no lookup', async () => {
    const port = new URL(base).port;
    const resolver = resolverOf('127.0.0.1');
    expect(await strict(`${base}/hooks?token=secret-token`, { resolve: resolver.resolve })).toEqual({
      status: null,
      durationMs: 0,
      error: "not sent: the host's address is not public (loopback)",
    });
    expect(await strict(`http://localhost:${port}/hooks`, { resolve: resolver.resolve })).toMatchObject({
      error: 'not sent: the host is not public (localhost or a name under it)',
    });
    expect(await strict(`http://2130706433:${port}/hooks`)).toMatchObject({ error: expect.stringMatching(/loopback/) });
    expect(received).toEqual([]);
    expect(resolver.calls).toEqual([]);
  });

  it('refuses a public name that resolves to a private address, or to one among public ones (DNS rebinding), sending nothing', async () => {
    const port = new URL(base).port;
    for (const addresses of [['127.0.0.1'], ['93.184.215.14', '127.0.0.1'], ['::ffff:127.0.0.1'], ['::1']]) {
      const resolver = resolverOf(...addresses);
      const answer = await strict(`http://rebind.airtime-test.example:${port}/hooks?token=secret-token`, {
        resolve: resolver.resolve,
      });
      expect(answer).toEqual({
        status: null,
        durationMs: expect.any(Number),
        error: 'not sent: the host resolved to an address that is not public (loopback)',
      });
      expect(JSON.stringify(answer)).not.toContain('secret-token');
      expect(resolver.calls).toEqual(['rebind.airtime-test.example']);
    }
    expect(received).toEqual([]);
  });

  it('names a name that does not resolve by its code, and times out a resolver that never answers', async () => {
    const failing = (): Promise<never> => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    expect(await strict('https://nowhere.airtime-test.example/x', { resolve: failing })).toMatchObject({
      status: null,
      error: 'no answer (ENOTFOUND)',
    });
    const silent = (): Promise<never> => new Promise<never>(() => undefined);
    expect(await strict('https://slow.airtime-test.example/x', { resolve: silent, timeoutMs: 200 })).toMatchObject({
      status: null,
      error: 'no answer within 200 ms',
    });
  });
});
