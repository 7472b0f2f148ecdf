import { makeConsumerMetrics } from './consumer-metrics';
import { type MetricsServer, startMetricsServer } from './metrics.server';

describe('the metrics server', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the registry on /metrics in the Prometheus text format', async () => {
    const metrics = makeConsumerMetrics();
    metrics.commands.inc({ outcome: 'accepted' }, 3);
    metrics.finalTopUps.inc({ status: 'COMPLETED' });
    metrics.providerLatency.observe({ provider: 'dtone', operation: 'send', outcome: 'ok' }, 0.2);
    server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, checks: {} });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('airtime_consumer_commands_total{outcome="accepted"} 3');
    expect(text).toContain('airtime_topups_final_total{status="COMPLETED"} 1');
    expect(text).toContain(
      'airtime_provider_request_duration_seconds_bucket{le="0.25",provider="dtone",operation="send",outcome="ok"} 1',
    );
    expect(text).toContain('airtime_consumer_process_resident_memory_bytes');
  });

  it('answers /healthz 503 naming the failing check (a check that does not answer in time fails)', async () => {
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: makeConsumerMetrics({ processMetrics: false }).registry,
      checks: {
        broker: async () => ({ ok: true }),
        database: async () => ({ ok: true }),
        slow: () => new Promise(() => undefined),
      },
      checkTimeoutMs: 100,
    });
    const first = await fetch(`${server.url}/healthz`);
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({
      status: 'unavailable',
      checks: { broker: { ok: true }, database: { ok: true }, slow: { ok: false, detail: 'no answer within 100 ms' } },
    });
  });

  it('answers 200 once the checks pass, 404 elsewhere', async () => {
    let brokerUp = false;
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: makeConsumerMetrics({ processMetrics: false }).registry,
      checks: { broker: async () => (brokerUp ? { ok: true } : { ok: false, detail: 'reconnecting' }) },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    brokerUp = true;
    const healthy = await fetch(`${server.url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: 'ok', checks: { broker: { ok: true } } });
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
  });
});
