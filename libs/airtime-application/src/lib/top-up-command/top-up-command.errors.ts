// The errors of reading a top-up command off the broker.
import { taggedError } from '@airtime/domain';

/**
 * A command body that is not a v1 top-up command: not UTF-8 or JSON, not an
 * object, a missing or unsupported version, fields of the wrong shape, or too
 * large. Never retried (the same bytes fail the same way): the consumer
 * dead-letters it with the reason, which names fields and kinds, never a value.
 */
export class MalformedCommand extends taggedError('MalformedCommand', {
  code: 'MALFORMED_COMMAND',
  retryable: false,
})<{ readonly reason: string }>((e) => `malformed top-up command: ${e.reason}`) {}
