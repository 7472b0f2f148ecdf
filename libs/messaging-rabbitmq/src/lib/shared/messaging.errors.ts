// The failures of the messaging adapter, as values. Each carries a reason
// that names kinds (an AMQP reply code, a socket error code, a stage), never
// a value that came from outside, and whether trying again later may succeed.
import { taggedError } from '@airtime/domain';

/** The environment does not describe a usable broker connection. */
export class InvalidMessagingConfig extends taggedError('InvalidMessagingConfig', {
  code: 'INVALID_MESSAGING_CONFIG',
  retryable: false,
})<{ readonly reason: string }>((e) => `invalid messaging configuration: ${e.reason}`) {}

/**
 * The broker could not be reached or refused us at start-up. `retryable` is
 * false when the broker answered with a refusal (bad credentials, unknown
 * virtual host) and true when it could not be reached (connection refused,
 * timeout) or the start was given up after the allowed attempts.
 */
export class BrokerUnavailable extends taggedError('BrokerUnavailable', {
  code: 'BROKER_UNAVAILABLE',
  retryable: 'per-instance',
})<{
  readonly reason: string;
  readonly retryable: boolean;
}>((e) => `message broker unavailable: ${e.reason}`) {}

/** Why a publish was not confirmed. */
export type PublishFailureKind =
  /** The payload cannot be encoded (not JSON-serialisable, headers over the frame limit). */
  | 'encoding'
  /** No open channel, a write buffer that did not drain, or no confirm, within the confirm timeout. */
  | 'timeout'
  /** The broker answered basic.nack (an internal error, or a queue in `reject-publish` overflow). */
  | 'nacked'
  /** The channel closed before the confirm arrived (connection lost, or the broker closed the channel). */
  | 'channel-closed'
  /** A mandatory message matched no queue (basic.return). */
  | 'unroutable'
  /** The publisher was closed. */
  | 'publisher-closed';

/**
 * A publish that was not confirmed by the broker. The message may still
 * have been routed (a confirm lost with its connection), so a publisher
 * that tries again must reuse the same `messageId`, and consumers dedupe on
 * it. `retryable` is false when the same publish would fail the same way
 * (encoding, unroutable, a channel closed for a missing exchange).
 */
export class PublishFailed extends taggedError('PublishFailed', { code: 'PUBLISH_FAILED', retryable: 'per-instance' })<{
  readonly kind: PublishFailureKind;
  readonly reason: string;
  readonly retryable: boolean;
}>((e) => `publish failed (${e.kind}): ${e.reason}`) {}

/**
 * Declaring the topology failed. `retryable` is false when the broker
 * refused a declaration (PRECONDITION_FAILED: an existing queue or exchange
 * with other arguments; ACCESS_REFUSED), true when the connection was lost.
 */
export class TopologyDeclarationFailed extends taggedError('TopologyDeclarationFailed', {
  code: 'TOPOLOGY_DECLARATION_FAILED',
  retryable: 'per-instance',
})<{
  readonly reason: string;
  readonly retryable: boolean;
}>((e) => `topology declaration failed: ${e.reason}`) {}

/** The consumer could not start consuming its queue (no channel, missing queue) within its start timeout. */
export class ConsumerStartFailed extends taggedError('ConsumerStartFailed', {
  code: 'CONSUMER_START_FAILED',
  retryable: 'per-instance',
})<{
  readonly queue: string;
  readonly reason: string;
  readonly retryable: boolean;
}>((e) => `consumer of ${e.queue} did not start: ${e.reason}`) {}
