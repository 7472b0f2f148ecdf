// The API's graceful shutdown over real HTTP: stopping lets a request in
// flight finish with its answer, then refuses new connections and closes
// everything (database, broker). And a provider outage is a 503 in the
// API's shape, not a 500.
import { startApiHarness, type ApiHarness } from './testing/api-harness.fixture';
import { TOKENS } from './composition/tokens';

describe('the API app', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    // a shutdown timeout far beyond a loaded machine's stop: a stop that ended before it did not wait for it
    api = await startApiHarness({ label: 'api-app', environment: { API_SHUTDOWN_TIMEOUT_MS: '60000' } });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers a provider outage 503 PROVIDER_UNAVAILABLE (nothing sent, nothing held)', async () => {
    api.simulator.setFaults({ errorRate: 1 });
    try {
      const answer = await api.request('POST', '/v1/quotes', {
        key,
        body: { phone_number: '+254711000100', currency: 'KES', max_amount: '100' },
      });
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        error: { code: 'PROVIDER_UNAVAILABLE', message: 'the provider is unavailable or busy now; try again later' },
      });
    } finally {
      api.simulator.clearFaults();
    }
  });

  it('on stop finishes the request in flight, then refuses new ones and closes its resources', async () => {
    api.simulator.setFaults({ latencyMs: 600 });
    // every DVS request the simulator takes is drawn for a failure before its latency: once one is, the quote
    // is in flight in the API (waiting for the provider's answer), whatever the time it took to get there
    const providerRequests = jest.spyOn(api.simulator.engine, 'drawFailure');
    const inFlight = api.request('POST', '/v1/quotes', {
      key,
      body: { phone_number: '+639171234100', currency: 'PHP', max_amount: '25' },
    });
    for (const deadline = Date.now() + 30_000; providerRequests.mock.calls.length === 0;) {
      if (Date.now() > deadline) throw new Error('the quote never reached the provider');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    providerRequests.mockRestore();
    const dataSource = await api.app.container.getAsync(TOKENS.dataSource);
    const started = Date.now();
    const stopped = api.app.stop();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await stopped).toEqual([]);
    // the keep-alive connection of the finished request does not hold the close until the shutdown timeout
    expect(Date.now() - started).toBeLessThan(api.config.http.shutdownTimeoutMs);
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
    expect(dataSource.isInitialized).toBe(false);
  });
});
