import type { CallbackSender } from '../engine/callback-dispatcher';

/** POSTs callbacks with Node's fetch; an attempt that gets no answer within `timeoutMs` (real ms) fails. */
export const fetchCallbackSender =
  (timeoutMs = 5_000): CallbackSender =>
  async (url, body) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  };
