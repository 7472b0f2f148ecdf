import {
  type AirtimeProviderService,
  type ListProgress,
  ProviderUnavailable,
  TransactionListUnsupported,
} from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { makePlatformMetrics } from '../observability/platform-metrics';
import { timedProvider } from './timed-provider.adapter';

const unavailable = new ProviderUnavailable({ provider: 'fake', reason: 'connection refused' });

const fakeProvider = {
  id: 'fake',
  lookupOperators: () => Effect.succeed([]),
  listProducts: () => Effect.succeed([]),
  send: () => Effect.fail(unavailable),
  statusByExternalId: () => Effect.succeed(Option.none()).pipe(Effect.delay('20 millis')),
  listTransactions: (_window: unknown, onPage?: (progress: ListProgress) => void) =>
    Effect.sync(() => onPage?.({ fetched: 0, total: 0, page: 1, pages: 1 })).pipe(Effect.as([])),
  cancel: () => Effect.fail(unavailable),
  balances: () => Effect.succeed({ balances: [], unreadable: [] }),
  parseCallback: () => Effect.die('not used'),
} as unknown as AirtimeProviderService;

describe('the timed provider', () => {
  it('passes calls through and observes each with its operation and outcome', async () => {
    const metrics = makePlatformMetrics({ processMetrics: false });
    const provider = timedProvider(fakeProvider, metrics.providerLatency);
    expect(provider.id).toBe('fake');
    const sent = await Effect.runPromise(Effect.either(provider.send({} as never)));
    expect(Either.isLeft(sent) && sent.left).toBe(unavailable);
    expect(Option.isNone(await Effect.runPromise(provider.statusByExternalId('x-1')))).toBe(true);

    const pages: ListProgress[] = [];
    const window = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') };
    expect(await Effect.runPromise(provider.listTransactions(window, (progress) => pages.push(progress)))).toEqual([]);
    expect(pages).toEqual([{ fetched: 0, total: 0, page: 1, pages: 1 }]);

    const { values } = await metrics.providerLatency.get();
    const count = (operation: string, outcome: string) =>
      values.find(
        (v) =>
          v.metricName === 'airtime_provider_request_duration_seconds_count' &&
          v.labels['operation'] === operation &&
          v.labels['outcome'] === outcome,
      )?.value;
    const sum = (operation: string) =>
      values.find(
        (v) => v.metricName === 'airtime_provider_request_duration_seconds_sum' && v.labels['operation'] === operation,
      )?.value ?? 0;
    expect(count('send', 'PROVIDER_UNAVAILABLE')).toBe(1);
    expect(count('statusByExternalId', 'ok')).toBe(1);
    expect(sum('statusByExternalId')).toBeGreaterThanOrEqual(0.015);
    expect(count('listTransactions', 'ok')).toBe(1);
  });

  it('observes a provider that cannot list its transactions with that error code', async () => {
    const metrics = makePlatformMetrics({ processMetrics: false });
    const unsupported = new TransactionListUnsupported({ provider: 'fake', howToReconcile: 'by hand' });
    const provider = timedProvider(
      { ...fakeProvider, listTransactions: () => Effect.fail(unsupported) },
      metrics.providerLatency,
    );
    const window = { from: new Date(0), to: new Date(1) };
    const listed = await Effect.runPromise(Effect.either(provider.listTransactions(window)));
    expect(Either.isLeft(listed) && listed.left).toBe(unsupported);
    const { values } = await metrics.providerLatency.get();
    expect(
      values.find(
        (v) =>
          v.metricName === 'airtime_provider_request_duration_seconds_count' &&
          v.labels['operation'] === 'listTransactions' &&
          v.labels['outcome'] === 'TRANSACTION_LIST_UNSUPPORTED',
      )?.value,
    ).toBe(1);
  });
});
