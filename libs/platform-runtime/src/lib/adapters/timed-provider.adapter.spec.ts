import { type AirtimeProviderService, ProviderUnavailable } from '@airtime/domain';
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
  });
});
