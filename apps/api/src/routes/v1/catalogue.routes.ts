// The catalogue routes of /v1: GET /lookup/{phone} (the operators a number
// may belong to) and GET /products?phone= (those operators and their
// products), through the cached provider catalogue. A number is E.164 or
// international digits; in a query string write its `+` as `%2B` (a bare
// `+` reads as a space, which is taken back as the `+` before the digits).
import { LookupPhoneInput, lookupPhone, productsForPhone } from '@airtime/application';
import { Schema } from 'effect';
import type { FastifyInstance } from 'fastify';
import { PLUS_READ_AS_SPACE, withPlusRestored } from '../../http/query-plus.mapper';
import { refuseQuery, requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { runUseCase } from '../../http/run-use-case';
import { LookupView, ProductsView } from '../../views/catalogue-view.schema';
import { lookupView, productsView } from '../../views/catalogue-view.mapper';
import type { ApiRouteOptions } from '../route-context';

/** A number in a query string (a bare `+` before its digits is taken back: see withPlusRestored). */
const PhoneInQuery = LookupPhoneInput.fields.phone.annotations({
  description: 'E.164 (+639171234567, written %2B63... in a URL) or international digits',
});

export const LookupParams = Schema.Struct({ phone: LookupPhoneInput.fields.phone });
export const ProductsQuery = Schema.Struct({ phone: PhoneInQuery });

const decodeLookupParams = requirePart(LookupParams, 'path');
const decodeProductsQuery = requirePart(ProductsQuery, 'query');

const ERRORS = {
  400: 'not a valid phone number, or a query parameter the route does not take',
  401: 'no valid API key',
  429: 'the rate limit of the API key',
  502: 'the provider answered something unusable',
  503: 'the provider or the store is unavailable; try again (PROVIDER_UNAVAILABLE, SERVICE_UNAVAILABLE)',
} as const;

const lookupSchema = fastifySchemaOf({
  summary: 'The operators of a number',
  description:
    'Each operator the provider found; `identified` when the provider is sure (not a guess from the prefix).',
  tags: ['catalogue'],
  params: LookupParams,
  answers: { 200: { description: 'the operators (none: an empty list)', body: LookupView } },
  errors: ERRORS,
});

const productsSchema = fastifySchemaOf({
  summary: 'The products for a number',
  description: 'Each operator of the number with the products it offers (fixed amounts and ranges, with prices).',
  tags: ['catalogue'],
  query: ProductsQuery,
  answers: { 200: { description: 'the operators and their products', body: ProductsView } },
  errors: ERRORS,
});

export const catalogueRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  app.get('/lookup/:phone', { schema: lookupSchema }, async (request) => {
    const { phone } = decodeLookupParams(request.params);
    refuseQuery(request.query);
    return lookupView(await runUseCase(options.runtime, lookupPhone(phone)));
  });

  app.get('/products', { schema: productsSchema }, async (request) => {
    const { phone } = decodeProductsQuery(withPlusRestored(request.query, { phone: PLUS_READ_AS_SPACE.phoneStart }));
    return productsView(await runUseCase(options.runtime, productsForPhone(phone)));
  });
};
