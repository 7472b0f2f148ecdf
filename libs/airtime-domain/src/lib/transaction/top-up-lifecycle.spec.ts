import { Either } from 'effect';
import { sampleNewTopUp, samplePhoneNumberFor } from '../../testing/transaction.arbitraries';
import { currencyOf } from '../money/currency';
import { money } from '../money/money';
import { preciseOf } from '../money/precise-money';
import { parsePhoneNumber } from '../phone/phone-number';
import { makeFixedProduct } from '../product/product';
import { selectDenomination } from '../selector/denomination-selector';
import {
  attemptAccepted,
  attemptFailed,
  attemptSucceeded,
  attemptUnknown,
  providerFound,
  providerNotFound,
} from './attempt';
import { topUpFailureStatus } from './attempt-report';
import { type ExternalId, providerExternalIdFor } from './external-id';
import { createTopUp, type TopUp, type TopUpChange } from './top-up';
import {
  applyProviderEvent,
  cancelTopUp,
  recordAttemptOutcome,
  NOT_FOUND_CONFIRMATION_MINUTES,
  rejectForRefusedHold,
  resolveUnknownAttempt,
  startAttempt,
} from './top-up-lifecycle';
import { MAX_ATTEMPTS } from './retry.policy';
import { statusOfClass as s, transactionStatus } from './transaction-status';

