// The principal of an authenticated request (set by the API-key hook).
import { ApiKeyRefused, type ApiPrincipal } from '@airtime/application';
import type { FastifyRequest } from 'fastify';

/** The request's principal; ApiKeyRefused when the route ran without the API-key hook (never on /v1). */
export const principalOf = (request: FastifyRequest): ApiPrincipal => {
  if (request.principal === null) throw new ApiKeyRefused();
  return request.principal;
};
