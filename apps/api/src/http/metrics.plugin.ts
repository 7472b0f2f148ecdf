// Request metrics and their endpoint: every answer is counted and timed by
// method, route pattern (`/v1/topups/:id`, never the path: no ids or tokens
// in labels) and status; GET /metrics serves the registry in the Prometheus
// text format (no API key: keep the port private, or scrape through a proxy).
import type { ApiMetrics } from '../observability/api-metrics';
import { unencapsulated } from './unencapsulated';

export type MetricsPluginOptions = {
  readonly metrics: ApiMetrics;
};

/** The label of a request's route: its pattern, or `unmatched` (404s). */
const routeLabelOf = (pattern: string | undefined): string => pattern ?? 'unmatched';

export const metricsPlugin = unencapsulated<MetricsPluginOptions>(async (app, { metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: routeLabelOf(request.routeOptions.url),
      status: String(reply.statusCode),
    };
    metrics.requests.inc(labels);
    metrics.requestDuration.observe(labels, reply.elapsedTime / 1_000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
});
