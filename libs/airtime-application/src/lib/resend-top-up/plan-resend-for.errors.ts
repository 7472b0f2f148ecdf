// The error "plan a resend" adds: the top-up may not be resent now.
import { taggedError, type TransactionClass } from '@airtime/domain';

/**
 * The top-up may not be resent: `reason` `status` when it did not fail for
 * certain (`statusClass` says its class: only DECLINED, REJECTED or
 * CANCELLED with every attempt settled may be resent); `already-resent`
 * when a top-up of its resend family did not fail for certain
 * (`liveTopUpId`: a resend that is created, pending, of unknown outcome,
 * completed or reversed; or, for a resend asked, its original);
 * `settled-by-hand` when a top-up of its family was settled as failed by an
 * operator (`settledTopUpId`): the provider gave no definite answer for it
 * and may still have delivered it, so a resend could deliver twice.
 */
export class TopUpNotResendable extends taggedError('TopUpNotResendable', {
  code: 'TOP_UP_NOT_RESENDABLE',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly reason: 'status' | 'already-resent' | 'settled-by-hand';
  readonly statusClass?: TransactionClass | undefined;
  readonly liveTopUpId?: string | undefined;
  readonly settledTopUpId?: string | undefined;
}>((e) =>
  e.reason === 'status'
    ? `top-up "${e.topUpId}" did not fail for certain (${e.statusClass ?? 'unknown'}): it cannot be resent`
    : e.reason === 'already-resent'
      ? `top-up "${e.topUpId}" is already resent as "${e.liveTopUpId ?? 'unknown'}", which did not fail`
      : `top-up "${e.settledTopUpId ?? e.topUpId}" was settled as failed by an operator, not by the provider, ` +
        'which may still have delivered it: it is not resent',
) {}
