// The error "plan a resend" adds: the top-up may not be resent now.
import { taggedError, type TransactionClass } from '@airtime/domain';

/**
 * The top-up may not be resent: `reason` `status` when it did not fail for
 * certain (`statusClass` says its class: only DECLINED, REJECTED or
 * CANCELLED with every attempt settled may be resent); `already-resent`
 * when a top-up of its resend family did not fail for certain
 * (`liveTopUpId`: a resend that is created, pending, of unknown outcome,
 * completed or reversed; or, for a resend asked, its original).
 */
export class TopUpNotResendable extends taggedError('TopUpNotResendable', {
  code: 'TOP_UP_NOT_RESENDABLE',
  retryable: false,
})<{
  readonly topUpId: string;
  readonly reason: 'status' | 'already-resent';
  readonly statusClass?: TransactionClass | undefined;
  readonly liveTopUpId?: string | undefined;
}>((e) =>
  e.reason === 'status'
    ? `top-up "${e.topUpId}" did not fail for certain (${e.statusClass ?? 'unknown'}): it cannot be resent`
    : `top-up "${e.topUpId}" is already resent as "${e.liveTopUpId ?? 'unknown'}", which did not fail`,
) {}
