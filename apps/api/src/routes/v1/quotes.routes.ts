// POST /v1/quotes: a dry run of a top-up request. It takes the same body as
// POST /v1/topups (a caller may post the identical body); the fields that
// do not choose what is sent (external_id, account_id, callback_url,
// metadata) are checked as the top-up request checks them, by the same
// rules (400 naming the field; account_id for its shape, not the key's
// scope), and ignored. It answers the quote that would be used (the
// product, the amount received, the cost and its parts, the rule that chose
// it with the amounts it compared, the exchange rate); nothing is held,
// stored or sent.
import { quoteTopUp } from '@airtime/application';
import type { FastifyInstance } from 'fastify';
import { refuseQuery, requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { runUseCase } from '../../http/run-use-case';
import { QuoteView } from '../../views/top-up-view.schema';
import { quoteView } from '../../views/top-up-view.mapper';
import type { ApiRouteOptions } from '../route-context';
import { TopUpRequestBody } from './topups.routes';

const decodeBody = requirePart(TopUpRequestBody, 'body');

const quoteSchema = fastifySchemaOf({
  summary: 'Quote a top-up (dry run)',
  description:
    'A dry run of POST /v1/topups: it takes the same body (post the identical body; external_id, account_id, ' +
    'callback_url and metadata are checked as POST /v1/topups checks them, then ignored) and answers what would ' +
    'be sent, and why: `rule` and `explanation` say why this amount and not another (the smallest at or above desired_amount within ' +
    'max_amount, else the largest within max_amount). Nothing is held, stored or sent.',
  tags: ['top-ups'],
  body: TopUpRequestBody,
  answers: { 200: { description: 'the quote', body: QuoteView } },
  errors: {
    400: 'a field is missing or wrong, or a query parameter is given (none is taken)',
    401: 'no valid API key',
    422: 'nothing can be sold for the request (operator, product, exact amount, currency)',
    429: 'the rate limit of the API key',
    503: 'the provider or the store is unavailable; try again (PROVIDER_UNAVAILABLE, SERVICE_UNAVAILABLE)',
  },
});

export const quoteRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  app.post('/quotes', { schema: quoteSchema }, async (request) => {
    refuseQuery(request.query);
    const body = decodeBody(request.body);
    return quoteView(await runUseCase(options.runtime, quoteTopUp(body, options.requestRules)));
  });
};
