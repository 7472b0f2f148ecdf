// The failures of the messaging adapter, as values. Each carries a reason
// that names kinds (an AMQP reply code, a socket error code, a stage), never
// a value that came from outside, and whether trying again later may succeed.
import { Data } from 'effect';

/** The environment does not describe a usable broker connection. */
export class InvalidMessagingConfig extends Data.TaggedError('InvalidMessagingConfig')<{ readonly reason: string }> {
  readonly code = 'INVALID_MESSAGING_CONFIG' as const;
  override get message(): string {
    return `invalid messaging configuration: ${this.reason}`;
  }
}

/**
 * The broker could not be reached or refused us at start-up. `retryable` is
 * false when the broker answered with a refusal (bad credentials, unknown
 * virtual host) and true when it could not be reached (connection refused,
 * timeout) or the start was given up after the allowed attempts.
 */
export class BrokerUnavailable extends Data.TaggedError('BrokerUnavailable')<{
  readonly reason: string;
  readonly retryable: boolean;
}> {
  readonly code = 'BROKER_UNAVAILABLE' as const;
  override get message(): string {
    return `message broker unavailable: ${this.reason}`;
  }
}

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
export class PublishFailed extends Data.TaggedError('PublishFailed')<{
  readonly kind: PublishFailureKind;
  readonly reason: string;
  readonly retryable: boolean;
}> {
  readonly code = 'PUBLISH_FAILED' as const;
  override get message(): string {
    return `publish failed (${this.kind}): ${this.reason}`;
  }
}

/**
 * Declaring the topology failed. `retryable` is false when the broker
 * refused a declaration (PRECONDITION_FAILED: an existing queue or exchange
 * with other arguments; ACCESS_REFUSED), true when the connection was lost.
 */
export class TopologyDeclarationFailed extends Data.TaggedError('TopologyDeclarationFailed')<{
  readonly reason: string;
  readonly retryable: boolean;
}> {
  readonly code = 'TOPOLOGY_DECLARATION_FAILED' as const;
  override get message(): string {
    return `topology declaration failed: ${this.reason}`;
  }
}

/** The consumer could not start consuming its queue (no channel, missing queue) within its start timeout. */
export class ConsumerStartFailed extends Data.TaggedError('ConsumerStartFailed')<{
  readonly queue: string;
  readonly reason: string;
  readonly retryable: boolean;
}> {
  readonly code = 'CONSUMER_START_FAILED' as const;
  override get message(): string {
    return `consumer of ${this.queue} did not start: ${this.reason}`;
  }
}
