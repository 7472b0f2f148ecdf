// GET /console/topups/:id: one top-up of the key's accounts (another's is
// the 404 page, as if it did not exist): status, quote, attempts, provider
// exchanges, ledger movements, events and resend links. While it is not
// final, the page names its own URL for the live-update script.
import { topUpDetailFor } from '@airtime/application';
import { isFinalClass } from '@airtime/domain';
import type { FastifyInstance } from 'fastify';
import { runProgram } from '../../http/run-use-case';
import type { ConsoleOptions } from '../console-context';
import { sessionOf } from '../session/console-session.plugin';
import { renderPage } from '../templates/page-renderer';
import { topUpDetailView } from '../views/top-up-detail.mapper';
import { topUpHref } from '../views/top-up-list.mapper';

export const topUpDetailRoutes = async (app: FastifyInstance, options: ConsoleOptions): Promise<void> => {
  app.get<{ Params: { id: string } }>('/topups/:id', async (request, reply) => {
    const session = sessionOf(request);
    const detail = await runProgram(
      options.runtime,
      topUpDetailFor({ principal: session.principal, topUpId: request.params.id }),
    );
    const view = topUpDetailView(detail);
    return reply.type('text/html; charset=utf-8').send(
      renderPage('topUpDetail', view, {
        title: `Top-up ${detail.topUp.externalId}`,
        csrf: session.csrfToken,
        liveUrl: isFinalClass(detail.topUp.status.class) ? undefined : topUpHref(detail.topUp.id),
      }),
    );
  });
};
