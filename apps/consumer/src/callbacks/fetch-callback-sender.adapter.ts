// The caller's callbacks over Node's fetch: one POST with a deadline, no
// redirect followed (a 3xx is a failed try: the URL was registered as is),
// and at most a few KiB of the answer read, then dropped; the answer's body
// is never kept or logged. A failure is told by its kind (timeout, a socket
// error code), never by a message that could quote the URL and its token.
import { CallbackSender, type CallbackSenderService } from '@airtime/application';
import { Effect, Layer } from 'effect';

export interface FetchCallbackSenderOptions {
  /** The most one POST may take, answer included (default 10 s). */
  readonly timeoutMs?: number | undefined;
  /** The most bytes of an answer read before it is dropped (default 4 KiB). */
  readonly maxAnswerBytes?: number | undefined;
  /** Sent as User-Agent (default "airtime-callbacks/1"). */
  readonly userAgent?: string | undefined;
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch | undefined;
}

export const DEFAULT_CALLBACK_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ANSWER_BYTES = 4 * 1024;

/** Reads and drops at most `maxBytes` of the body, then cancels the rest (so a huge or endless answer costs nothing). */
const drainAtMost = async (response: Response, maxBytes: number): Promise<void> => {
  const reader = response.body?.getReader();
  if (reader === undefined) return;
  let read = 0;
  try {
    while (read < maxBytes) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
  } catch {
    // the status is what counts; an answer cut short changes nothing
    return;
  }
  await reader.cancel().catch(() => undefined);
};

/** Why no answer came, by kind: the timeout, or the socket's error code. */
const noAnswerReason = (error: unknown, timeoutMs: number, timedOut: boolean): string => {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { readonly cause?: { readonly code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(cause.code) ? cause.code : undefined;
  return code === undefined ? 'no answer (the request failed)' : `no answer (${code})`;
};

export const makeFetchCallbackSender = (options: FetchCallbackSenderOptions = {}): CallbackSenderService => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const userAgent = options.userAgent ?? 'airtime-callbacks/1';
  const fetchFn = options.fetch ?? fetch;

  return {
    post: (url, body, headers) =>
      Effect.promise(async () => {
        const started = performance.now();
        const durationMs = (): number => Math.round(performance.now() - started);
        let protocol: string;
        try {
          protocol = new URL(url).protocol;
        } catch {
          return { status: null, durationMs: 0, error: 'the callback URL cannot be read' };
        }
        if (protocol !== 'https:' && protocol !== 'http:') {
          return { status: null, durationMs: 0, error: 'the callback URL is not http(s)' };
        }
        const deadline = AbortSignal.timeout(timeoutMs);
        try {
          const response = await fetchFn(url, {
            method: 'POST',
            body,
            headers: { ...headers, 'content-type': 'application/json', 'user-agent': userAgent },
            redirect: 'manual',
            signal: deadline,
          });
          await drainAtMost(response, maxAnswerBytes);
          const status = response.status;
          // undici answers a manual redirect with the 3xx itself
          return status >= 300 && status < 400
            ? { status, durationMs: durationMs(), error: `HTTP ${status} (redirects are not followed)` }
            : { status, durationMs: durationMs() };
        } catch (error) {
          return { status: null, durationMs: durationMs(), error: noAnswerReason(error, timeoutMs, deadline.aborted) };
        }
      }),
  };
};

/** The CallbackSender layer over fetch. */
export const fetchCallbackSenderLayer = (options: FetchCallbackSenderOptions = {}): Layer.Layer<CallbackSender> =>
  Layer.succeed(CallbackSender, makeFetchCallbackSender(options));
