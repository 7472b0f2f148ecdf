// Resending a failed top-up (DECLINED, REJECTED or CANCELLED; never one
// that completed or whose outcome is unknown): GET /console/topups/:id/resend
// shows the confirmation with the new external id (derived from the old
// one) and the new quote; POST, with the session's CSRF token, requests the
// new top-up through the same flow as POST /v1/topups (held, enqueued,
// sent), linked to the old one by `resend_of` in its metadata, and sends
// the browser to it (303). The form carries the derived external id: a
// second click is the same request, answered with the same top-up.
import { findTopUp, planResendFor, TopUpNotResendable } from '@airtime/application';
import { describeStatus } from '@airtime/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { runProgram } from '../../http/run-use-case';
import type { ConsoleOptions } from '../console-context';
import { checkedSessionOf, sessionOf } from '../session/console-session.plugin';
import { renderPage } from '../templates/page-renderer';
import { formOf } from '../views/form-fields.mapper';
import { maskedPhone } from '../views/phone-mask.format';
import { quoteFacts } from '../views/top-up-detail.mapper';
import { topUpHref } from '../views/top-up-list.mapper';

const notResendablePage = (reply: FastifyReply, refusal: TopUpNotResendable, csrf: string) =>
  reply
    .code(409)
    .type('text/html; charset=utf-8')
    .send(
      renderPage(
        'message',
        {
          heading: 'Cannot be resent',
          role: 'alert',
          message:
            refusal.reason === 'already-resent'
              ? 'This top-up was resent already and that resend has not failed; see its page.'
              : 'Only a declined, rejected or cancelled top-up can be resent; a completed one or one whose outcome is unknown never is.',
          link:
            refusal.liveTopUpId === undefined
              ? undefined
              : { href: topUpHref(refusal.liveTopUpId), text: 'The top-up that has not failed' },
        },
        { title: 'Cannot be resent', csrf },
      ),
    );

export const resendRoutes = async (app: FastifyInstance, options: ConsoleOptions): Promise<void> => {
  app.get<{ Params: { id: string } }>('/topups/:id/resend', async (request, reply) => {
    const session = sessionOf(request);
    try {
      const plan = await runProgram(
        options.runtime,
        planResendFor({ principal: session.principal, topUpId: request.params.id }),
      );
      return reply.type('text/html; charset=utf-8').send(
        renderPage(
          'resend',
          {
            originalHref: topUpHref(plan.original.id),
            originalExternalId: plan.original.externalId,
            originalStatus: `${plan.original.status.status}: ${describeStatus(plan.original.status.status)}`,
            externalId: plan.externalId,
            phoneMasked: maskedPhone(plan.original.destination.e164),
            quote: quoteFacts(plan.quote),
            action: `${topUpHref(plan.original.id)}/resend`,
            csrf: session.csrfToken,
          },
          { title: 'Resend top-up', csrf: session.csrfToken },
        ),
      );
    } catch (error) {
      if (error instanceof TopUpNotResendable) return notResendablePage(reply, error, session.csrfToken);
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/topups/:id/resend', async (request, reply) => {
    const form = formOf(request.body);
    const session = checkedSessionOf(request, form);
    try {
      const plan = await runProgram(
        options.runtime,
        planResendFor({ principal: session.principal, topUpId: request.params.id }),
      );
      if (form['external_id'] !== plan.externalId) return reply.redirect(`${topUpHref(plan.original.id)}/resend`, 303);
      const submitted = await options.submitTopUp({ principal: session.principal, body: plan.input });
      return reply.redirect(topUpHref(submitted.topUp.id), 303);
    } catch (error) {
      if (!(error instanceof TopUpNotResendable)) throw error;
      // a second click after the first made the resend: that resend is the answer
      if (error.liveTopUpId !== undefined) {
        const live = await runProgram(
          options.runtime,
          findTopUp({ principal: session.principal, topUpId: error.liveTopUpId }),
        );
        if (live.topUp.externalId === form['external_id']) return reply.redirect(topUpHref(live.topUp.id), 303);
      }
      return notResendablePage(reply, error, session.csrfToken);
    }
  });
};
