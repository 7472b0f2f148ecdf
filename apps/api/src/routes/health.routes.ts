// The operations routes: GET /healthz (the process is up and serving) and
// GET /readyz (every dependency answers: the database takes a SELECT 1, the
// broker is connected), 503 with each check's state when one does not. No
// API key. While the server is closing, Fastify answers 503 to both.
import { type ReadinessCheck, runReadinessChecks } from '@airtime/platform-runtime';
import type { FastifyInstance } from 'fastify';

export type { ReadinessCheck };

export interface HealthRoutesOptions {
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /** A check slower than this fails (default 2 s). */
  readonly checkTimeoutMs?: number | undefined;
}

export const healthRoutes = async (app: FastifyInstance, options: HealthRoutesOptions): Promise<void> => {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['operations'], security: [] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { summary: 'The database and the broker answer', tags: ['operations'], security: [] } },
    async (_request, reply) => {
      const { ok, checks } = await runReadinessChecks(options.checks, timeoutMs);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
    },
  );
};
