// GET /console/topups: the signed-in key's top-ups, newest first, 25 a page,
// filtered by status, creation day range (from, to: inclusive days, UTC),
// phone number (the full number; rows show it masked) and external id,
// with the balances and the last 24 hours. A filter the list use case
// refuses is shown as an alert over an empty list (400), naming the field.
// GET /console/topups/live?ids=a,b: the status of up to 50 of the key's
// top-ups as JSON, for the live-update script (another key's are left out).
import { accountOverviewFor, findTopUp, InvalidInput, listTopUps, TopUpNotFound } from '@airtime/application';
import { Clock, describeStatus, isFinalClass } from '@airtime/domain';
import { Effect } from 'effect';
import type { FastifyInstance } from 'fastify';
import { runProgram } from '../../http/run-use-case';
import type { ConsoleOptions } from '../console-context';
import { sessionOf } from '../session/console-session.plugin';
import { renderPage } from '../templates/page-renderer';
import { balanceRows, dayOverviewHtml } from '../views/account-overview.mapper';
import { formOf, givenOf } from '../views/form-fields.mapper';
import { type ListFilters, pageLinks, statusOptions, topUpRow } from '../views/top-up-list.mapper';

const PER_PAGE = 25;
const MOST_LIVE_IDS = 50;

const filtersOf = (query: Readonly<Record<string, string>>): ListFilters => ({
  status: query['status'],
  from: query['from'],
  to: query['to'],
  phone_number: query['phone_number'],
  external_id: query['external_id'],
});

/** What a refused filter's alert says, by the field the list use case names (never the value, never schema internals). */
const FILTER_PROBLEMS: Readonly<Record<string, string>> = {
  status: 'Status: not one of the statuses listed.',
  from: 'From: expected a day, such as 2026-12-01.',
  to: 'To: expected a day, such as 2026-12-01, not before From.',
  phone_number: 'Phone number: not a phone number; type it in full, with its country code (+63 917 123 4100).',
  externalId: 'External id: not an external id (1 to 40 characters, no control or invisible characters).',
  page: 'Page: expected a page number.',
};

/** The alert of a refused filter. */
const filterProblem = (refused: InvalidInput): string => FILTER_PROBLEMS[refused.field] ?? 'A filter is not valid.';

export const topUpListRoutes = async (app: FastifyInstance, options: ConsoleOptions): Promise<void> => {
  app.get('/topups', async (request, reply) => {
    const session = sessionOf(request);
    const query = givenOf(formOf(request.query));
    const filters = filtersOf(query);
    const pageText = query['page'];
    const [listed, overview] = await Promise.all([
      runProgram(
        options.runtime,
        listTopUps({
          principal: session.principal,
          status: filters.status,
          from: filters.from,
          to: filters.to,
          phone_number: filters.phone_number,
          externalId: filters.external_id,
          page: pageText ?? 1,
          perPage: PER_PAGE,
        }),
      ).catch((error: unknown) => {
        if (error instanceof InvalidInput) return error;
        throw error;
      }),
      runProgram(
        options.runtime,
        Effect.flatMap(
          Effect.flatMap(Clock, (clock) => clock.now()),
          (now) => accountOverviewFor({ principal: session.principal, now }),
        ),
      ),
    ]);
    const refused = listed instanceof InvalidInput ? listed : undefined;
    const page = refused === undefined ? (listed as Exclude<typeof listed, InvalidInput>) : undefined;
    const html = renderPage(
      'topUpList',
      {
        filters: {
          from: filters.from ?? '',
          to: filters.to ?? '',
          phoneNumber: filters.phone_number ?? '',
          externalId: filters.external_id ?? '',
        },
        statuses: statusOptions(filters.status),
        error: refused === undefined ? undefined : filterProblem(refused),
        rows: page === undefined ? [] : page.items.map(topUpRow),
        page: pageLinks(filters, page?.page ?? 1, PER_PAGE, page?.total ?? 0),
        balances: balanceRows(overview),
        overviewHtml: dayOverviewHtml(overview),
      },
      { title: 'Top-ups', csrf: session.csrfToken },
    );
    return reply
      .code(refused === undefined ? 200 : 400)
      .type('text/html; charset=utf-8')
      .send(html);
  });

  app.get('/topups/live', async (request, reply) => {
    const session = sessionOf(request);
    const ids = (givenOf(formOf(request.query))['ids'] ?? '')
      .split(',')
      .filter((id) => id.length > 0)
      .slice(0, MOST_LIVE_IDS);
    const found = await Promise.all(
      [...new Set(ids)].map((topUpId) =>
        runProgram(options.runtime, findTopUp({ principal: session.principal, topUpId })).catch((error: unknown) => {
          if (error instanceof TopUpNotFound || error instanceof InvalidInput) return undefined;
          throw error;
        }),
      ),
    );
    const topUps = found.flatMap((result) => (result === undefined ? [] : [result.topUp]));
    return reply.header('cache-control', 'no-store').send({
      top_ups: topUps.map((topUp) => ({
        id: topUp.id,
        status: topUp.status.status,
        status_class: topUp.status.class,
        message: describeStatus(topUp.status.status),
        final: isFinalClass(topUp.status.class),
      })),
    });
  });
};
