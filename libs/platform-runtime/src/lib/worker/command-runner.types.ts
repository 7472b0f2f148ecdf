// What feeds the top-up command handler: any runner with the RabbitMQ
// consumer runner's interface (start, stop, in flight) over a handler from a
// delivery to its decision. RabbitMQ's runner (`makeConsumerRunner`) is one;
// the in-process bus's is another; both take the application's
// `ConsumeDecision` and `CommandDelivery`. A runner's delivery needs only the
// fields the handler reads.
import type { CommandDelivery as FullCommandDelivery, ConsumeDecision } from '@airtime/application';
import type { Effect } from 'effect';

/**
 * What the handler reads of a delivery: its bytes, its message id (may be
 * absent) and its earlier failed deliveries; and, when the runner has them,
 * the properties checked against the body (content type and encoding, type,
 * the `x-schema-version` header).
 */
export type CommandDelivery = Pick<FullCommandDelivery, 'body' | 'messageId' | 'deliveryCount'> &
  Partial<Pick<FullCommandDelivery, 'contentType' | 'contentEncoding' | 'type' | 'headers'>>;

/** Decides about one delivery; never rejects. */
export type CommandHandler = (delivery: CommandDelivery) => Promise<ConsumeDecision>;

/** A source of commands driving a handler (the RabbitMQ consumer runner, the in-process bus's runner). */
export interface CommandRunner {
  /** Starts handing deliveries to the handler; fails when it cannot (the queue is missing, the broker is down). */
  readonly start: Effect.Effect<void, { readonly message: string }>;
  /**
   * No new deliveries; waits up to `timeoutMs` for the handlers running; never rejects. A runner whose
   * transport delivers an unacknowledged message again (RabbitMQ) calls `interruptUnfinished` for the
   * handlers still running before it lets go of their deliveries, so that no second copy starts beside
   * them; one that never redelivers (the in-process bus) may ignore it.
   */
  readonly stop: (
    timeoutMs: number,
    options?: { readonly interruptUnfinished?: (() => Promise<unknown>) | undefined },
  ) => Promise<{ readonly unfinished: number }>;
  /** Handlers running now. */
  readonly inFlight: () => number;
}

/** Builds the runner of a handler (the app chooses the transport). */
export type CommandRunnerFactory = (handler: CommandHandler) => CommandRunner;
