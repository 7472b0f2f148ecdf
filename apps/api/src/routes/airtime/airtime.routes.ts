// The airtime service endpoints (reference: airtime-service-endpoints.txt)
// on the platform's use cases: GET /airtime/ (the service and its status),
// GET /airtime/invoke-send-airtime (a top-up of exactly `amount`, through
// the same flow as POST /v1/topups, behind the API key: it spends money),
// and Africa's Talking's callbacks POST /airtime/validation and
// POST /airtime/status (no API key; the same handlers as
// /callbacks/africastalking/...).
import type { FastifyInstance } from 'fastify';
import { InvalidRequest } from '../../http/http.errors';
import { principalOf } from '../../http/principal';
import { requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { atCallbackRoutes } from '../callbacks/at-callbacks.routes';
import type { ApiRouteOptions } from '../route-context';
import { inAirtimeFieldNames } from './airtime-fields.mapper';
import { AirtimeSendAnswer, AirtimeSendQuery, AirtimeServiceStatus } from './airtime-send.schema';

const TAG = 'airtime service';

const decodeQuery = requirePart(AirtimeSendQuery, 'query');

const statusSchema = fastifySchemaOf({
  summary: 'The airtime service and its status',
  tags: [TAG],
  authenticated: false,
  answers: { 200: { description: 'the service name and its status', body: AirtimeServiceStatus } },
  errors: {},
});

const sendSchema = fastifySchemaOf({
  summary: 'Send airtime to a phone number',
  description:
    'A top-up of exactly `amount` in `currency` to `phone` (exact_amount: refused when no product gives that ' +
    'amount), requested as POST /v1/topups does with `idempotencyKey` as the external id: the same key and ' +
    'parameters again answer the same top-up (never a second send), the same key with other parameters is 409. ' +
    'Answers once the top-up is accepted; it is sent right after (follow it with GET /v1/topups/{id}). Needs the ' +
    'API key, unlike the reference: it spends money.',
  tags: [TAG],
  query: AirtimeSendQuery,
  answers: { 200: { description: 'the success message and the top-up', body: AirtimeSendAnswer } },
  errors: {
    400:
      'phone missing or not a number, amount missing or not a positive number, currency or idempotencyKey ' +
      'missing or wrong, accountId missing while the API key has several accounts',
    401: 'no valid API key',
    404: 'accountId is not one of your accounts',
    409: 'the idempotencyKey was used for another request (EXTERNAL_ID_CONFLICT)',
    422: 'nothing can be sold for the request (operator, exact amount, currency, funds)',
    429: 'the rate limit of the API key',
    503: 'the provider or the store is unavailable; try again',
  },
});

/** The account charged: the one asked (checked against the key by the submission), else the key's only one. */
const accountOf = (accountId: string | undefined, accountIds: readonly string[]): string | undefined => {
  if (accountId !== undefined || accountIds.length === 1) return accountId;
  throw new InvalidRequest({
    part: 'query',
    field: 'accountId',
    reason: 'required: the API key is scoped to several accounts',
  });
};

export const airtimeRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  app.get('/airtime/', { schema: statusSchema }, async () => ({ service: 'airtime', status: 'ready' }));

  app.get('/airtime/invoke-send-airtime', { schema: sendSchema, onRequest: options.authenticate }, async (request) => {
    const query = decodeQuery(request.query);
    const principal = principalOf(request);
    const accountId = accountOf(query.accountId, principal.accountIds);
    const submitted = await options
      .submitTopUp({
        principal,
        body: {
          phone_number: `+${query.phone}`,
          currency: query.currency,
          max_amount: query.amount,
          exact_amount: true,
          ...(accountId === undefined ? {} : { account_id: accountId }),
        },
        idempotencyKey: query.idempotencyKey,
      })
      .catch((error: unknown) => {
        // errors name the parameters sent (amount, phone, ...), not the request fields they were mapped to
        throw inAirtimeFieldNames(error);
      });
    return {
      message:
        submitted.outcome === 'created'
          ? 'airtime request accepted: the top-up is being sent'
          : 'airtime request already accepted under this idempotencyKey: the same top-up',
      top_up: submitted.view,
    };
  });

  await app.register(atCallbackRoutes, {
    runtime: options.runtime,
    changeWriter: options.changeWriter,
    base: '/airtime',
    tag: TAG,
  });
};
