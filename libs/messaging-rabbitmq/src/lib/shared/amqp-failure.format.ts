// Turns what amqplib throws or emits into a reason that names a kind (an
// AMQP reply code and its name, a socket error code, a known client state)
// and whether trying again later may succeed. The broker's reply text is
// left out: it quotes names and, on a refused login, the user name.

/** A failure of the broker or the client, described for logs and error values. */
export interface AmqpFailure {
  readonly reason: string;
  readonly retryable: boolean;
}

/**
 * AMQP 0-9-1 reply codes (the spec's constants) and whether a retry may
 * succeed: 3xx and resource errors are transient; a refusal, a missing
 * entity or a broken precondition fails the same way until someone changes
 * the broker's configuration.
 */
const REPLY_CODES: Readonly<Record<number, AmqpFailure>> = {
  311: { reason: 'CONTENT_TOO_LARGE', retryable: false },
  313: { reason: 'NO_CONSUMERS', retryable: true },
  320: { reason: 'CONNECTION_FORCED', retryable: true },
  402: { reason: 'INVALID_PATH', retryable: false },
  403: { reason: 'ACCESS_REFUSED', retryable: false },
  404: { reason: 'NOT_FOUND', retryable: false },
  405: { reason: 'RESOURCE_LOCKED', retryable: true },
  406: { reason: 'PRECONDITION_FAILED', retryable: false },
  501: { reason: 'FRAME_ERROR', retryable: true },
  502: { reason: 'SYNTAX_ERROR', retryable: false },
  503: { reason: 'COMMAND_INVALID', retryable: false },
  504: { reason: 'CHANNEL_ERROR', retryable: true },
  505: { reason: 'UNEXPECTED_FRAME', retryable: true },
  506: { reason: 'RESOURCE_ERROR', retryable: true },
  530: { reason: 'NOT_ALLOWED', retryable: false },
  540: { reason: 'NOT_IMPLEMENTED', retryable: false },
  541: { reason: 'INTERNAL_ERROR', retryable: true },
};

/** Messages of amqplib's own errors that carry no outside value, by the kind they name. */
const CLIENT_MESSAGES: readonly (readonly [RegExp, AmqpFailure])[] = [
  [/^Heartbeat timeout/, { reason: 'heartbeat timeout', retryable: true }],
  [/^Unexpected close/, { reason: 'socket closed by the peer', retryable: true }],
  [/^Socket closed abruptly/, { reason: 'socket closed during the handshake', retryable: true }],
  [/^connect ETIMEDOUT/, { reason: 'connect timeout (ETIMEDOUT)', retryable: true }],
  [/^Channel ended/, { reason: 'channel ended before the reply', retryable: true }],
  [/^(Channel|Connection) clos(ed|ing)/, { reason: 'channel or connection already closed', retryable: true }],
  [/^message nacked/, { reason: 'nacked by the broker', retryable: true }],
  [/^channel closed/, { reason: 'channel closed', retryable: true }],
  [/^No channels left/, { reason: 'no channel numbers left on the connection', retryable: true }],
];

type ErrorLike = { readonly name: string; readonly message: string; readonly code?: unknown };

// Node's own errors (net, tls) come from another realm under test runners: no `instanceof Error`
const isErrorLike = (error: unknown): error is ErrorLike =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { message?: unknown }).message === 'string' &&
  typeof (error as { name?: unknown }).name === 'string';

const replyCodeOf = (error: ErrorLike): number | undefined => {
  if (typeof error.code === 'number') return error.code;
  // a refused handshake carries its code in the message only: "Handshake terminated by server: 403 (ACCESS-REFUSED) ..."
  const handshake = /^Handshake terminated by server: (\d{3})/.exec(error.message);
  return handshake?.[1] === undefined ? undefined : Number(handshake[1]);
};

/** Describes an amqplib error (or anything thrown) by its kind. */
export const describeAmqpFailure = (error: unknown): AmqpFailure => {
  if (!isErrorLike(error)) return { reason: 'unexpected non-error failure', retryable: true };
  const replyCode = replyCodeOf(error);
  if (replyCode !== undefined) {
    const known = REPLY_CODES[replyCode];
    return known === undefined
      ? { reason: `AMQP reply code ${replyCode}`, retryable: true }
      : { reason: `${known.reason} (${replyCode})`, retryable: known.retryable };
  }
  const code = error.code;
  if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return { reason: code, retryable: true };
  if (error.name === 'IllegalOperationError')
    return { reason: 'channel or connection already closed', retryable: true };
  for (const [pattern, failure] of CLIENT_MESSAGES) {
    if (pattern.test(error.message)) return failure;
  }
  return { reason: `unexpected ${error.name}`, retryable: true };
};
