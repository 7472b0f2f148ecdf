// The provider callback routes (no API key: each is authenticated by what it
// carries). POST /callbacks/dtone/{token}: the DVS transaction object DVS
// POSTs to a top-up's own callback URL, whose unguessable per-top-up token
// names the top-up; the transaction must be one of that top-up's attempts
// (DVS's id and our external id). Answered 200 once applied or when it
// changes nothing (a repeat), 404 UNKNOWN_CALLBACK for a token or a
// transaction of no top-up, 400 for a body that is not a DVS transaction.
// The token is never logged: the server logs routes by their pattern. And
// Africa's Talking's validation and status callbacks under
// /callbacks/africastalking (the same as /airtime/validation and /airtime/status).
import { withTopUpChangeWriter } from '@airtime/platform-runtime';
import { Schema } from 'effect';
import type { FastifyInstance } from 'fastify';
import { requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { runUseCase } from '../../http/run-use-case';
import type { ApiRouteOptions } from '../route-context';
import { atCallbackRoutes } from './at-callbacks.routes';
import { applyDvsCallback } from './dvs-callback.handler';

/** The token of a top-up's callback URL (checked by the use case: a token of no top-up is 404). */
export const DvsCallbackParams = Schema.Struct({
  token: Schema.String.annotations({ description: "the top-up's callback token, as in the URL given to DVS" }),
});

/** What a DVS callback is answered: whether it changed the top-up. */
export const DvsCallbackAnswer = Schema.Struct({
  result: Schema.Literal('applied', 'unchanged'),
}).annotations({ identifier: 'CallbackAnswer' });

const decodeParams = requirePart(DvsCallbackParams, 'path');

const TAG = 'provider callbacks';

const dvsSchema = fastifySchemaOf({
  summary: 'DT One DVS callback',
  description:
    'The DVS transaction object, POSTed by DVS to the callback URL of a top-up. Applied once: a repeat answers ' +
    '"unchanged" with no second effect.',
  tags: [TAG],
  authenticated: false,
  params: DvsCallbackParams,
  body: Schema.Struct({}).annotations({ description: 'the DVS transaction object (see the DVS reference)' }),
  answers: { 200: { description: 'applied, or a repeat that changed nothing', body: DvsCallbackAnswer } },
  errors: {
    400: 'the body is not a DVS transaction object, or its amount cannot be taken',
    404: 'the token names no top-up, or the transaction is not one of its attempts (UNKNOWN_CALLBACK)',
    409: "the status cannot follow the top-up's (CALLBACK_CONFLICT)",
    503: 'the store is unavailable; DVS retries',
  },
});

export const callbackRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  const { runtime, changeWriter } = options;
  app.post('/callbacks/dtone/:token', { schema: dvsSchema }, async (request) => {
    const { token } = decodeParams(request.params);
    // concurrent callbacks' changes share units of work through the writer (each answered as alone)
    const result = await runUseCase(
      runtime,
      withTopUpChangeWriter(changeWriter)(applyDvsCallback(token, request.body)),
    );
    return { result: result._tag === 'Applied' ? 'applied' : 'unchanged' };
  });
  await app.register(atCallbackRoutes, { runtime, changeWriter, base: '/callbacks/africastalking', tag: TAG });
};
