// The operations routes: GET /healthz (the process is up and serving) and
// GET /readyz (every dependency answers: the database takes a SELECT 1, the
// broker is connected), 503 with each check's state when one does not. No
// API key. While the server is closing, Fastify answers 503 to both.
import type { FastifyInstance } from 'fastify';

/** One readiness check: whether it passes, and why not (a kind, never a URL or a secret). */
export type ReadinessCheck = () => Promise<{ readonly ok: boolean; readonly detail?: string | undefined }>;

export interface HealthRoutesOptions {
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /** A check slower than this fails (default 2 s). */
  readonly checkTimeoutMs?: number | undefined;
}

const withTimeout = async (check: ReadinessCheck, timeoutMs: number) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([check().catch(() => ({ ok: false, detail: 'check failed' })), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

export const healthRoutes = async (app: FastifyInstance, options: HealthRoutesOptions): Promise<void> => {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['operations'], security: [] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { summary: 'The database and the broker answer', tags: ['operations'], security: [] } },
    async (_request, reply) => {
      const results = await Promise.all(
        Object.entries(options.checks).map(
          async ([name, check]) => [name, await withTimeout(check, timeoutMs)] as const,
        ),
      );
      const ok = results.every(([, result]) => result.ok);
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
    },
  );
};
