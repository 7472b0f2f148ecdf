// `npm start`'s calls to the API it started, over HTTP as any caller makes
// them: waiting for /readyz, sending the demo top-up, following it until
// its status is final, and reading the account's balance.
import { FINAL_CLASSES } from '@airtime/domain';
import type { ApiRequest } from './next-steps.format';

const FINAL: ReadonlySet<string> = new Set(FINAL_CLASSES);

export interface ApiAnswer {
  readonly status: number;
  /** The JSON body, undefined when there is none or it is not JSON. */
  readonly body: unknown;
}

/** The fields of a top-up answer `npm start` reads. */
export interface TopUpSeen {
  readonly id: string;
  readonly statusId: string;
  readonly statusClass: string;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Sends a request; answers its status and JSON body. Rejects when the API cannot be reached. */
export const send = async (request: ApiRequest, signal?: AbortSignal): Promise<ApiAnswer> => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(signal === undefined ? {} : { signal }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
};

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/** The id and status of a top-up answer (one top-up), or undefined. */
export const topUpSeenOf = (body: unknown): TopUpSeen | undefined => {
  const id = field(body, 'id');
  const status = field(body, 'status');
  const statusId = field(status, 'id');
  const statusClass = field(status, 'class');
  return typeof id === 'string' && typeof statusId === 'string' && typeof statusClass === 'string'
    ? { id, statusId, statusClass }
    : undefined;
};

/** Whether a status class is final (the top-up never changes again). */
export const isFinal = (statusClass: string): boolean => FINAL.has(statusClass);

/**
 * Polls `GET <apiUrl>/readyz` until it answers 200. Rejects after
 * `timeoutMs`, or as soon as `gaveUp()` says so (the API exited).
 */
export const waitUntilReady = async (
  apiUrl: string,
  options: { readonly timeoutMs: number; readonly gaveUp: () => string | undefined },
): Promise<void> => {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const reason = options.gaveUp();
    if (reason !== undefined) throw new Error(reason);
    try {
      const response = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API was not ready within ${options.timeoutMs / 1000} s`);
    await sleep(250);
  }
};

/**
 * Reads `GET /v1/topups/{id}` every `intervalMs`, calling `onChange` with
 * each new status (the first included), until the status is final, the
 * signal aborts or `timeoutMs` passes; answers the last one seen.
 */
export const followTopUp = async (options: {
  readonly apiUrl: string;
  readonly key: string;
  readonly id: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly onChange: (topUp: TopUpSeen) => void;
}): Promise<TopUpSeen | undefined> => {
  const deadline = Date.now() + options.timeoutMs;
  let last: TopUpSeen | undefined;
  while (!options.signal.aborted && Date.now() <= deadline) {
    try {
      const answer = await send(
        {
          method: 'GET',
          url: `${options.apiUrl}/v1/topups/${encodeURIComponent(options.id)}`,
          headers: { Authorization: `Bearer ${options.key}` },
        },
        options.signal,
      );
      const seen = answer.status === 200 ? topUpSeenOf(answer.body) : undefined;
      if (seen !== undefined && seen.statusId !== last?.statusId) {
        last = seen;
        options.onChange(seen);
      }
      if (last !== undefined && isFinal(last.statusClass)) return last;
    } catch {
      // stopping, or a request that failed: the next one tells
    }
    await sleep(options.intervalMs, options.signal);
  }
  return last;
};

/** The available amount of `currency` on the account (`GET /v1/accounts/{id}/balance`), or undefined. */
export const availableOf = async (
  apiUrl: string,
  key: string,
  accountId: string,
  currency: string,
): Promise<string | undefined> => {
  const answer = await send({
    method: 'GET',
    url: `${apiUrl}/v1/accounts/${encodeURIComponent(accountId)}/balance`,
    headers: { Authorization: `Bearer ${key}` },
  });
  const balances = field(answer.body, 'balances');
  if (answer.status !== 200 || !Array.isArray(balances)) return undefined;
  const balance: unknown = balances.find((entry: unknown) => field(entry, 'currency') === currency);
  const amount = field(field(balance, 'available'), 'amount');
  return typeof amount === 'string' ? amount : undefined;
};
