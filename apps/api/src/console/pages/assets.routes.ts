// The console's stylesheet and script, public (the sign-in page needs them),
// with their own media types and a short cache.
import type { FastifyInstance } from 'fastify';
import { CONSOLE_JS } from '../assets/console-live';
import { CONSOLE_CSS } from '../assets/console-style';

const CACHE = 'public, max-age=300';

/** A plain icon (a browser asks for one on every page; without it, /favicon.ico is a 404). */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b57d0"/><path d="M4 11h8M6 8h4M7 5h2" stroke="#fff" stroke-width="1.5"/></svg>';

export const assetRoutes = async (app: FastifyInstance): Promise<void> => {
  app.get('/assets/favicon.svg', async (_request, reply) =>
    reply.header('cache-control', CACHE).type('image/svg+xml').send(FAVICON),
  );
  app.get('/assets/console.css', async (_request, reply) =>
    reply.header('cache-control', CACHE).type('text/css; charset=utf-8').send(CONSOLE_CSS),
  );
  app.get('/assets/console.js', async (_request, reply) =>
    reply.header('cache-control', CACHE).type('text/javascript; charset=utf-8').send(CONSOLE_JS),
  );
};
