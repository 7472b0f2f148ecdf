import {
  attemptFailed,
  attemptSucceeded,
  attemptUnknown,
  createTopUp,
  recordAttemptOutcome,
  startAttempt,
  type TopUp,
} from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Either } from 'effect';
import { eventPayloadOf, eventTypesOf } from './top-up-events.mapper';

const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 12, minutes));
const created = (): TopUp => Either.getOrThrow(createTopUp(sampleNewTopUp())).topUp;
const started = (topUp: TopUp, minutes: number) => Either.getOrThrow(startAttempt(topUp, at(minutes))).topUp;
const outcome = (topUp: TopUp, value: Parameters<typeof recordAttemptOutcome>[1], minutes: number) =>
  Either.getOrThrow(recordAttemptOutcome(topUp, value, at(minutes))).topUp;

describe('the events of a top-up change', () => {
  it('names each change once: created, unknown outcome, retry scheduled, completed', () => {
    const topUp = created();
    expect(eventTypesOf(undefined, topUp)).toEqual(['topup.created']);
    const inFlight = started(topUp, 0);
    expect(eventTypesOf(topUp, inFlight)).toEqual([]);
    const unknown = outcome(inFlight, attemptUnknown('TIMEOUT_AFTER_SEND'), 1);
    expect(eventTypesOf(inFlight, unknown)).toEqual(['topup.unknown_outcome']);
    const retrying = outcome(started(topUp, 0), attemptFailed({ reason: 'PROVIDER_UNAVAILABLE' }), 1);
    expect(eventTypesOf(inFlight, retrying)).toEqual(['topup.retry_scheduled']);
    expect(eventTypesOf(retrying, retrying)).toEqual([]);
    const completed = outcome(started(retrying, 2), attemptSucceeded('ptx-1'), 3);
    expect(eventTypesOf(retrying, completed)).toEqual(['topup.completed']);
    // a final top-up changed again within its class (a later detail, a transaction id filled in) is no new event
    expect(eventTypesOf(completed, { ...completed, updatedAt: at(9) })).toEqual([]);
  });

  it('carries what a caller needs, and never the phone number', () => {
    const topUp = outcome(started(created(), 0), attemptFailed({ reason: 'PROVIDER_UNAVAILABLE' }), 1);
    const payload = eventPayloadOf(topUp, at(1), { order: 7 });
    expect(payload).toEqual({
      topUpId: 'topup-1',
      accountId: 'account-1',
      externalId: 'order-42',
      status: 'CREATED',
      statusClass: 'CREATED',
      attemptNumber: 1,
      receive: { amount: '100.00', currency: 'PHP' },
      cost: { amount: '1.87', currency: 'USD' },
      nextAttemptAt: at(1).toISOString(),
      metadata: { order: 7 },
      occurredAt: at(1).toISOString(),
    });
    expect(JSON.stringify(payload)).not.toContain(topUp.destination.e164.slice(1));
  });
});
