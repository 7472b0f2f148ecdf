// The errors the console session use cases add.
import { taggedError } from '@airtime/domain';

/** Why a session is over: no such session (or not a token), past its lifetime, idle too long, its key revoked. */
export type ConsoleSessionEndReason = 'unknown' | 'expired' | 'idle' | 'revoked';

/**
 * The session token names no live session: unknown or malformed, past its
 * absolute lifetime, unused for longer than the idle timeout, or its API key
 * revoked since. The console answers all alike (sign in again); `reason` is
 * for logs.
 */
export class ConsoleSessionEnded extends taggedError('ConsoleSessionEnded', {
  code: 'UNAUTHENTICATED',
  retryable: false,
})<{
  readonly reason: ConsoleSessionEndReason;
}>(() => 'the console session has ended; sign in again') {}
