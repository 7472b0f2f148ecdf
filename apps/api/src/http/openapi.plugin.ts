// The OpenAPI document and its UI: @fastify/swagger collects the routes'
// schemas (generated from the effect schemas their handlers decode with,
// see route-schema.mapper.ts) into an OpenAPI 3.1 document served at
// /docs/json, and @fastify/swagger-ui shows it at /docs. No API key needed
// to read the documentation.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { componentSchemas } from './route-schema.mapper';
import { unencapsulated } from './unencapsulated';

export type OpenApiPluginOptions = {
  /** The API's public base URL, listed as the document's server. */
  readonly publicUrl?: string | undefined;
};

export const OPENAPI_TAGS = [
  { name: 'top-ups', description: 'Request, quote, follow and cancel top-ups' },
  { name: 'accounts', description: "Your accounts' balances and ledger" },
  { name: 'catalogue', description: 'Operators and products for a number' },
  { name: 'operations', description: 'Health and readiness' },
] as const;

/** Registers the document (before the routes, which it collects as they are added) and the UI. */
export const openApiPlugin = unencapsulated<OpenApiPluginOptions>(async (app, options) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Airtime platform API',
        version: '1.0.0',
        description:
          'Send prepaid airtime and data to phone numbers. Every request carries an API key: ' +
          '`Authorization: Bearer atk_<prefix>_<secret>`. Errors are `{ "error": { "code", "message", "field"? } }`. ' +
          'Lists are paginated with `page` and `per_page` and answer X-Total, X-Total-Pages, X-Page, X-Per-Page and X-Next-Page.',
      },
      ...(options.publicUrl === undefined ? {} : { servers: [{ url: options.publicUrl }] }),
      tags: OPENAPI_TAGS.map((tag) => ({ ...tag })),
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key: atk_<prefix>_<secret>' },
        },
        schemas: { ...componentSchemas() } as Record<string, never>,
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
});
