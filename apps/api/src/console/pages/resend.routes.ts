// Resending a failed top-up (DECLINED, REJECTED or CANCELLED; never one
// that completed or whose outcome is unknown): GET /console/topups/:id/resend
// shows the confirmation with the new external id (derived from the old
// one) and the new quote; POST, with the session's CSRF token, requests the
// new top-up through the same flow as POST /v1/topups (held, enqueued,
// sent), linked to the old one by `resend_of` in its metadata, and sends
// the browser to it (303). The form carries the derived external id: a
// second click is the same request, answered with the same top-up.
import { findTopUp, planResendFor, type ResendPlan, TopUpNotResendable } from '@airtime/application';
import { describeStatus, type TopUp } from '@airtime/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { runProgram } from '../../http/run-use-case';
import type { ConsoleOptions } from '../console-context';
import { checkedSessionOf, type ConsoleSession, sessionOf } from '../session/console-session.plugin';
import { renderPage } from '../templates/page-renderer';
import { formOf } from '../views/form-fields.mapper';
import { moneyText } from '../views/console-text.format';
import { maskedPhone } from '../views/phone-mask.format';
import { quoteFacts } from '../views/top-up-detail.mapper';
import { topUpHref } from '../views/top-up-list.mapper';

/** A 409 page: why no resend is made, and a link to the top-up that matters. */
const conflictPage = (
  reply: FastifyReply,
  page: { readonly heading: string; readonly message: string; readonly link?: { href: string; text: string } },
  csrf: string,
) =>
  reply
    .code(409)
    .type('text/html; charset=utf-8')
    .send(renderPage('message', { ...page, role: 'alert' }, { title: page.heading, csrf }));

const notResendablePage = (reply: FastifyReply, refusal: TopUpNotResendable, csrf: string) =>
  conflictPage(
    reply,
    {
      heading: 'Cannot be resent',
      message:
        refusal.reason === 'already-resent'
          ? 'This top-up was resent already and that resend has not failed; see its page.'
          : refusal.reason === 'settled-by-hand'
            ? 'An operator settled this top-up as failed without a definite answer from the provider, which may still have delivered it: it is not resent from here. Check with your operator before requesting it again.'
            : 'Only a declined, rejected or cancelled top-up can be resent; a completed one or one whose outcome is unknown never is.',
      ...(refusal.liveTopUpId === undefined
        ? {}
        : { link: { href: topUpHref(refusal.liveTopUpId), text: 'The top-up that has not failed' } }),
    },
    csrf,
  );

/** Declines for the number itself (DVS statuses): a resend to it is likely declined again. */
const NUMBER_REFUSALS: ReadonlySet<string> = new Set(['DECLINED-INVALID-CREDIT-PARTY', 'DECLINED-BARRED-CREDIT-PARTY']);

/** What the confirmation shows: the top-up resent (the first of its family), its new external id and quote. */
const confirmationOf = (plan: ResendPlan, csrf: string) => ({
  askedHref: topUpHref(plan.original.id),
  askedExternalId: plan.original.externalId,
  resentExternalId: plan.resendOf.externalId,
  resendsAnother: plan.resendOf.id !== plan.original.id,
  resentStatus: `${plan.resendOf.status.status}: ${describeStatus(plan.resendOf.status.status)}`,
  resentStatusId: plan.resendOf.status.status,
  numberRefused: NUMBER_REFUSALS.has(plan.resendOf.status.status),
  externalId: plan.externalId,
  phoneMasked: maskedPhone(plan.resendOf.destination.e164),
  quote: quoteFacts(plan.quote),
  cost: moneyText(plan.quote.cost),
  action: `${topUpHref(plan.original.id)}/resend`,
  csrf,
});

/**
 * The top-up asked for names, as the one it resends, a top-up to another
 * number (its caller wrote that `resend_of` itself): a resend would go to
 * that other number, so the console offers none from here.
 */
const differentNumberPage = (reply: FastifyReply, resendOf: TopUp, csrf: string) =>
  conflictPage(
    reply,
    {
      heading: 'Cannot be resent from here',
      message: `This top-up names ${resendOf.externalId} as its original, which went to another number; a resend would repeat that one. Open it to resend it.`,
      link: { href: topUpHref(resendOf.id), text: `The original, ${resendOf.externalId}` },
    },
    csrf,
  );

/** The resend of the session's top-up `topUpId`, planned now (TopUpNotResendable, TopUpNotFound, ...). */
const planOf = (options: ConsoleOptions, session: ConsoleSession, topUpId: string): Promise<ResendPlan> =>
  runProgram(options.runtime, planResendFor({ principal: session.principal, topUpId }));

/** Whether the plan would send to another number than the top-up asked for (see differentNumberPage). */
const sendsElsewhere = (plan: ResendPlan): boolean => plan.original.destination.e164 !== plan.resendOf.destination.e164;

export const resendRoutes = async (app: FastifyInstance, options: ConsoleOptions): Promise<void> => {
  app.get<{ Params: { id: string }; Querystring: unknown }>('/topups/:id/resend', async (request, reply) => {
    const session = sessionOf(request);
    try {
      const plan = await planOf(options, session, request.params.id);
      if (sendsElsewhere(plan)) return differentNumberPage(reply, plan.resendOf, session.csrfToken);
      return reply.type('text/html; charset=utf-8').send(
        renderPage(
          'resend',
          { ...confirmationOf(plan, session.csrfToken), changed: formOf(request.query)['changed'] === '1' },
          {
            title: 'Resend top-up',
            csrf: session.csrfToken,
          },
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
      const plan = await planOf(options, session, request.params.id);
      if (sendsElsewhere(plan)) return differentNumberPage(reply, plan.resendOf, session.csrfToken);
      // the plan changed since the confirmation was shown (another resend, a new price): show it again
      if (form['external_id'] !== plan.externalId || form['cost'] !== moneyText(plan.quote.cost))
        return reply.redirect(`${topUpHref(plan.original.id)}/resend?changed=1`, 303);
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
