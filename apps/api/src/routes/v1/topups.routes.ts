// The top-up routes of /v1 (each behind the API key and its rate limit):
// POST /topups (request, 202 with the top-up; repeats answer the same),
// GET /topups (the key's top-ups, newest first, paginated), GET
// /topups/{id}, POST /topups/{id}/cancel, GET /topups/{id}/transfer-log.
// Every input is decoded with the effect schema its OpenAPI description is
// generated from; a top-up of another account is 404, as if it did not exist.
import {
  AccountIdField,
  cancelTopUpFor,
  ExternalIdField,
  findTopUp,
  IsoTimeText,
  listTopUps,
  PageField,
  PerPageField,
  RequestTopUpInput,
  TopUpIdField,
  TopUpMetadata,
  transferLogFor,
} from '@airtime/application';
import { ruleViolation, TRANSACTION_CLASSES } from '@airtime/domain';
import { Schema } from 'effect';
import type { FastifyInstance } from 'fastify';
import { KnownCurrencyCode } from '../../http/currency-code.schema';
import { principalOf } from '../../http/principal';
import { PLUS_READ_AS_SPACE, withPlusRestored } from '../../http/query-plus.mapper';
import { refuseBody, refuseQuery, requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { runUseCase } from '../../http/run-use-case';
import { TopUpView } from '../../views/top-up-view.schema';
import { extrasOfStoredRequest, topUpView } from '../../views/top-up-view.mapper';
import { TransferLogView } from '../../views/transfer-log-view.schema';
import { exchangeView } from '../../views/transfer-log-view.mapper';
import type { ApiRouteOptions } from '../route-context';
import { givenFields, PAGE_RANGE_NOTE, PAGINATION_HEADERS, paginationHeadersOf } from './pagination';

/** An optional field of the body: left out or `null`, which means the same (as in RequestTopUpInput). */
const optionalOrNull = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true });

/**
 * The body of POST /v1/topups: the request input (see RequestTopUpInput),
 * `external_id` optional when the Idempotency-Key header carries it,
 * `account_id` optional when the API key has one account, `currency` a
 * code the platform knows (an unknown one is refused naming the field,
 * never quoting it). `null` for any optional field is the field left out
 * (our answers show an absent one as `null`: a caller may send one back).
 */
export const TopUpRequestBody = Schema.Struct({
  ...RequestTopUpInput.fields,
  currency: KnownCurrencyCode,
  external_id: optionalOrNull(RequestTopUpInput.fields.external_id),
  account_id: optionalOrNull(RequestTopUpInput.fields.account_id),
  metadata: optionalOrNull(TopUpMetadata.annotations({ jsonSchema: { type: 'object' } })),
}).annotations({ identifier: 'TopUpRequest' });

const VISIBLE_ASCII = /^[!-~]+$/;

/**
 * The Idempotency-Key header: visible ASCII only (0x21-0x7E). Node reads a
 * header's bytes as latin1, so a UTF-8 key would arrive mangled (and be
 * stored so); such a key goes in the body's external_id instead.
 */
export const IdempotencyKeyHeader = Schema.String.pipe(
  Schema.filter((text, _options, ast) =>
    VISIBLE_ASCII.test(text)
      ? true
      : ruleViolation(
          ast,
          text,
          'must be visible ASCII characters only (0x21-0x7E); a key of other characters goes in the body',
        ),
  ),
).annotations({
  description:
    "the external id (your idempotency key), instead of the body's: visible ASCII (0x21-0x7E), 1 to 40 characters",
  jsonSchema: { pattern: VISIBLE_ASCII.source },
});

export const TopUpRequestHeaders = Schema.Struct({ 'idempotency-key': Schema.optional(IdempotencyKeyHeader) });

export const TopUpParams = Schema.Struct({ id: TopUpIdField });

export const ListTopUpsQuery = Schema.Struct({
  account_id: Schema.optional(AccountIdField),
  external_id: Schema.optional(ExternalIdField),
  status: Schema.optional(Schema.Literal(...TRANSACTION_CLASSES)),
  from: Schema.optional(IsoTimeText),
  to: Schema.optional(IsoTimeText),
  page: Schema.optional(PageField),
  per_page: Schema.optional(PerPageField),
});

const TAGS = ['top-ups'];
const NOT_FOUND = 'no such top-up (or not one of your accounts)';
const COMMON_ERRORS = {
  401: 'no valid API key',
  429: 'the rate limit of the API key',
  503: 'the store is unavailable; try again (SERVICE_UNAVAILABLE)',
} as const;

const decodeBody = requirePart(TopUpRequestBody, 'body');
const decodeHeaders = requirePart(TopUpRequestHeaders, 'headers');
const decodeParams = requirePart(TopUpParams, 'path');
const decodeListQuery = requirePart(ListTopUpsQuery, 'query');
/** `from` and `to` take back a `+` of their UTC offset read as a space (`...T10:00:00+05:30` unencoded). */
const TIME_PARAMETERS = { from: PLUS_READ_AS_SPACE.utcOffset, to: PLUS_READ_AS_SPACE.utcOffset };

