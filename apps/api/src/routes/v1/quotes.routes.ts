// POST /v1/quotes: a dry run of a top-up request. The quote that would be
// used (the product, the amount received, the cost and its parts, the rule
// that chose it with the amounts it compared, the exchange rate); nothing is
// held, stored or sent.
import { QuoteTopUpInput, quoteTopUp } from '@airtime/application';
import type { FastifyInstance } from 'fastify';
import { requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { runUseCase } from '../../http/run-use-case';
import { QuoteView } from '../../views/top-up-view.schema';
import { quoteView } from '../../views/top-up-view.mapper';
import type { ApiRouteOptions } from '../route-context';

const decodeBody = requirePart(QuoteTopUpInput, 'body');

const quoteSchema = fastifySchemaOf({
  summary: 'Quote a top-up (dry run)',
  description:
    'What POST /v1/topups would send for the same fields, and why: `rule` and `explanation` say why this amount ' +
    'and not another (the smallest at or above desired_amount within max_amount, else the largest within max_amount). ' +
    'Nothing is held or sent.',
  tags: ['top-ups'],
  body: QuoteTopUpInput,
  answers: { 200: { description: 'the quote', body: QuoteView } },
  errors: {
    400: 'a field is missing or wrong',
    401: 'no valid API key',
    422: 'nothing can be sold for the request (operator, product, exact amount, currency)',
    429: 'the rate limit of the API key',
    503: 'the provider is unavailable; try again',
  },
});

export const quoteRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  app.post('/quotes', { schema: quoteSchema }, async (request) => {
    const body = decodeBody(request.body);
    return quoteView(await runUseCase(options.runtime, quoteTopUp(body)));
  });
};
