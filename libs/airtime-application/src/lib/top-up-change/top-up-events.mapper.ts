// The events a top-up change publishes: one per change a caller cares about
// (created, completed, failed, reversed, retry scheduled, outcome unknown),
// with a JSON payload that never carries the phone number.
import { formatMoney, isFailureClass, isFinalClass, lastAttemptOf, type Money, type TopUp } from '@airtime/domain';

/** The routing keys of top-up events. */
export const TOP_UP_EVENT_TYPES = [
  'topup.created',
  'topup.completed',
  'topup.failed',
  'topup.reversed',
  'topup.retry_scheduled',
  'topup.unknown_outcome',
] as const;

export type TopUpEventType = (typeof TOP_UP_EVENT_TYPES)[number];

/** Events that end a top-up for its caller: they are also POSTed to the request's callback URL. */
export const FINAL_TOP_UP_EVENT_TYPES: readonly TopUpEventType[] = [
  'topup.completed',
  'topup.failed',
  'topup.reversed',
];

export const isFinalEventType = (type: TopUpEventType): boolean => FINAL_TOP_UP_EVENT_TYPES.includes(type);

const sameTime = (a: Date | undefined, b: Date | undefined): boolean => a?.getTime() === b?.getTime();

/** The event of the class a top-up entered, if any. */
const classEvents = (before: TopUp | undefined, after: TopUp): TopUpEventType[] => {
  const from = before?.status.class;
  const to = after.status.class;
  if (from === to) return [];
  if (to === 'COMPLETED') return ['topup.completed'];
  // a poll may skip COMPLETED on its way to REVERSED: the caller still hears of both
  if (to === 'REVERSED') return from === 'COMPLETED' ? ['topup.reversed'] : ['topup.completed', 'topup.reversed'];
  if (isFailureClass(to)) return ['topup.failed'];
  return [];
};

/** A retry is scheduled after a failed attempt (a new time, or a later one). */
const retryEvents = (before: TopUp | undefined, after: TopUp): TopUpEventType[] =>
  !isFinalClass(after.status.class) &&
  after.nextAttemptAt !== undefined &&
  lastAttemptOf(after)?.state === 'Failed' &&
  !sameTime(before?.nextAttemptAt, after.nextAttemptAt)
    ? ['topup.retry_scheduled']
    : [];

const unknownEvents = (before: TopUp | undefined, after: TopUp): TopUpEventType[] =>
  after.awaitingStatusQuery && !(before?.awaitingStatusQuery ?? false) ? ['topup.unknown_outcome'] : [];

/**
 * The events of the change from `before` (undefined for a new top-up) to
 * `after`, in the order they happened: created first, the final event last.
 */
export const eventTypesOf = (before: TopUp | undefined, after: TopUp): readonly TopUpEventType[] => [
  ...(before === undefined ? (['topup.created'] as const) : []),
  ...unknownEvents(before, after),
  ...retryEvents(before, after),
  ...classEvents(before, after),
];

const amountOf = (value: Money) => ({ amount: formatMoney(value), currency: value.currency.code });

/**
 * The payload of a top-up event (amounts as decimal strings; no phone
 * number): `{ topUpId, accountId, externalId, status, statusClass,
 * attemptNumber?, receive, cost, failureReason?, nextAttemptAt?, metadata?,
 * occurredAt }`.
 */
export const eventPayloadOf = (
  topUp: TopUp,
  occurredAt: Date,
  metadata: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> => {
  const attempt = lastAttemptOf(topUp);
  return {
    topUpId: topUp.id,
    accountId: topUp.accountId,
    externalId: topUp.externalId,
    status: topUp.status.status,
    statusClass: topUp.status.class,
    ...(attempt === undefined ? {} : { attemptNumber: attempt.number }),
    receive: amountOf(topUp.quote.receive),
    cost: amountOf(topUp.quote.cost),
    ...(topUp.failureReason === undefined ? {} : { failureReason: topUp.failureReason.reason }),
    ...(topUp.nextAttemptAt === undefined ? {} : { nextAttemptAt: topUp.nextAttemptAt.toISOString() }),
    ...(metadata === undefined ? {} : { metadata }),
    occurredAt: occurredAt.toISOString(),
  };
};
