// The run's metrics pushed to a Pushgateway: a local HTTP server standing in
// for it receives the PUT of the job's group with the registry's text.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeRunMetrics, pushRunMetrics, recordRun } from './run-metrics';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly body: string;
}

const startGateway = async (status: number): Promise<{ server: Server; url: string; received: Received[] }> => {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, body });
      response.writeHead(status).end(status >= 400 ? 'refused' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
};

describe('pushRunMetrics', () => {
  it('PUTs the registry to /metrics/job/airtime_reconciler/provider/<id>', async () => {
    const gateway = await startGateway(200);
    try {
      const metrics = makeRunMetrics();
      recordRun(metrics, {
        providerId: 'dtone',
        outcome: 'MATCHED',
        counts: undefined,
        phaseSeconds: new Map([['settle', 0.1]]),
        runSeconds: 0.2,
        window: { from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
        finishedAt: new Date('2026-12-01T01:00:00Z'),
      });
      await pushRunMetrics(metrics, gateway.url, 'dtone');
      expect(gateway.received).toEqual([
        {
          method: 'PUT',
          url: '/metrics/job/airtime_reconciler/provider/dtone',
          body: await metrics.registry.metrics(),
        },
      ]);
      expect(gateway.received[0]?.body).toContain('airtime_reconcile_outcome{provider="dtone",outcome="MATCHED"} 1');
    } finally {
      gateway.server.close();
    }
  });

  it('rejects when the gateway refuses', async () => {
    const gateway = await startGateway(500);
    try {
      await expect(pushRunMetrics(makeRunMetrics(), gateway.url, 'dtone')).rejects.toThrow(
        /push failed with status 500/,
      );
    } finally {
      gateway.server.close();
    }
  });
});
