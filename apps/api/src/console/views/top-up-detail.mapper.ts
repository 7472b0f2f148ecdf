// One top-up's page view: its facts, its quote in words (the rule and the
// rate), its attempts, its provider exchanges (bodies pretty-printed when
// JSON; they were redacted before they were stored), its ledger movements
// and events, and the resend links.
import type { ResendRefusal, TopUpDetail } from '@airtime/application';
import { describeStatus, formatMoney, isFinalClass, money, type TopUp } from '@airtime/domain';
import { quoteView } from '../../views/top-up-view.mapper';
import { moneyText, timeText, visibleText } from './console-text.format';
import { maskedPhone } from './phone-mask.format';
import { topUpHref } from './top-up-list.mapper';

/** Why no resend is offered, in words (undefined: it is offered). */
const resendNoteOf = (refusal: ResendRefusal | undefined): string | undefined => {
  if (refusal === undefined) return undefined;
  if (refusal.reason === 'already-resent')
    return 'Resent already: a resend of it has not failed, so it is not offered again.';
  if (refusal.reason === 'settled-by-hand')
    return (
      'Not resendable: an operator settled it as failed without a definite answer from the provider, which may ' +
      'still have delivered it. Check with your operator before requesting it again.'
    );
  return refusal.statusClass === 'COMPLETED' || refusal.statusClass === 'REVERSED'
    ? 'Not resendable: it was delivered.'
    : 'Not resendable: its outcome is not a certain failure (yet).';
};

/** A body as stored, pretty-printed when it is JSON, its hidden characters shown (visibleText); `(none)` when absent. */
export const bodyText = (body: string | null): string => {
  if (body === null || body.length === 0) return '(none)';
  try {
    return visibleText(JSON.stringify(JSON.parse(body), null, 2));
  } catch {
    return visibleText(body);
  }
};

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/** A quote in the words of the page (shared with the resend page). */
export const quoteFacts = (topUpQuote: TopUp['quote']) => {
  const view = quoteView(topUpQuote);
  return {
    product: topUpQuote.product.name,
    operator: topUpQuote.product.operator.name,
    receives: moneyText(topUpQuote.receive),
    cost: moneyText(topUpQuote.cost),
    wholesale: `${view.cost_parts.wholesale.currency} ${view.cost_parts.wholesale.amount}`,
    fee: `${view.cost_parts.fee.currency} ${view.cost_parts.fee.amount}`,
    roundingUp: `${view.cost_parts.rounding_up.currency} ${view.cost_parts.rounding_up.amount}`,
    rule: view.rule,
    explanation: view.explanation,
    rate: view.rate.value,
    rateSource: view.rate.source,
    rateDestination: view.rate.destination,
  };
};

/** What the page shows of the detail use case's answer; the resend link only when no refusal stands (see `planResendFor`). */
export const topUpDetailView = (facts: TopUpDetail) => {
  const { topUp } = facts;
  const currencyOf = topUp.quote.cost.currency;
  // the journal of a top-up is in its account's currency, the quote's cost currency
  const amount = (minor: bigint): string => `${currencyOf.code} ${formatMoney(money(minor, currencyOf))}`;
  const signed = (minor: bigint): string =>
    minor === 0n ? amount(0n) : `${minor > 0n ? '+' : '−'}${amount(minor < 0n ? -minor : minor)}`;
  const failure = topUp.failureReason;
  return {
    id: topUp.id,
    externalId: topUp.externalId,
    accountId: topUp.accountId,
    statusId: topUp.status.status,
    statusClass: topUp.status.class,
    statusMessage: describeStatus(topUp.status.status),
    final: isFinalClass(topUp.status.class),
    phoneMasked: maskedPhone(topUp.destination.e164),
    created: timeText(topUp.createdAt),
    createdIso: topUp.createdAt.toISOString(),
    failure:
      failure === undefined
        ? undefined
        : `${failure.reason}${failure.detail === undefined ? '' : ` (${failure.detail})`}${failure.attemptsExhausted ? ', attempts exhausted' : ''}`,
    resendOf:
      facts.resendOf === undefined
        ? undefined
        : { href: topUpHref(facts.resendOf.id), externalId: facts.resendOf.externalId },
    resentAs: facts.resentAs.map((resend) => ({
      href: topUpHref(resend.id),
      externalId: resend.externalId,
      statusId: resend.status.status,
    })),
    resendHref: facts.resendRefusal === undefined ? `${topUpHref(topUp.id)}/resend` : undefined,
    resendNote: isFinalClass(topUp.status.class) ? resendNoteOf(facts.resendRefusal) : undefined,
    quote: quoteFacts(topUp.quote),
    attempts: topUp.attempts.map((attempt) => ({
      number: attempt.number,
      provider: attempt.providerId ?? '—',
      state: attempt.state,
      status: attempt.providerStatus?.status ?? '—',
      failure:
        attempt.failure === undefined
          ? attempt.unknownReason === undefined
            ? '—'
            : `outcome unknown: ${attempt.unknownReason}`
          : `${attempt.failure.reason}${attempt.failure.detail === undefined ? '' : ` (${attempt.failure.detail})`}`,
      transactionId: attempt.providerTransactionId ?? '—',
      started: timeText(attempt.startedAt),
      startedIso: attempt.startedAt.toISOString(),
    })),
    exchanges: facts.exchanges.map((exchange) => ({
      attempt: exchange.attemptNumber,
      provider: exchange.provider,
      method: exchange.method,
      url: exchange.url,
      path: pathOf(exchange.url),
      answer: exchange.status === null ? 'no answer' : `HTTP ${exchange.status}`,
      durationMs: exchange.durationMs,
      started: exchange.startedAt.slice(0, 19).replace('T', ' '),
      startedIso: exchange.startedAt,
      failure: exchange.failure,
      requestBody: bodyText(exchange.requestBody),
      responseBody: bodyText(exchange.responseBody),
    })),
    movements: facts.movements.map((entry) => ({
      sequence: entry.sequence,
      kind: entry.kind,
      amount: amount(entry.amountMinor),
      available: signed(entry.availableDeltaMinor),
      holding: signed(entry.holdingDeltaMinor),
      recorded: entry.recordedAt === undefined ? '—' : timeText(entry.recordedAt),
    })),
    events: facts.events.map((event) => ({
      type: event.type,
      occurred: timeText(event.occurredAt),
      published:
        event.sentAt === undefined
          ? `not yet${event.publishAttempts > 0 ? ` (${event.publishAttempts} failed)` : ''}`
          : timeText(event.sentAt),
      payload: visibleText(JSON.stringify(event.payload, null, 2)),
    })),
  };
};
