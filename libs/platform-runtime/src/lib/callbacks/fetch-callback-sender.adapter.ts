// The caller's callbacks over node:http(s): one POST with a deadline, no
// redirect followed (a 3xx is a failed try: the URL was registered as is),
// and at most a few KiB of the answer read, then dropped; the answer's body
// is never kept or logged. A failure is told by its kind (timeout, a socket
// error code, a refused host), never by a message that could quote the URL
// and its token.
//
// The host is checked again when sending, not only when the request was
// taken: an address in the URL must be public, and a name is resolved here,
// every address it resolves to must be public, and the connection goes to
// one of those checked addresses (the request's `lookup`), so a name that
// answered a public address when checked cannot point inside the platform
// when called (DNS rebinding). `allowPrivateHosts` turns the check off for
// local set-ups and tests. (The file keeps its name from the fetch it used.)
import { type LookupAddress, promises as dns } from 'node:dns';
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, CallbackSender, type CallbackSenderService, callbackHostRefusal } from '@airtime/application';
import { Effect, Layer } from 'effect';

export interface FetchCallbackSenderOptions {
  /** The most one POST may take, name resolution and answer included (default 10 s). */
  readonly timeoutMs?: number | undefined;
  /** The most bytes of an answer read before it is dropped (default 4 KiB). */
  readonly maxAnswerBytes?: number | undefined;
  /** Sent as User-Agent (default "airtime-callbacks/1"). */
  readonly userAgent?: string | undefined;
  /**
   * Send to hosts that are not public (loopback, private, link-local,
   * `localhost`, single-label names...): local set-ups and tests only.
   * Default false: such a callback is not sent, and the try fails.
   */
  readonly allowPrivateHosts?: boolean | undefined;
  /** Resolves a host name to its addresses (default: the system's resolver, as Node's own lookup). */
  readonly resolve?: ((hostname: string) => Promise<readonly LookupAddress[]>) | undefined;
}

export const DEFAULT_CALLBACK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ANSWER_BYTES = 4 * 1024;

type CallbackAnswer = Effect.Effect.Success<ReturnType<CallbackSenderService['post']>>;

const systemResolve = (hostname: string): Promise<readonly LookupAddress[]> =>
  dns.lookup(hostname, { all: true, verbatim: true });

/** Why no answer came, by kind: the socket's error code, never its message. */
const noAnswerReason = (error: unknown): string => {
  const code = (error as { readonly code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)
    ? `no answer (${code})`
    : 'no answer (the request failed)';
};

/**
 * A `lookup` for the request that resolves once, refuses (through
 * `onRefused`) when any address is not public, and hands the checked
 * addresses to the socket, which connects to one of them.
 */
const checkedLookup =
  (
    resolve: (hostname: string) => Promise<readonly LookupAddress[]>,
    allowPrivateHosts: boolean,
    onRefused: (reason: string) => void,
  ): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = resolved.filter((address) => family === undefined || address.family === family);
        const refusal = allowPrivateHosts
          ? undefined
          : addresses.map((address) => addressRefusal(address.address)).find((reason) => reason !== undefined);
        const [first] = addresses;
        if (refusal !== undefined || first === undefined) {
          // "the address is not public (loopback)" -> "the host resolved to an address that is not public (loopback)"
          const reason =
            refusal === undefined
              ? 'the host resolved to no address'
              : refusal.replace(/^the address/, 'the host resolved to an address that');
          onRefused(reason);
          callback(Object.assign(new Error(reason), { code: 'ECALLBACKREFUSED' }), '');
        } else if (options.all === true) {
          callback(null, [...addresses]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
    );
  };

export const makeFetchCallbackSender = (options: FetchCallbackSenderOptions = {}): CallbackSenderService => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const userAgent = options.userAgent ?? 'airtime-callbacks/1';
  const allowPrivateHosts = options.allowPrivateHosts === true;
  const resolve = options.resolve ?? systemResolve;
  // this sender's own connection pools: a socket opened under its rules is never reused under another's
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

  const send = (url: URL, body: string, headers: Readonly<Record<string, string>>): Promise<CallbackAnswer> =>
    new Promise((settle) => {
      const started = performance.now();
      let settled = false;
      let timedOut = false;
      let refusal: string | undefined;
      let status: number | null = null;
      // the deadline covers the lookup, the connection and the answer (callbacks run later: `request` is set by then)
      const timer = setTimeout(() => {
        timedOut = true;
        if (status !== null) answered();
        request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      const done = (error?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const durationMs = Math.round(performance.now() - started);
        settle(error === undefined ? { status, durationMs } : { status, durationMs, error });
      };
      const answered = (): void => {
        if (status === null) return;
        // a redirect is not followed: the 3xx is the answer
        done(status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : undefined);
      };
      const requestOptions: RequestOptions = {
        method: 'POST',
        // an IPv6 host comes in brackets in a URL, bare to a socket
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body, 'utf8')),
          'user-agent': userAgent,
        },
        agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
        lookup: checkedLookup(resolve, allowPrivateHosts, (reason) => {
          refusal = reason;
        }),
      };
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        requestOptions,
        (response: IncomingMessage) => {
          status = response.statusCode ?? null;
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.byteLength;
            // the status is what counts: a huge or endless answer is cut here
            if (read >= maxAnswerBytes) {
              answered();
              response.destroy();
            }
          });
          response.on('end', answered);
          response.on('close', answered);
          response.on('error', answered);
        },
      );
      const failed = (error: unknown): void => {
        if (status !== null) return answered();
        if (refusal !== undefined) return done(`not sent: ${refusal}`);
        return done(timedOut ? `no answer within ${timeoutMs} ms` : noAnswerReason(error));
      };
      request.on('error', failed);
      // 'error' comes before 'close'; a close with neither an answer nor an error still ends the try
      request.on('close', () => failed(undefined));
      request.end(body);
    });

  return {
    post: (url, body, headers) =>
      Effect.promise(async (): Promise<CallbackAnswer> => {
        if (!URL.canParse(url)) return { status: null, durationMs: 0, error: 'the callback URL cannot be read' };
        const parsed = new URL(url);
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
          return { status: null, durationMs: 0, error: 'the callback URL is not http(s)' };
        }
        // an address in the URL is never looked up: it is checked here
        const hostRefusal = allowPrivateHosts ? undefined : callbackHostRefusal(parsed.hostname);
        if (hostRefusal !== undefined) return { status: null, durationMs: 0, error: `not sent: ${hostRefusal}` };
        return send(parsed, body, headers);
      }),
  };
};

/** The CallbackSender layer over node:http(s). */
export const fetchCallbackSenderLayer = (options: FetchCallbackSenderOptions = {}): Layer.Layer<CallbackSender> =>
  Layer.succeed(CallbackSender, makeFetchCallbackSender(options));