const t0 = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const right = <A, E>(result: Either.Either<A, E>): A => {
  if (Either.isLeft(result)) throw new Error(`expected a success, got ${String(result.left)}`);
  return result.right;
};
const left = <A, E>(result: Either.Either<A, E>): E => {
  if (Either.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

const created = (): TopUp => right(createTopUp(sampleNewTopUp({ now: t0 }))).topUp;
const withAttempt = (topUp: TopUp = created(), now: Date = t0): TopUp => right(startAttempt(topUp, now, 'dtone')).topUp;
const last = (topUp: TopUp) => topUp.attempts[topUp.attempts.length - 1];
/** The provider id of the sample top-up's attempt `n` (account-1, order-42). */
const pid = (n: number) => providerExternalIdFor('account-1', 'order-42' as ExternalId, n);

const expectNoOp = (before: TopUp, change: TopUpChange) => {
  expect(change.topUp).toBe(before);
  expect(change.movements).toEqual([]);
};

describe('createTopUp', () => {
  it('creates a CREATED top-up whose cost is to be authorized', () => {
    const change = right(createTopUp(sampleNewTopUp({ now: t0 })));
    expect(change.movements).toEqual(['AUTHORIZE']);
    expect(change.topUp).toMatchObject({
      id: 'topup-1',
      accountId: 'account-1',
      externalId: 'order-42',
      status: s('CREATED'),
      attempts: [],
      nextAttemptAt: undefined,
      awaitingStatusQuery: false,
      failureReason: undefined,
      createdAt: t0,
      updatedAt: t0,
    });
  });

  it('refuses a top-up without id, account or cost', () => {
    expect(left(createTopUp(sampleNewTopUp({ id: ' ' })))).toMatchObject({
      _tag: 'InvalidIdentifier',
      kind: 'TRANSACTION_ID',
      problem: 'BLANK',
    });
    expect(left(createTopUp(sampleNewTopUp({ accountId: '' })))).toMatchObject({
      kind: 'ACCOUNT_ID',
      problem: 'EMPTY',
    });
    const quote = sampleNewTopUp().quote;
    const free = { ...quote, cost: { ...quote.cost, amountMinor: 0n } };
    expect(left(createTopUp(sampleNewTopUp({ quote: free }))).code).toBe('INVALID_TOP_UP');
  });
});

describe('createTopUp: identifiers keep the rule the store holds them to', () => {
  it.each([
    ['a right-to-left override in the top-up id', { id: 'topup-\u202e1' }, 'TRANSACTION_ID', 'FORBIDDEN_CHARACTER'],
    ['a 500-character top-up id', { id: 't'.repeat(500) }, 'TRANSACTION_ID', 'TOO_LONG'],
    ['a right-to-left override in the account id', { accountId: 'acc\u202eount' }, 'ACCOUNT_ID', 'FORBIDDEN_CHARACTER'],
    ['a 500-character account id', { accountId: 'a'.repeat(500) }, 'ACCOUNT_ID', 'TOO_LONG'],
  ])('refuses %s with a typed error that does not echo it', (_, fields, kind, problem) => {
    const error = left(createTopUp(sampleNewTopUp(fields)));
    expect(error).toMatchObject({ _tag: 'InvalidIdentifier', kind, problem });
    expect(error.message).not.toContain('\u202e');
    expect(error.message).not.toContain('aaaaaaaaaa');
    expect(error.message).not.toContain('tttttttttt');
  });
});

describe('createTopUp: the destination and the product agree', () => {
  const KES = Either.getOrThrow(currencyOf('KES'));
  const USD = Either.getOrThrow(currencyOf('USD'));
  const safaricom100 = Either.getOrThrow(
    makeFixedProduct({
      id: '4001',
      name: 'Safaricom KES 100',
      kind: 'AIRTIME',
      operator: { id: '77', name: 'Safaricom', countryIso: 'KE' },
      destination: money(10_000n, KES),
      wholesale: preciseOf(money(78n, USD)),
      fee: preciseOf(money(0n, USD)),
    }),
  );
  const kenyanQuote = Either.getOrThrow(selectDenomination([safaricom100], { maxAmount: money(10_000n, KES) }));
  const phone = (e164: string) => Either.getOrThrow(parsePhoneNumber(e164));

  it('refuses a Kenyan KES 100 product for a Tanzanian number', () => {
    const refused = left(createTopUp(sampleNewTopUp({ quote: kenyanQuote, destination: phone('+255712000111') })));
    expect(refused).toMatchObject({
      _tag: 'InvalidTopUp',
      reason: "the destination is not a number of the product operator's country",
    });
    expect(refused.message).not.toContain('255712000111');
  });

  it('has sample numbers that are valid numbers of their countries', () => {
    for (const country of ['PH', 'KE', 'TZ']) {
      const sample = samplePhoneNumberFor(country);
      expect(phone(sample.e164)).toEqual(sample);
      expect(sample.countryIso).toBe(country);
    }
  });

  it('accepts it for a Kenyan number', () => {
    const change = right(createTopUp(sampleNewTopUp({ quote: kenyanQuote, destination: phone('+254711000111') })));
    expect(change.movements).toEqual(['AUTHORIZE']);
  });
});

describe('startAttempt', () => {
  it('starts attempt 1 with the provider external id derived from the command', () => {
    const { topUp, attempt, movements } = right(startAttempt(created(), at(0), 'dtone'));
    expect(movements).toEqual([]);
    expect(attempt).toEqual({
      number: 1,
      providerExternalId: pid(1),
      providerId: 'dtone',
      startedAt: at(0),
      state: 'InFlight',
      providerStatus: undefined,
      providerTransactionId: undefined,
      failure: undefined,
      unknownReason: undefined,
      updatedAt: at(0),
    });
    expect(topUp.attempts).toEqual([attempt]);
    expect(topUp.status).toEqual(s('CREATED'));
  });

  it('refuses while the last attempt is in flight, pending or unknown', () => {
    const inFlight = withAttempt();
    expect(left(startAttempt(inFlight, at(10)))).toMatchObject({
      _tag: 'UnresolvedAttempt',
      attemptNumber: 1,
      state: 'InFlight',
    });
    const pending = right(recordAttemptOutcome(inFlight, attemptAccepted('tx-1', 'CONFIRMED'), at(0))).topUp;
    expect(left(startAttempt(pending, at(10)))).toMatchObject({ _tag: 'UnresolvedAttempt', state: 'Pending' });
    const unknown = right(recordAttemptOutcome(inFlight, attemptUnknown('TIMEOUT_AFTER_SEND'), at(0))).topUp;
    const refusal = left(startAttempt(unknown, at(300)));
    expect(refusal).toMatchObject({ _tag: 'UnresolvedAttempt', state: 'Unknown', code: 'UNRESOLVED_ATTEMPT' });
  });

  it('refuses when the top-up is final', () => {
    const completed = right(recordAttemptOutcome(withAttempt(), attemptSucceeded('tx-1'), at(0))).topUp;
    expect(left(startAttempt(completed, at(10)))).toMatchObject({ _tag: 'TopUpAlreadyFinal', status: s('COMPLETED') });
    const cancelled = right(cancelTopUp(created(), at(0))).topUp;
    expect(left(startAttempt(cancelled, at(10)))._tag).toBe('TopUpAlreadyFinal');
  });

  it('refuses before the scheduled retry is due and allows it from then on', () => {
    const failed = right(recordAttemptOutcome(withAttempt(), attemptFailed({ reason: 'RATE_LIMITED' }), at(0))).topUp;
    expect(failed.nextAttemptAt).toEqual(at(1));
    expect(left(startAttempt(failed, new Date(at(1).getTime() - 1)))).toMatchObject({
      _tag: 'AttemptNotDue',
      nextAttemptAt: at(1),
    });
    const next = right(startAttempt(failed, at(1)));
    expect(next.attempt.providerExternalId).toBe(pid(2));
    expect(next.topUp.nextAttemptAt).toBeUndefined();
  });

  it('refuses an eighth attempt', () => {
    let topUp = created();
    for (let made = 0; made < 7; made += 1) {
      topUp = withAttempt(topUp, at(1000 * made));
      topUp = { ...topUp, attempts: topUp.attempts.map((attempt) => ({ ...attempt, state: 'Failed' as const })) };
    }
    expect(left(startAttempt(topUp, at(10_000)))).toMatchObject({ _tag: 'AttemptsExhausted', attemptsMade: 7 });
  });
});

describe('recordAttemptOutcome', () => {
  it('completes on success and captures the hold', () => {
    const change = right(recordAttemptOutcome(withAttempt(), attemptSucceeded('tx-1'), at(1)));
    expect(change.movements).toEqual(['CAPTURE']);
    expect(change.topUp.status).toEqual(s('COMPLETED'));
    expect(last(change.topUp)).toMatchObject({
      state: 'Succeeded',
      providerTransactionId: 'tx-1',
      providerStatus: s('COMPLETED'),
    });
    expect(change.topUp.updatedAt).toEqual(at(1));
  });

  it('follows an accepted send to CONFIRMED or SUBMITTED, then completes on the callback', () => {
    const confirmed = right(recordAttemptOutcome(withAttempt(), attemptAccepted('tx-1', 'CONFIRMED'), at(0)));
    expect(confirmed.movements).toEqual([]);
    expect(confirmed.topUp.status).toEqual(s('CONFIRMED'));
    expect(last(confirmed.topUp)?.state).toBe('Pending');
    const submitted = right(recordAttemptOutcome(withAttempt(), attemptAccepted('tx-1', 'SUBMITTED'), at(0)));
    expect(submitted.topUp.status).toEqual(s('SUBMITTED'));
    const completed = right(
      applyProviderEvent(submitted.topUp, s('COMPLETED'), at(2), { providerTransactionId: 'tx-1' }),
    );
    expect(completed.movements).toEqual(['CAPTURE']);
    expect(completed.topUp.status).toEqual(s('COMPLETED'));
  });

  it('schedules a retry on a retryable failure, keeping the hold', () => {
    const outcome = attemptFailed({
      reason: 'OPERATOR_UNAVAILABLE',
      status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
    });
    const change = right(recordAttemptOutcome(withAttempt(), outcome, at(0.5)));
    expect(change.movements).toEqual([]);
    expect(change.topUp.status).toEqual(s('CREATED'));
    expect(change.topUp.nextAttemptAt).toEqual(at(1));
    expect(change.topUp.failureReason).toBeUndefined();
    expect(last(change.topUp)).toMatchObject({
      state: 'Failed',
      failure: { reason: 'OPERATOR_UNAVAILABLE', retryable: true },
    });
  });

  it('declines on a failure that is not retryable, voiding the hold', () => {
    const outcome = attemptFailed({
      reason: 'DECLINED_BY_OPERATOR',
      status: 'DECLINED-BARRED-CREDIT-PARTY',
      detail: 'barred',
    });
    const change = right(recordAttemptOutcome(withAttempt(), outcome, at(0)));
    expect(change.movements).toEqual(['VOID']);
    expect(change.topUp.status).toEqual(transactionStatus('DECLINED-BARRED-CREDIT-PARTY'));
    expect(change.topUp.failureReason).toEqual({
      reason: 'DECLINED_BY_OPERATOR',
      attemptsExhausted: false,
      detail: 'barred',
    });
    expect(change.topUp.nextAttemptAt).toBeUndefined();
  });

  it('keeps a provider rejection when the top-up can reach it', () => {
    const outcome = attemptFailed({ reason: 'REJECTED_BY_PROVIDER', status: 'REJECTED-INSUFFICIENT-BALANCE' });
    const change = right(recordAttemptOutcome(withAttempt(), outcome, at(0)));
    expect(change.movements).toEqual(['VOID']);
    expect(change.topUp.status).toEqual(transactionStatus('REJECTED-INSUFFICIENT-BALANCE'));
  });

  it('follows the whole schedule (1, 2, 5, 30, 60, 120 minutes), then declines when exhausted', () => {
    const outcome = attemptFailed({
      reason: 'OPERATOR_UNAVAILABLE',
      status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
    });
    let topUp = created();
    let now = t0;
    const delays: number[] = [];
    let final: TopUpChange | undefined;
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      topUp = right(startAttempt(topUp, now)).topUp;
      expect(last(topUp)?.providerExternalId).toBe(pid(attempt));
      const change = right(recordAttemptOutcome(topUp, outcome, now));
      topUp = change.topUp;
      if (topUp.nextAttemptAt === undefined) {
        final = change;
        break;
      }
      expect(change.movements).toEqual([]);
      delays.push((topUp.nextAttemptAt.getTime() - now.getTime()) / 60_000);
      now = topUp.nextAttemptAt;
    }
    expect(delays).toEqual([1, 2, 5, 30, 60, 120]);
    expect(topUp.attempts).toHaveLength(7);
    expect(final?.movements).toEqual(['VOID']);
    expect(topUp.status).toEqual(transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'));
    expect(topUp.failureReason).toMatchObject({ reason: 'OPERATOR_UNAVAILABLE', attemptsExhausted: true });
    expect(left(startAttempt(topUp, at(10_000)))._tag).toBe('TopUpAlreadyFinal');
  });

  it('marks an unknown outcome for a status query, moving nothing', () => {
    const change = right(recordAttemptOutcome(withAttempt(), attemptUnknown('SERVER_ERROR_AFTER_SEND'), at(3)));
    expect(change.movements).toEqual([]);
    expect(change.topUp.status).toEqual(s('CREATED'));
    expect(change.topUp.awaitingStatusQuery).toBe(true);
    expect(change.topUp.nextAttemptAt).toBeUndefined();
    expect(last(change.topUp)).toMatchObject({ state: 'Unknown', unknownReason: 'SERVER_ERROR_AFTER_SEND' });
    expect(left(cancelTopUp(change.topUp, at(4)))._tag).toBe('UnresolvedAttempt');
  });

  it('ignores a send result that the callback already overtook', () => {
    const completed = right(applyProviderEvent(withAttempt(), s('COMPLETED'), at(0))).topUp;
    expectNoOp(completed, right(recordAttemptOutcome(completed, attemptUnknown('TIMEOUT_AFTER_SEND'), at(1))));
    expectNoOp(
      completed,
      right(recordAttemptOutcome(completed, attemptFailed({ reason: 'TIMEOUT_BEFORE_SEND' }), at(1))),
    );
    // A stale send result only teaches the provider's transaction id.
    const withId = right(recordAttemptOutcome(completed, attemptAccepted('tx-1', 'CONFIRMED'), at(1)));
    expect(withId.movements).toEqual([]);
    expect(withId.topUp.status).toEqual(s('COMPLETED'));
    expect(last(withId.topUp)).toMatchObject({ state: 'Succeeded', providerTransactionId: 'tx-1' });
    expectNoOp(withId.topUp, right(recordAttemptOutcome(withId.topUp, attemptSucceeded('tx-1'), at(2))));
  });

  it('refuses an outcome that contradicts what the provider reported', () => {
    const completed = right(recordAttemptOutcome(withAttempt(), attemptSucceeded('tx-1'), at(0))).topUp;
    const failure = attemptFailed({ reason: 'DECLINED_BY_OPERATOR', status: 'DECLINED' });
    expect(left(recordAttemptOutcome(completed, failure, at(1)))).toMatchObject({ _tag: 'IllegalTransition' });
  });

  it('refuses an outcome when no attempt was started', () => {
    expect(left(recordAttemptOutcome(created(), attemptSucceeded('tx-1'), at(0)))).toMatchObject({
      _tag: 'AttemptNotFound',
    });
  });
});

describe('resolveUnknownAttempt', () => {
  const unknown = () => right(recordAttemptOutcome(withAttempt(), attemptUnknown('TIMEOUT_AFTER_SEND'), at(0))).topUp;

  it('applies the status the provider has', () => {
    const change = right(resolveUnknownAttempt(unknown(), providerFound(s('COMPLETED'), 'tx-9'), at(2)));
    expect(change.movements).toEqual(['CAPTURE']);
    expect(change.topUp.status).toEqual(s('COMPLETED'));
    expect(change.topUp.awaitingStatusQuery).toBe(false);
    expect(last(change.topUp)).toMatchObject({ state: 'Succeeded', providerTransactionId: 'tx-9' });
  });

  it('leaves a still pending attempt pending (no new attempt yet)', () => {
    const change = right(resolveUnknownAttempt(unknown(), providerFound(s('SUBMITTED')), at(2)));
    expect(change.topUp.status).toEqual(s('SUBMITTED'));
    expect(change.topUp.awaitingStatusQuery).toBe(false);
    expect(left(startAttempt(change.topUp, at(100)))).toMatchObject({ _tag: 'UnresolvedAttempt', state: 'Pending' });
  });

  it('applies a definite failure the provider reports', () => {
    const change = right(
      resolveUnknownAttempt(unknown(), providerFound(transactionStatus('DECLINED-INVALID-CREDIT-PARTY')), at(2)),
    );
    expect(change.movements).toEqual(['VOID']);
    expect(change.topUp.status).toEqual(transactionStatus('DECLINED-INVALID-CREDIT-PARTY'));
  });

  it('counts "not found" as a retryable failure: a resend per the schedule, from now, under the same provider external id', () => {
    const change = right(resolveUnknownAttempt(unknown(), providerNotFound, at(10)));
    expect(change.movements).toEqual([]);
    expect(change.topUp.status).toEqual(s('CREATED'));
    expect(change.topUp.awaitingStatusQuery).toBe(false);
    expect(change.topUp.nextAttemptAt).toEqual(at(11));
    expect(last(change.topUp)).toMatchObject({
      state: 'Failed',
      failure: { reason: 'NOT_FOUND_AT_PROVIDER', retryable: true },
    });
    expect(left(startAttempt(change.topUp, at(10)))._tag).toBe('AttemptNotDue');
    const next = right(startAttempt(change.topUp, at(11), 'dtone'));
    expect(next.attempt.number).toBe(2);
    // the provider's duplicate check then stops a late original from being delivered as well
    expect(next.attempt.providerExternalId).toBe(pid(1));
    // A late delivery of the attempt the provider said it never had is flagged, never absorbed.
    expect(left(applyProviderEvent(next.topUp, s('COMPLETED'), at(12), { attemptNumber: 1 }))._tag).toBe(
      'IllegalTransition',
    );
  });

  it('routes events for a reused external id to the live attempt', () => {
    const resent = right(
      startAttempt(right(resolveUnknownAttempt(unknown(), providerNotFound, at(10))).topUp, at(11), 'dtone'),
    ).topUp;
    const change = right(applyProviderEvent(resent, s('COMPLETED'), at(12), { providerExternalId: pid(1) }));
    expect(change.movements).toEqual(['CAPTURE']);
    expect(last(change.topUp)).toMatchObject({ number: 2, state: 'Succeeded' });
  });

  it('refuses to fail over after "not found": the original may still reach the first provider', () => {
    const notFound = right(resolveUnknownAttempt(unknown(), providerNotFound, at(10))).topUp;
    expect(left(startAttempt(notFound, at(11), 'another-provider'))).toMatchObject({
      _tag: 'FailoverNotAllowed',
      code: 'FAILOVER_NOT_ALLOWED',
      fromProviderId: 'dtone',
      toProviderId: 'another-provider',
    });
  });

  it('fails over after a definite failure, under a fresh external id', () => {
    const failed = right(
      recordAttemptOutcome(
        withAttempt(),
        attemptFailed({ reason: 'OPERATOR_UNAVAILABLE', status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' }),
        at(0),
      ),
    ).topUp;
    const next = right(startAttempt(failed, at(1), 'another-provider'));
    expect(next.attempt).toMatchObject({ number: 2, providerId: 'another-provider', providerExternalId: pid(2) });
  });

  it('ignores "not found" once the provider has reported on the attempt', () => {
    const pending = right(resolveUnknownAttempt(unknown(), providerFound(s('CONFIRMED')), at(2))).topUp;
    expectNoOp(pending, right(resolveUnknownAttempt(pending, providerNotFound, at(3))));
  });

  it('resolves an attempt left in flight (e.g. after a crash)', () => {
    const change = right(resolveUnknownAttempt(withAttempt(), providerNotFound, at(5)));
    expect(change.topUp.nextAttemptAt).toEqual(at(6));
  });
});

describe('applyProviderEvent', () => {
  it('completes on a callback that arrives before the send returns', () => {
    const change = right(applyProviderEvent(withAttempt(), s('COMPLETED'), at(0), { providerExternalId: pid(1) }));
    expect(change.movements).toEqual(['CAPTURE']);
    expect(change.topUp.status).toEqual(s('COMPLETED'));
  });

  it('treats duplicates and stale events as no-ops', () => {
    const completed = right(applyProviderEvent(withAttempt(), s('COMPLETED'), at(0))).topUp;
    expectNoOp(completed, right(applyProviderEvent(completed, s('COMPLETED'), at(1))));
    expectNoOp(completed, right(applyProviderEvent(completed, s('SUBMITTED'), at(1))));
    expectNoOp(completed, right(applyProviderEvent(completed, s('CREATED'), at(1))));
  });

  it('refuses an illegal event with a typed error', () => {
    const completed = right(applyProviderEvent(withAttempt(), s('COMPLETED'), at(0))).topUp;
    expect(left(applyProviderEvent(completed, s('DECLINED'), at(1)))).toMatchObject({
      _tag: 'IllegalTransition',
      from: s('COMPLETED'),
      to: s('DECLINED'),
    });
  });

  it('reverses a completed top-up, and captures first when COMPLETED was missed', () => {
    const completed = right(applyProviderEvent(withAttempt(), s('COMPLETED'), at(0))).topUp;
    const reversed = right(applyProviderEvent(completed, s('REVERSED'), at(1)));
    expect(reversed.movements).toEqual(['REVERSE']);
    expect(reversed.topUp.status).toEqual(s('REVERSED'));
    const confirmed = right(applyProviderEvent(withAttempt(), s('CONFIRMED'), at(0))).topUp;
    expect(right(applyProviderEvent(confirmed, s('REVERSED'), at(1))).movements).toEqual(['CAPTURE', 'REVERSE']);
  });

  it('schedules a retry on an operator-unavailable callback', () => {
    const confirmed = right(applyProviderEvent(withAttempt(), s('CONFIRMED'), at(0))).topUp;
    const change = right(
      applyProviderEvent(confirmed, transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'), at(0.2)),
    );
    expect(change.movements).toEqual([]);
    // nothing is held by the provider any more: the top-up waits for its next attempt, cancellable
    expect(change.topUp.status).toEqual(s('CREATED'));
    expect(change.topUp.nextAttemptAt).toEqual(at(1));
  });

  it('ignores a duplicate callback about an earlier attempt', () => {
    const confirmed = right(applyProviderEvent(withAttempt(), s('CONFIRMED'), at(0))).topUp;
    const unavailable = transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    const retrying = right(applyProviderEvent(confirmed, unavailable, at(0))).topUp;
    const second = right(startAttempt(retrying, at(1))).topUp;
    expectNoOp(second, right(applyProviderEvent(second, unavailable, at(2), { providerExternalId: pid(1) })));
  });

  it('ends in the status of a later attempt, which starts from CREATED again', () => {
    const submitted = right(applyProviderEvent(withAttempt(), s('SUBMITTED'), at(0))).topUp;
    const retrying = right(
      applyProviderEvent(submitted, transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'), at(0)),
    ).topUp;
    const second = right(startAttempt(retrying, at(1))).topUp;
    const change = right(applyProviderEvent(second, transactionStatus('REJECTED-BARRED-CREDIT-PARTY'), at(2)));
    expect(change.movements).toEqual(['VOID']);
    expect(change.topUp.status).toEqual(transactionStatus('REJECTED-BARRED-CREDIT-PARTY'));
    expect(last(change.topUp)?.providerStatus).toEqual(transactionStatus('REJECTED-BARRED-CREDIT-PARTY'));
  });

  it('refuses an event for a top-up with no such attempt', () => {
    expect(left(applyProviderEvent(created(), s('COMPLETED'), at(0)))._tag).toBe('AttemptNotFound');
    expect(left(applyProviderEvent(withAttempt(), s('COMPLETED'), at(0), { providerTransactionId: 'nope' })).code).toBe(
      'ATTEMPT_NOT_FOUND',
    );
    // a key from a callback is never quoted back
    const unknownKey = left(
      applyProviderEvent(withAttempt(), s('COMPLETED'), at(0), { providerTransactionId: 'tx-9f3a' }),
    );
    expect(unknownKey.message).not.toContain('tx-9f3a');
    const unknownId = left(
      applyProviderEvent(withAttempt(), s('COMPLETED'), at(0), { providerExternalId: 'ext-77b1' }),
    );
    expect(unknownId.message).not.toContain('ext-77b1');
  });
});

describe('events in any order', () => {
  const unavailable = transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
  const barred = transactionStatus('DECLINED-BARRED-CREDIT-PARTY');
  /** Applies events to a top-up with one attempt started; the top-up and every movement. */
  const deliver = (events: readonly ReturnType<typeof s>[], topUp: TopUp = withAttempt()) =>
    events.reduce(
      ({ topUp: current, movements }, event, index) => {
        const change = right(applyProviderEvent(current, event, at(0.1 * (index + 1))));
        return { topUp: change.topUp, movements: [...movements, ...change.movements] };
      },
      { topUp, movements: [] as string[] },
    );
  const outcome = ({ topUp, movements }: ReturnType<typeof deliver>) => ({
    status: topUp.status,
    failureReason: topUp.failureReason,
    nextAttemptAt: topUp.nextAttemptAt,
    attempt: { state: last(topUp)?.state, status: last(topUp)?.providerStatus, failure: last(topUp)?.failure },
    movements,
  });

  it('CONFIRMED and DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE give one top-up, waiting and cancellable, in either order', () => {
    const confirmedFirst = deliver([s('CONFIRMED'), unavailable]);
    const declinedFirst = deliver([unavailable, s('CONFIRMED')]);
    expect(outcome(confirmedFirst)).toEqual(outcome(declinedFirst));
    expect(confirmedFirst.topUp.status).toEqual(s('CREATED'));
    expect(confirmedFirst.topUp.nextAttemptAt).toEqual(at(1));
    expect(right(cancelTopUp(confirmedFirst.topUp, at(0.5))).topUp.status).toEqual(s('CANCELLED'));
    expect(right(cancelTopUp(declinedFirst.topUp, at(0.5))).topUp.status).toEqual(s('CANCELLED'));
  });

  it('a specific detail wins over the bare class, in either order', () => {
    const bareFirst = deliver([s('DECLINED'), barred]);
    const barredFirst = deliver([barred, s('DECLINED')]);
    expect(outcome(bareFirst)).toEqual(outcome(barredFirst));
    expect(bareFirst.topUp.status).toEqual(barred);
    expect(bareFirst.topUp.failureReason).toEqual({
      reason: 'DECLINED_BY_OPERATOR',
      attemptsExhausted: false,
      detail: 'Declined - Credit party is barred',
    });
    expect(bareFirst.movements).toEqual(['VOID']);
  });

  it('a failure that ends the top-up wins over one that would retry, in either order', () => {
    const retryFirst = deliver([unavailable, s('DECLINED')]);
    const endFirst = deliver([s('DECLINED'), unavailable]);
    expect(outcome(retryFirst)).toEqual(outcome(endFirst));
    expect(endFirst.topUp.status).toEqual(s('DECLINED'));
    expect(endFirst.topUp.nextAttemptAt).toBeUndefined();
    expect(endFirst.movements).toEqual(['VOID']);
  });

  it('a send outcome and a callback of the same status agree whichever comes first', () => {
    const failed = attemptFailed({ reason: 'OPERATOR_UNAVAILABLE', status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' });
    const sendFirst = right(recordAttemptOutcome(withAttempt(), failed, at(0.1))).topUp;
    const callbackFirst = right(applyProviderEvent(withAttempt(), barred, at(0.1))).topUp;
    const a = deliver([barred], sendFirst);
    const b = { topUp: right(recordAttemptOutcome(callbackFirst, failed, at(0.2))).topUp, movements: ['VOID'] };
    expect(outcome(a)).toEqual(outcome(b));
  });

  it('on the last attempt, a specific failure replaces "attempts exhausted", in either order', () => {
    let lastAttempt = created();
    while (lastAttempt.attempts.length < MAX_ATTEMPTS) {
      const started = right(startAttempt(lastAttempt, lastAttempt.nextAttemptAt ?? t0, 'dtone')).topUp;
      lastAttempt =
        started.attempts.length < MAX_ATTEMPTS
          ? right(recordAttemptOutcome(started, attemptFailed({ reason: 'RATE_LIMITED' }), started.updatedAt)).topUp
          : started;
    }
    const exhaustedFirst = deliver([unavailable, barred], lastAttempt);
    const barredFirst = deliver([barred, unavailable], lastAttempt);
    expect(outcome(exhaustedFirst)).toEqual(outcome(barredFirst));
    expect(exhaustedFirst.topUp.status).toEqual(barred);
    expect(exhaustedFirst.topUp.failureReason).toMatchObject({
      reason: 'DECLINED_BY_OPERATOR',
      attemptsExhausted: false,
    });
    expect(exhaustedFirst.movements).toEqual(['VOID']);
    expect(deliver([unavailable], lastAttempt).topUp.failureReason).toMatchObject({ attemptsExhausted: true });
  });

  it('a cancelled top-up stays cancelled whatever is heard later about its failed attempt', () => {
    const waiting = deliver([unavailable]).topUp;
    const cancelled = right(cancelTopUp(waiting, at(0.5))).topUp;
    const later = right(applyProviderEvent(cancelled, barred, at(0.6)));
    expect(later.topUp.status).toEqual(s('CANCELLED'));
    expect(later.topUp.failureReason).toEqual({ reason: 'CANCELLED', attemptsExhausted: false });
    expect(later.movements).toEqual([]);
    expect(last(later.topUp)?.providerStatus).toEqual(barred);
    expectNoOp(cancelled, right(applyProviderEvent(cancelled, s('CONFIRMED'), at(0.7))));
  });
});

describe('"not now" refusals', () => {
  it('retries a DVS duplicate or credit-party limit after its delay, not on the schedule', () => {
    const duplicate = right(
      applyProviderEvent(withAttempt(), transactionStatus('DECLINED-DUPLICATED-TRANSACTION'), at(0.5)),
    );
    expect(duplicate.movements).toEqual([]);
    expect(duplicate.topUp.status).toEqual(s('CREATED'));
    expect(last(duplicate.topUp)?.failure).toMatchObject({ reason: 'RETRY_LATER', retryable: true });
    expect(duplicate.topUp.nextAttemptAt).toEqual(at(5));
    const limited = right(
      applyProviderEvent(withAttempt(), transactionStatus('REJECTED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT'), at(0.5)),
    );
    expect(limited.topUp.nextAttemptAt).toEqual(at(60));
  });

  it('retries no sooner than the time a refusal named', () => {
    const refused = attemptFailed({ reason: 'RETRY_LATER', notBefore: at(5) });
    const change = right(recordAttemptOutcome(withAttempt(), refused, at(0.1)));
    expect(change.topUp.nextAttemptAt).toEqual(at(5));
    expect(left(startAttempt(change.topUp, at(4.9)))._tag).toBe('AttemptNotDue');
    expect(right(startAttempt(change.topUp, at(5))).attempt.number).toBe(2);
  });
});

describe('a "not sent" send outcome and the provider\'s word about the same attempt', () => {
  /** Applies a send outcome or a provider status, in order, to a top-up with one attempt started. */
  type Step = { readonly outcome: ReturnType<typeof attemptFailed> } | { readonly event: ReturnType<typeof s> };
  const apply = (steps: readonly Step[], topUp: TopUp = withAttempt()) =>
    steps.reduce(
      ({ topUp: current, movements }, step, index) => {
        const now = at(0.1 * (index + 1));
        const change = right(
          'outcome' in step
            ? recordAttemptOutcome(current, step.outcome, now)
            : applyProviderEvent(current, step.event, now, { providerExternalId: pid(1) }),
        );
        return { topUp: change.topUp, movements: [...movements, ...change.movements] };
      },
      { topUp, movements: [] as string[] },
    );
  const view = ({ topUp, movements }: ReturnType<typeof apply>) => ({
    status: topUp.status,
    failureReason: topUp.failureReason,
    nextAttemptAt: topUp.nextAttemptAt,
    attempt: { state: last(topUp)?.state, status: last(topUp)?.providerStatus, failure: last(topUp)?.failure },
    movements,
  });
  const rateLimited = { outcome: attemptFailed({ reason: 'RATE_LIMITED' }) };
  const unavailable = { outcome: attemptFailed({ reason: 'PROVIDER_UNAVAILABLE' }) };

  it.each([
    ['RATE_LIMITED', rateLimited],
    ['PROVIDER_UNAVAILABLE', unavailable],
  ])('a COMPLETED callback and a %s outcome give COMPLETED with CAPTURE, in either order', (_, notSent) => {
    const callbackFirst = apply([{ event: s('COMPLETED') }, notSent]);
    const outcomeFirst = apply([notSent, { event: s('COMPLETED') }]);
    expect(view(outcomeFirst)).toEqual(view(callbackFirst));
    expect(outcomeFirst.topUp.status).toEqual(s('COMPLETED'));
    expect(outcomeFirst.movements).toEqual(['CAPTURE']);
    // the scheduled retry is cancelled: no second send under a fresh provider external id
    expect(outcomeFirst.topUp.nextAttemptAt).toBeUndefined();
    expect(left(startAttempt(outcomeFirst.topUp, at(60)))._tag).toBe('TopUpAlreadyFinal');
  });

  it('a status query that finds the attempt replaces a "not sent" reading', () => {
    const waiting = apply([rateLimited]).topUp;
    const found = right(resolveUnknownAttempt(waiting, providerFound(s('SUBMITTED'), 'tx-9'), at(0.5)));
    expect(found.topUp.status).toEqual(s('SUBMITTED'));
    // no resend while the provider holds it; should it fail retryably, the next attempt waits as the schedule said
    expect(left(startAttempt(found.topUp, at(60)))._tag).toBe('UnresolvedAttempt');
    expect(found.topUp.nextAttemptAt).toEqual(at(1));
    expect(last(found.topUp)).toMatchObject({ state: 'Pending', providerTransactionId: 'tx-9', failure: undefined });
  });

  it("a DECLINED callback and a 429 outcome give the provider's decline, in either order", () => {
    const barred = { event: transactionStatus('DECLINED-BARRED-CREDIT-PARTY') };
    const a = apply([rateLimited, barred]);
    const b = apply([barred, rateLimited]);
    expect(view(a)).toEqual(view(b));
    expect(a.topUp.failureReason).toMatchObject({ reason: 'DECLINED_BY_OPERATOR' });
    expect(a.movements).toEqual(['VOID']);
  });

  it('two "not now" refusals wait for the later not-before, in either order', () => {
    const noon = { outcome: attemptFailed({ reason: 'RETRY_LATER', notBefore: at(120) }) };
    const one = { outcome: attemptFailed({ reason: 'RETRY_LATER', notBefore: at(180) }) };
    expect(apply([noon, one]).topUp.nextAttemptAt).toEqual(at(180));
    expect(apply([one, noon]).topUp.nextAttemptAt).toEqual(at(180));
  });

  it('a "not now" refusal and an operator-unavailable event wait for the refusal\'s time, in either order', () => {
    const refusal = { outcome: attemptFailed({ reason: 'RETRY_LATER', notBefore: at(120) }) };
    const operator = { event: transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE') };
    const a = apply([refusal, operator]);
    const b = apply([operator, refusal]);
    expect(view(a)).toEqual(view(b));
    expect(a.topUp.nextAttemptAt).toEqual(at(120));
    expect(a.topUp.status).toEqual(s('CREATED'));
  });

  it('a not-before is kept while the provider holds the attempt, in either order', () => {
    const refusal = { outcome: attemptFailed({ reason: 'RETRY_LATER', notBefore: at(120) }) };
    const held = { event: s('CREATED') };
    const operator = { event: transactionStatus('REJECTED-OPERATOR-CURRENTLY-UNAVAILABLE') };
    const a = apply([refusal, held, operator]);
    const b = apply([operator, held, refusal]);
    expect(view(a)).toEqual(view(b));
    expect(a.topUp.nextAttemptAt).toEqual(at(120));
  });

  it("a DVS duplicate's delay and a named not-before: the later of the two, in either order", () => {
    const refusal = { outcome: attemptFailed({ reason: 'RETRY_LATER', notBefore: at(3) }) };
    const duplicate = { event: transactionStatus('DECLINED-DUPLICATED-TRANSACTION') };
    expect(apply([refusal, duplicate]).topUp.nextAttemptAt).toEqual(at(5));
    expect(apply([duplicate, refusal]).topUp.nextAttemptAt).toEqual(at(5));
  });
});

describe('topUpFailureStatus', () => {
  it('keeps the failing status when reachable, else maps it to DECLINED', () => {
    const barred = transactionStatus('REJECTED-BARRED-CREDIT-PARTY');
    expect(topUpFailureStatus(s('CONFIRMED'), barred)).toBe(barred);
    expect(topUpFailureStatus(s('SUBMITTED'), barred)).toEqual(transactionStatus('DECLINED-BARRED-CREDIT-PARTY'));
    expect(topUpFailureStatus(s('SUBMITTED'), transactionStatus('REJECTED-INSUFFICIENT-BALANCE'))).toEqual(
      s('DECLINED'),
    );
    expect(topUpFailureStatus(s('CONFIRMED'), s('CANCELLED'))).toEqual(s('DECLINED'));
  });
});

describe('cancelTopUp', () => {
  it('cancels a CREATED top-up and voids the hold; twice is a no-op', () => {
    const change = right(cancelTopUp(created(), at(1)));
    expect(change.movements).toEqual(['VOID']);
    expect(change.topUp.status).toEqual(s('CANCELLED'));
    expect(change.topUp.failureReason).toEqual({ reason: 'CANCELLED', attemptsExhausted: false });
    expectNoOp(change.topUp, right(cancelTopUp(change.topUp, at(2))));
  });

  it('cancels while waiting for a retry', () => {
    const retrying = right(recordAttemptOutcome(withAttempt(), attemptFailed({ reason: 'RATE_LIMITED' }), at(0))).topUp;
    const change = right(cancelTopUp(retrying, at(0.5)));
    expect(change.topUp.status).toEqual(s('CANCELLED'));
    expect(change.topUp.nextAttemptAt).toBeUndefined();
  });

  it('refuses once the provider holds the top-up, or while an attempt is unsettled', () => {
    expect(left(cancelTopUp(withAttempt(), at(1)))._tag).toBe('UnresolvedAttempt');
    const completed = right(recordAttemptOutcome(withAttempt(), attemptSucceeded('tx-1'), at(0))).topUp;
    expect(left(cancelTopUp(completed, at(1)))).toMatchObject({ _tag: 'IllegalTransition', to: s('CANCELLED') });
  });
});

describe('rejectForRefusedHold', () => {
  it('rejects a new top-up for funds (REJECTED-INSUFFICIENT-BALANCE, INSUFFICIENT_FUNDS) with no movement', () => {
    const change = right(rejectForRefusedHold(created(), at(0.5)));
    expect(change.movements).toEqual([]);
    expect(change.topUp).toMatchObject({
      status: transactionStatus('REJECTED-INSUFFICIENT-BALANCE'),
      attempts: [],
      nextAttemptAt: undefined,
      awaitingStatusQuery: false,
      failureReason: {
        reason: 'INSUFFICIENT_FUNDS',
        attemptsExhausted: false,
        detail: 'the USD account cannot hold the cost',
      },
      createdAt: t0,
      updatedAt: at(0.5),
    });
  });

  it('is a no-op the second time; the refused top-up is final', () => {
    const refused = right(rejectForRefusedHold(created(), at(0))).topUp;
    expectNoOp(refused, right(rejectForRefusedHold(refused, at(1))));
    expect(left(startAttempt(refused, at(1), 'dtone'))._tag).toBe('TopUpAlreadyFinal');
    expect(left(cancelTopUp(refused, at(1)))._tag).toBe('IllegalTransition');
    expect(left(applyProviderEvent(refused, s('COMPLETED'), at(1)))._tag).toBe('AttemptNotFound');
  });

  it('refuses a top-up that is not new: attempted, waiting for a retry, cancelled', () => {
    const retrying = right(recordAttemptOutcome(withAttempt(), attemptFailed({ reason: 'RATE_LIMITED' }), at(0))).topUp;
    const cancelled = right(cancelTopUp(created(), at(0))).topUp;
    for (const topUp of [withAttempt(), retrying, cancelled]) {
      expect(left(rejectForRefusedHold(topUp, at(1)))).toMatchObject({
        _tag: 'InvalidTopUp',
        topUpId: 'topup-1',
        reason: 'only a new top-up, before any attempt, has its hold refused',
      });
    }
  });
});

describe('"not found" on the last attempt', () => {
  /** A top-up whose six retries failed for the operator and whose seventh (last) attempt timed out after sending. */
  const lastAttemptUnknown = (): TopUp => {
    let topUp = created();
    for (let number = 1; number <= MAX_ATTEMPTS; number++) {
      const now = topUp.nextAttemptAt ?? t0;
      topUp = right(startAttempt(topUp, now, 'dtone')).topUp;
      const outcome =
        number < MAX_ATTEMPTS
          ? attemptFailed({ reason: 'OPERATOR_UNAVAILABLE', status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' })
          : attemptUnknown('TIMEOUT_AFTER_SEND');
      topUp = right(recordAttemptOutcome(topUp, outcome, now)).topUp;
    }
    return topUp;
  };

  it('keeps the hold on the first "not found": the request may still arrive', () => {
    const topUp = lastAttemptUnknown();
    const first = right(resolveUnknownAttempt(topUp, providerNotFound, at(1_000)));
    expect(first.movements).toEqual([]);
    expect(first.topUp.status.class).not.toBe('DECLINED');
    expect(first.topUp.awaitingStatusQuery).toBe(true);
    expect(first.topUp.attempts[MAX_ATTEMPTS - 1]).toMatchObject({
      state: 'Unknown',
      unknownReason: 'NOT_FOUND_AWAITING_CONFIRMATION',
    });
    // asked again too soon: still nothing moves
    expectNoOp(
      first.topUp,
      right(resolveUnknownAttempt(first.topUp, providerNotFound, at(1_000 + NOT_FOUND_CONFIRMATION_MINUTES - 1))),
    );
  });

  it('voids the hold once a second "not found" confirms it after the grace period', () => {
    const waiting = right(resolveUnknownAttempt(lastAttemptUnknown(), providerNotFound, at(1_000))).topUp;
    const confirmed = right(
      resolveUnknownAttempt(waiting, providerNotFound, at(1_000 + NOT_FOUND_CONFIRMATION_MINUTES)),
    );
    expect(confirmed.movements).toEqual(['VOID']);
    expect(confirmed.topUp.status.class).toBe('DECLINED');
    expect(confirmed.topUp.awaitingStatusQuery).toBe(false);
  });

  it('still completes if the provider finds the request after all', () => {
    const waiting = right(resolveUnknownAttempt(lastAttemptUnknown(), providerNotFound, at(1_000))).topUp;
    const found = right(resolveUnknownAttempt(waiting, providerFound(s('COMPLETED')), at(1_003)));
    expect(found.movements).toEqual(['CAPTURE']);
    expect(found.topUp.status.class).toBe('COMPLETED');
  });
});
