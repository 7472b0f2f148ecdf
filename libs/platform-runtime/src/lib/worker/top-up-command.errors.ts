// The top-up command worker's own outcome of a command whose top-up is committed but
// whose first send could not run to its end.
import { taggedError } from '@airtime/domain';

/**
 * The top-up was created and committed (with the message's inbox claim), but
 * its first attempt failed before an answer was applied (the database was
 * lost, another worker changed it). Redelivering the message would do
 * nothing (the inbox holds it), so it is acknowledged: the scheduler's
 * stalled-top-up recovery sends it, or settles it by a status query first
 * when the attempt may have left.
 */
export class FirstSendDeferred extends taggedError('FirstSendDeferred', {
  code: 'FIRST_SEND_DEFERRED',
  retryable: true,
})<{ readonly topUpId: string; readonly failure: string }>(
  (e) => `top-up ${e.topUpId} committed; its first send is left to the scheduler (${e.failure})`,
) {}
