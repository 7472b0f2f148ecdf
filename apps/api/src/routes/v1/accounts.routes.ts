// The account routes of /v1: GET /accounts/{id}/balance (available,
// holding and credit limit per currency) and GET /accounts/{id}/ledger (the
// journal, newest first, paginated). An account out of the key's scope is
// 404, as if it did not exist.
import { AccountIdField, accountBalances, accountJournal, PageField, PerPageField } from '@airtime/application';
import { Schema } from 'effect';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/principal';
import { refuseQuery, requirePart } from '../../http/request-input.check';
import { fastifySchemaOf } from '../../http/route-schema.mapper';
import { runUseCase } from '../../http/run-use-case';
import { AccountBalancesView, LedgerEntryView } from '../../views/account-view.schema';
import { balanceView, ledgerEntryView } from '../../views/account-view.mapper';
import type { ApiRouteOptions } from '../route-context';
import { givenFields, PAGE_RANGE_NOTE, PAGINATION_HEADERS, paginationHeadersOf } from './pagination';

export const AccountParams = Schema.Struct({ id: AccountIdField });
export const LedgerQuery = Schema.Struct({ page: Schema.optional(PageField), per_page: Schema.optional(PerPageField) });

const decodeParams = requirePart(AccountParams, 'path');
const decodeLedgerQuery = requirePart(LedgerQuery, 'query');

const ERRORS = {
  400: 'a malformed id, page or per_page, or another query parameter',
  401: 'no valid API key',
  404: 'no such account (or not one of yours)',
  429: 'the rate limit of the API key',
  503: 'the store is unavailable; try again (SERVICE_UNAVAILABLE)',
} as const;

const balanceSchema = fastifySchemaOf({
  summary: "An account's balances",
  description:
    'Per currency: available (may go down to minus the credit limit), holding (top-ups in flight), credit limit.',
  tags: ['accounts'],
  params: AccountParams,
  answers: { 200: { description: 'the balances', body: AccountBalancesView } },
  errors: ERRORS,
});

const ledgerSchema = fastifySchemaOf({
  summary: "An account's ledger",
  description: `The journal of every currency, newest first, paginated (${PAGE_RANGE_NOTE}).`,
  tags: ['accounts'],
  params: AccountParams,
  query: LedgerQuery,
  answers: {
    200: { description: 'one page of entries', body: Schema.Array(LedgerEntryView), headers: PAGINATION_HEADERS },
  },
  errors: ERRORS,
});

export const accountRoutes = async (app: FastifyInstance, options: ApiRouteOptions): Promise<void> => {
  app.get('/accounts/:id/balance', { schema: balanceSchema }, async (request) => {
    const { id } = decodeParams(request.params);
    refuseQuery(request.query);
    const balances = await runUseCase(
      options.runtime,
      accountBalances({ principal: principalOf(request), accountId: id }),
    );
    return { account_id: id, balances: balances.map(balanceView) };
  });

  app.get('/accounts/:id/ledger', { schema: ledgerSchema }, async (request, reply) => {
    const { id } = decodeParams(request.params);
    const query = decodeLedgerQuery(request.query);
    const paged = await runUseCase(
      options.runtime,
      accountJournal({
        principal: principalOf(request),
        accountId: id,
        ...givenFields({ page: query.page, perPage: query.per_page }),
      }),
    );
    return reply.headers(paginationHeadersOf(paged)).send(paged.items.map(ledgerEntryView));
  });
};