const requestSchema = fastifySchemaOf({
  summary: 'Request a top-up',
  description:
    'Holds the cost on the account and queues the top-up for sending; answers 202 with the top-up. ' +
    'The idempotency key is the Idempotency-Key header or external_id (both given: they must be equal). ' +
    'The same key and body again answer the same top-up with 202; another body with the same key is 409 ' +
    'EXTERNAL_ID_CONFLICT naming the first differing field.',
  tags: TAGS,
  headers: TopUpRequestHeaders,
  body: TopUpRequestBody,
  answers: { 202: { description: 'the top-up (new, or the one the same request created)', body: TopUpView } },
  errors: {
    400: 'a field, the idempotency key or account_id is missing or wrong, or a query parameter is given',
    ...COMMON_ERRORS,
    404: 'account_id is not one of your accounts',
    409: 'the key was used for another request (EXTERNAL_ID_CONFLICT, naming the field)',
    413: 'the body is too large',
    415: 'the body is not JSON',
    422:
      'nothing can be sold for the request (operator, product, exact amount, currency), or callback_url is given ' +
      'for an account with no callback signing secret (CALLBACK_SECRET_MISSING)',
    503: 'the provider or the store is unavailable; try again',
  },
});

const listSchema = fastifySchemaOf({
  summary: 'List your top-ups',
  description:
    `Newest first, paginated (${PAGE_RANGE_NOTE}); filters: account, external id, status class, creation time ` +
    '(from, to inclusive; a time with a UTC offset may write its + unencoded).',
  tags: TAGS,
  query: ListTopUpsQuery,
  answers: { 200: { description: 'one page of top-ups', body: Schema.Array(TopUpView), headers: PAGINATION_HEADERS } },
  errors: { 400: 'a bad filter or page', ...COMMON_ERRORS, 404: 'account_id is not one of your accounts' },
});

const findSchema = fastifySchemaOf({
  summary: 'A top-up',
  tags: TAGS,
  params: TopUpParams,
  answers: { 200: { description: 'the top-up', body: TopUpView } },
  errors: { 400: 'a malformed id, or a query parameter (none is taken)', ...COMMON_ERRORS, 404: NOT_FOUND },
});

const cancelSchema = fastifySchemaOf({
  summary: 'Cancel a top-up',
  description:
    'Only while it is CREATED with no attempt in flight; the hold is released. Cancelling twice changes nothing. ' +
    'Takes no body: none, an empty one or an empty JSON object ({}); any other is 400 INVALID_REQUEST naming its first field.',
  tags: TAGS,
  params: TopUpParams,
  answers: { 200: { description: 'the cancelled top-up', body: TopUpView } },
  errors: {
    400: 'a malformed id, a query parameter (none is taken), or a body other than none, empty or {} (none is taken)',
    ...COMMON_ERRORS,
    404: NOT_FOUND,
    409: 'the top-up cannot be cancelled any more (TOP_UP_NOT_CANCELLABLE)',
    415: 'the body is of a media type the API does not read (send none)',
  },
});

const transferLogSchema = fastifySchemaOf({
  summary: "A top-up's transfer log",
  description:
    'Every exchange with the provider of each attempt, oldest first, redacted (no credentials, numbers masked).',
  tags: TAGS,
  params: TopUpParams,
  answers: { 200: { description: 'the exchanges', body: TransferLogView } },
  errors: { 400: 'a malformed id, or a query parameter (none is taken)', ...COMMON_ERRORS, 404: NOT_FOUND },
});

export const topUpRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  const { runtime } = options;

  app.post('/topups', { schema: requestSchema }, async (request, reply) => {
    refuseQuery(request.query);
    const headers = decodeHeaders(request.headers);
    const body = decodeBody(request.body);
    const submitted = await options.submitTopUp({
      principal: principalOf(request),
      body: givenFields(body),
      idempotencyKey: headers['idempotency-key'],
    });
    return reply
      .code(202)
      .header('location', `/v1/topups/${encodeURIComponent(submitted.topUp.id)}`)
      .send(submitted.view);
  });

  app.get('/topups', { schema: listSchema }, async (request, reply) => {
    const query = decodeListQuery(withPlusRestored(request.query, TIME_PARAMETERS));
    const paged = await runUseCase(
      runtime,
      listTopUps({
        principal: principalOf(request),
        ...givenFields({
          accountId: query.account_id,
          externalId: query.external_id,
          status: query.status,
          from: query.from,
          to: query.to,
          page: query.page,
          perPage: query.per_page,
        }),
      }),
    );
    return reply.headers(paginationHeadersOf(paged)).send(paged.items.map((topUp) => topUpView(topUp)));
  });

  app.get('/topups/:id', { schema: findSchema }, async (request) => {
    const { id } = decodeParams(request.params);
    refuseQuery(request.query);
    const found = await runUseCase(runtime, findTopUp({ principal: principalOf(request), topUpId: id }));
    return topUpView(found.topUp, extrasOfStoredRequest(found.request));
  });

  app.post('/topups/:id/cancel', { schema: cancelSchema }, async (request) => {
    const { id } = decodeParams(request.params);
    refuseQuery(request.query);
    refuseBody(request.body);
    const principal = principalOf(request);
    const cancelled = await runUseCase(runtime, cancelTopUpFor({ principal, topUpId: id }));
    const found = await runUseCase(runtime, findTopUp({ principal, topUpId: cancelled.id }));
    return topUpView(found.topUp, extrasOfStoredRequest(found.request));
  });

  app.get('/topups/:id/transfer-log', { schema: transferLogSchema }, async (request) => {
    const { id } = decodeParams(request.params);
    refuseQuery(request.query);
    const exchanges = await runUseCase(runtime, transferLogFor({ principal: principalOf(request), topUpId: id }));
    return { top_up_id: id, exchanges: exchanges.map(exchangeView) };
  });
};
