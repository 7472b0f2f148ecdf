// The EventPublisher port wrapped with the event metrics: once the broker
// has confirmed a batch, each event counts by type, and the top-up metrics
// follow from the events: a final event (completed, failed, reversed) counts
// the top-up by its status class, retry_scheduled a retry, unknown_outcome
// an unknown outcome. An event published twice (a confirm lost with its
// connection) counts twice.
import type { EventPublisherService, PendingEvent } from '@airtime/application';
import { Effect } from 'effect';
import type { PlatformMetrics } from '../observability/platform-metrics';

const FINAL_EVENT_TYPES = new Set(['topup.completed', 'topup.failed', 'topup.reversed']);

const statusClassOf = (event: PendingEvent): string => {
  const statusClass = event.payload['statusClass'];
  return typeof statusClass === 'string' && /^[A-Z_-]{1,40}$/.test(statusClass)
    ? statusClass
    : event.type.replace(/^topup\./, '').toUpperCase();
};

export const meteredEventPublisher = (
  publisher: EventPublisherService,
  metrics: Pick<PlatformMetrics, 'eventsPublished' | 'finalTopUps' | 'retriesScheduled' | 'unknownOutcomes'>,
): EventPublisherService => ({
  publish: (events) =>
    Effect.tap(publisher.publish(events), () =>
      Effect.sync(() => {
        for (const event of events) {
          metrics.eventsPublished.inc({ type: event.type });
          if (FINAL_EVENT_TYPES.has(event.type)) metrics.finalTopUps.inc({ status: statusClassOf(event) });
          else if (event.type === 'topup.retry_scheduled') metrics.retriesScheduled.inc();
          else if (event.type === 'topup.unknown_outcome') metrics.unknownOutcomes.inc();
        }
      }),
    ),
});
