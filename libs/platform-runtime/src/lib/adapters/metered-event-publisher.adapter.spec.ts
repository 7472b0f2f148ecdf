import { EventPublishFailed, type EventPublisherService, type PendingEvent } from '@airtime/application';
import { Effect, Either } from 'effect';
import { makePlatformMetrics } from '../observability/platform-metrics';
import { meteredEventPublisher } from './metered-event-publisher.adapter';

const event = (type: string, statusClass: string): PendingEvent => ({
  id: `${type}-${statusClass}`,
  type,
  aggregateId: 't-1',
  payload: { topUpId: 't-1', statusClass },
  occurredAt: new Date(0),
  publishAttempts: 0,
});

const valueOf = async (counter: { get: () => Promise<{ values: { labels: object; value: number }[] }> }) =>
  (await counter.get()).values.map(({ labels, value }) => ({ labels, value }));

describe('the metered event publisher', () => {
  it('counts confirmed events by type, final top-ups by status class, retries and unknown outcomes', async () => {
    const metrics = makePlatformMetrics({ processMetrics: false });
    const published: PendingEvent[] = [];
    const inner: EventPublisherService = { publish: (events) => Effect.sync(() => void published.push(...events)) };
    const publisher = meteredEventPublisher(inner, metrics);
    const batch = [
      event('topup.created', 'CREATED'),
      event('topup.completed', 'COMPLETED'),
      event('topup.failed', 'DECLINED'),
      event('topup.retry_scheduled', 'CREATED'),
      event('topup.unknown_outcome', 'CONFIRMED'),
    ];
    await Effect.runPromise(publisher.publish(batch));
    expect(published).toEqual(batch);
    expect(await valueOf(metrics.finalTopUps)).toEqual([
      { labels: { status: 'COMPLETED' }, value: 1 },
      { labels: { status: 'DECLINED' }, value: 1 },
    ]);
    expect((await valueOf(metrics.retriesScheduled))[0]?.value).toBe(1);
    expect((await valueOf(metrics.unknownOutcomes))[0]?.value).toBe(1);
    expect(await valueOf(metrics.eventsPublished)).toHaveLength(5);
  });

  it('counts nothing when the broker did not confirm', async () => {
    const metrics = makePlatformMetrics({ processMetrics: false });
    const failing: EventPublisherService = {
      publish: () => Effect.fail(new EventPublishFailed({ reason: 'channel closed' })),
    };
    const result = await Effect.runPromise(
      Effect.either(meteredEventPublisher(failing, metrics).publish([event('topup.completed', 'COMPLETED')])),
    );
    expect(Either.isLeft(result)).toBe(true);
    expect(await valueOf(metrics.finalTopUps)).toEqual([]);
    expect(await valueOf(metrics.eventsPublished)).toEqual([]);
  });
});
