// Africa's Talking's validation and status callbacks (no API key: AT calls
// them; reference: airtime-service-endpoints.txt), under a base path:
// /callbacks/africastalking and /airtime (the airtime service's names).
// POST <base>/validation answers {"status":"Validated"} only for an open send
// of ours with the same id, number, amount and currency, else
// {"status":"Failed"}; POST <base>/status takes the status as a hint (the
// provider is asked; the posted status is never applied) and answers OK.
import type { FastifyInstance } from 'fastify';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { withTopUpChangeWriter } from '@airtime/platform-runtime';
import { runUseCase } from '../../http/run-use-case';
import type { ApiRouteOptions } from '../route-context';
import { answerAtValidation, applyAtStatus } from './at-callbacks.handler';
import {
  AtStatusAnswerText,
  AtStatusRequest,
  AtValidationAnswerView,
  AtValidationRequest,
} from './at-callbacks.schema';

export interface AtCallbackRoutesOptions {
  readonly runtime: ApiRouteOptions['runtime'];
  /** Writes the status callbacks' top-up changes in shared units of work (none: each in its own). */
  readonly changeWriter?: ApiRouteOptions['changeWriter'];
  /** Where the two routes are: `${base}/validation` and `${base}/status`. */
  readonly base: string;
  /** The OpenAPI tag of the routes. */
  readonly tag: string;
}

const validationSchema = (tag: string) =>
  fastifySchemaOf({
    summary: "Africa's Talking validation callback",
    description:
      'Called by AT before it releases airtime: Validated only for a send of ours to AT, still open, with this ' +
      'transactionId, number, amount and currency; Failed for anything else (a replay after the outcome, a tampered ' +
      'amount or number, an unknown id).',
    tags: [tag],
    authenticated: false,
    body: AtValidationRequest,
    answers: { 200: { description: 'Validated or Failed', body: AtValidationAnswerView } },
    errors: { 400: 'a required field is missing or the body is not JSON', 503: 'the store is unavailable; AT retries' },
  });

const statusSchema = (tag: string) =>
  fastifySchemaOf({
    summary: "Africa's Talking status callback",
    description:
      "The final status of a send (Success, Failed, ...), matched on AT's requestId and the number. Unsigned, so only " +
      'a hint: the top-up is settled by asking the provider, never by the posted status. Answers the text OK.',
    tags: [tag],
    authenticated: false,
    body: AtStatusRequest,
    answers: { 200: { description: 'the text OK', body: AtStatusAnswerText, mediaType: 'text/plain' } },
    errors: {
      400: 'a required field is missing, a status AT does not define, an amount that cannot be read',
      404: 'no send of ours has this requestId and number, or this process sends with another provider (UNKNOWN_CALLBACK)',
      409: "the status cannot follow the top-up's (CALLBACK_CONFLICT)",
      503: 'the store is unavailable; AT retries',
    },
  });

/** The two AT callback routes under `options.base`. */
export const atCallbackRoutes = async (app: FastifyInstance, options: AtCallbackRoutesOptions): Promise<void> => {
  const { runtime } = options;
  app.post(`${options.base}/validation`, { schema: validationSchema(options.tag) }, async (request) =>
    runUseCase(runtime, answerAtValidation(request.body)),
  );
  app.post(`${options.base}/status`, { schema: statusSchema(options.tag) }, async (request, reply) => {
    await runUseCase(runtime, withTopUpChangeWriter(options.changeWriter)(applyAtStatus(request.body)));
    return reply.code(200).send('OK');
  });
};
