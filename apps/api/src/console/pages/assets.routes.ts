// The console's stylesheet and script, public (the sign-in page needs them),
// with their own media types and a short cache.
import type { FastifyInstance } from 'fastify';
import { CONSOLE_JS } from '../assets/console-live';
import { CONSOLE_CSS } from '../assets/console-style';

const CACHE = 'public, max-age=300';

export const assetRoutes = async (app: FastifyInstance): Promise<void> => {
  app.get('/assets/console.css', async (_request, reply) =>
    reply.header('cache-control', CACHE).type('text/css; charset=utf-8').send(CONSOLE_CSS),
  );
  app.get('/assets/console.js', async (_request, reply) =>
    reply.header('cache-control', CACHE).type('text/javascript; charset=utf-8').send(CONSOLE_JS),
  );
};
