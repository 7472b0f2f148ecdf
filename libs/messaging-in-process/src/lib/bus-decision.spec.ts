// The bus's delivery, decision and runner against a copy of the RabbitMQ
// lib's `Delivery`, `ConsumeDecision` and `ConsumerRunner`
// (libs/messaging-rabbitmq/src/lib/consumer/consume-decision.ts and
// consumer.runner.ts). The copy is deliberate: an adapter, its specs
// included, may not import another adapter. Keep it in step with those
// files: the assignments below are checked by `tsc` (the typecheck target
// covers specs), so the consumer's handler and runner slot stay
// interchangeable between the two transports.
import { taggedError } from '@airtime/domain';
import { Data, Effect } from 'effect';
import { BusDecision, type BusDelivery, retryCountOf, truncateReason } from './bus-decision';
import type { BusRunner, BusRunnerOptions } from './message-queue.runner';

// --- copy of the RabbitMQ shapes -------------------------------------------
type RabbitConsumeDecision = Data.TaggedEnum<{
  Ack: Record<never, never>;
  Retry: { readonly reason: string };
  DeadLetter: { readonly reason: string };
}>;
const RabbitConsumeDecision = Data.taggedEnum<RabbitConsumeDecision>();

interface RabbitDelivery {
  readonly body: Buffer;
  readonly messageId: string | undefined;
  readonly type: string | undefined;
  readonly contentType: string | undefined;
  readonly correlationId: string | undefined;
  readonly timestamp: Date | undefined;
  readonly exchange: string;
  readonly routingKey: string;
  readonly redelivered: boolean;
  readonly deliveryCount: number;
  readonly headers: Readonly<Record<string, unknown>>;
}

class RabbitConsumerStartFailed extends taggedError('ConsumerStartFailed', {
  code: 'CONSUMER_START_FAILED',
  retryable: 'per-instance',
})<{ readonly queue: string; readonly reason: string; readonly retryable: boolean }>(
  (e) => `consumer of ${e.queue} did not start: ${e.reason}`,
) {}

interface RabbitConsumerRunner {
  readonly start: Effect.Effect<void, RabbitConsumerStartFailed>;
  readonly stop: (timeoutMs: number) => Promise<{ readonly unfinished: number }>;
  readonly inFlight: () => number;
}
// ---------------------------------------------------------------------------

/** The consumer's handler, as typed against the RabbitMQ lib. */
const rabbitHandler = async (delivery: RabbitDelivery): Promise<RabbitConsumeDecision> =>
  delivery.body.length === 0
    ? RabbitConsumeDecision.DeadLetter({ reason: 'the body is empty' })
    : RabbitConsumeDecision.Ack();

describe('bus decision and delivery', () => {
  it('the RabbitMQ handler is a bus handler, and a bus runner fills a RabbitMQ runner slot (checked by tsc)', async () => {
    const asBusHandler: BusRunnerOptions['handler'] = rabbitHandler;
    const bus: BusDelivery = {
      body: Buffer.from('x'),
      messageId: 'm',
      type: undefined,
      contentType: undefined,
      correlationId: undefined,
      timestamp: undefined,
      exchange: 'in-process',
      routingKey: 'topup.request',
      redelivered: false,
      deliveryCount: 0,
      headers: {},
    };
    const asRabbitDelivery: RabbitDelivery = bus;
    const decision = await asBusHandler(asRabbitDelivery);
    const asRabbitDecision: RabbitConsumeDecision = decision;
    const back: BusDecision = asRabbitDecision;
    expect(BusDecision.$is('Ack')(back)).toBe(true);

    const runnerSlot = (runner: RabbitConsumerRunner): number => runner.inFlight();
    const busRunner: BusRunner = { start: Effect.void, stop: async () => ({ unfinished: 0 }), inFlight: () => 0 };
    expect(runnerSlot(busRunner)).toBe(0);

    // and the checks have teeth: another decision shape is refused
    // @ts-expect-error a handler answering a decision the runner does not know
    const wrong: BusRunnerOptions['handler'] = async () => ({ _tag: 'Nack' as const });
    expect(typeof wrong).toBe('function');
  });

  it('decisions are equal by value (as the RabbitMQ ones)', () => {
    expect(BusDecision.Retry({ reason: 'r' })).toEqual(RabbitConsumeDecision.Retry({ reason: 'r' }));
    expect(BusDecision.DeadLetter({ reason: 'r' })._tag).toBe('DeadLetter');
  });

  it('reads the retry count from x-retry-count, and 0 for anything that is not a positive count', () => {
    expect(retryCountOf({ headers: { 'x-retry-count': 3 } })).toBe(3);
    for (const value of [undefined, 0, -1, 1.5, '2', Number.NaN, null]) {
      expect(retryCountOf({ headers: { 'x-retry-count': value } })).toBe(0);
    }
  });

  it('cuts a reason to 512 characters', () => {
    expect(truncateReason('short')).toBe('short');
    const cut = truncateReason('x'.repeat(600));
    expect(cut).toHaveLength(512);
    expect(cut.endsWith('…')).toBe(true);
  });
});
