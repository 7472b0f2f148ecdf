// The /v1 routes for internal teams, every one behind an API key (the
// onRequest hook of this context) and its per-key rate limit (registered
// around this context by the server).
import type { FastifyInstance } from 'fastify';
import { apiKeyAuthPlugin } from '../../http/api-key-auth.plugin';
import type { ApiRouteOptions } from '../route-context';
import { accountRoutes } from './accounts.routes';
import { catalogueRoutes } from './catalogue.routes';
import { quoteRoutes } from './quotes.routes';
import { topUpRoutes } from './topups.routes';

export const v1Routes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  // the route options only (not the registration's own, such as its prefix)
  const routeOptions: ApiRouteOptions = {
    runtime: options.runtime,
    authenticate: options.authenticate,
    submitTopUp: options.submitTopUp,
    requestRules: options.requestRules,
  };
  await app.register(apiKeyAuthPlugin, { authenticate: options.authenticate });
  for (const routes of [topUpRoutes, quoteRoutes, accountRoutes, catalogueRoutes]) {
    await app.register(routes, routeOptions);
  }
};
