// The failure of an enqueue of a top-up command.
import { taggedError } from '@airtime/domain';

/**
 * The queue did not take the command (the broker down or unreachable, no
 * confirm in time, a nack, no queue bound). Retryable: the same command
 * under the same message id may be enqueued again (the consumer's inbox
 * takes it once); a top-up already committed is sent by the stalled-top-up
 * recovery if its command never arrives.
 */
export class CommandEnqueueFailed extends taggedError('CommandEnqueueFailed', {
  code: 'COMMAND_ENQUEUE_FAILED',
  retryable: true,
})<{ readonly reason: string }>((e) => `the top-up command could not be enqueued: ${e.reason}`) {}
