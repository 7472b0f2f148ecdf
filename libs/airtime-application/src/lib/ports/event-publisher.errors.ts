// The failure of a publish to the event broker.
import { taggedError } from '@airtime/domain';

/** The broker did not confirm every event of a batch (connection lost, nack, confirm timeout): none is marked sent. */
export class EventPublishFailed extends taggedError('EventPublishFailed', {
  code: 'EVENT_PUBLISH_FAILED',
  retryable: true,
})<{ readonly reason: string }>((e) => `events could not be published: ${e.reason}`) {}
