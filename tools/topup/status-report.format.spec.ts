// The report of topup:status: every part shown, amounts in their currency's
// decimals, and the phone number never whole, wherever it would appear.
import type { StoredExchange } from '@airtime/application';
import {
  type Attempt,
  createTopUp,
  parseExternalId,
  statusOfClass,
  type TopUp,
  transactionStatus,
} from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  formatMinor,
  maskPhoneNumber,
  statusChangeLine,
  statusReport,
  withoutDestination,
} from './status-report.format';
import type { StatusView } from './status-view.queries';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));

const created: TopUp = Either.getOrThrow(
  createTopUp(
    sampleNewTopUp({
      id: 'topup-1',
      accountId: 'demo',
      externalId: Either.getOrThrow(parseExternalId('demo-1')),
      now: at(0),
    }),
  ),
).topUp;

const attempt = (fields: Partial<Attempt> = {}): Attempt => ({
  number: 1,
  providerExternalId: Either.getOrThrow(parseExternalId('demo-1-a1')),
  providerId: 'dtone',
  startedAt: at(1),
  state: 'Succeeded',
  providerStatus: transactionStatus('COMPLETED'),
  providerTransactionId: '7001',
  failure: undefined,
  unknownReason: undefined,
  updatedAt: at(4),
  ...fields,
});

const completed: TopUp = {
  ...created,
  status: statusOfClass('COMPLETED'),
  attempts: [attempt()],
  updatedAt: at(4),
};

const exchange = (fields: Partial<StoredExchange> = {}): StoredExchange => ({
  provider: 'dtone',
  reference: 'demo-1-a1',
  method: 'POST',
  url: 'http://127.0.0.1:8089/v1/async/transactions?x=1',
  startedAt: at(1).toISOString(),
  durationMs: 12.4,
  status: 201,
  requestBody: '{"credit_party_identifier":{"mobile_number":"+639171234100"}}',
  responseBody: null,
  attemptNumber: 1,
  ...fields,
});

const view = (fields: Partial<StatusView> = {}): StatusView => ({
  topUp: completed,
  version: 4,
  exchanges: [exchange(), exchange({ method: 'GET', url: 'http://127.0.0.1:8089/v1/transactions/7001', status: 200 })],
  journal: [
    {
      sequence: 2n,
      kind: 'AUTHORIZE',
      currency: 'USD',
      amountMinor: 187n,
      availableDeltaMinor: -187n,
      holdingDeltaMinor: 187n,
      createdAt: at(0),
    },
    {
      sequence: 3n,
      kind: 'CAPTURE',
      currency: 'USD',
      amountMinor: 187n,
      availableDeltaMinor: 0n,
      holdingDeltaMinor: -187n,
      createdAt: at(4),
    },
  ],
  events: [
    { id: 'e1', type: 'topup.created', occurredAt: at(0), sentAt: at(1), publishAttempts: 1 },
    { id: 'e2', type: 'topup.completed', occurredAt: at(4), sentAt: undefined, publishAttempts: 0 },
  ],
  callbacks: [],
  account: {
    currency: 'USD',
    availableMinor: 99_813n,
    holdingMinor: 0n,
    capturedMinor: 187n,
    fundedMinor: 100_000n,
  },
  ...fields,
});

describe('maskPhoneNumber', () => {
  it('keeps the last 4 digits and the length', () => {
    expect(maskPhoneNumber('+639171234100')).toBe('+********4100');
    expect(maskPhoneNumber('254711000111')).toBe('********0111');
  });

  it('never shows more than 4 digits of any number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (e164) => {
        const masked = maskPhoneNumber(e164);
        expect(masked.replace(/\D/g, '')).toBe(e164.slice(-4));
        expect(masked).toHaveLength(e164.length);
      }),
    );
  });
});

describe('withoutDestination', () => {
  it('masks the destination however it is written, and keeps other numbers', () => {
    const e164 = '+639171234100';
    expect(withoutDestination('GET /lookup/mobile-number/639171234100', e164)).toBe(
      'GET /lookup/mobile-number/********4100',
    );
    expect(withoutDestination('party 0917 123 4100 refused', e164)).toBe('party *******4100 refused');
    expect(withoutDestination('party +63 917 123 4100', e164)).toBe('party +********4100');
    expect(withoutDestination('transaction 1234567890 failed', e164)).toBe('transaction 1234567890 failed');
  });
});

describe('formatMinor', () => {
  it('writes minor units with the currency decimals', () => {
    expect(formatMinor(187n, 'USD')).toBe('1.87');
    expect(formatMinor(-5n, 'USD')).toBe('-0.05');
    expect(formatMinor(1500n, 'JPY')).toBe('1500');
    expect(formatMinor(7n, 'XXQ')).toBe('7 (minor units)');
  });
});

describe('statusReport', () => {
  it('shows the top-up, its quote, attempts and exchanges, ledger movements, balances and events', () => {
    const report = statusReport(view());
    expect(report.split('\n')).toEqual([
      'top-up topup-1',
      '  status       COMPLETED',
      '  account      demo',
      '  external id  demo-1',
      '  phone        +********4100 (PH)',
      '  product      smart-ph-100 Smart 100 PHP (Smart, PH, AIRTIME)',
      '  receive      100.00 PHP',
      '  cost         1.87 USD (wholesale 1.857 + fee 0.0125 = 1.8695, rounded up by 0.0005)',
      '  quote rule   LARGEST_AT_OR_BELOW_MAX (max 100.00 PHP)',
      '  created      2026-01-01T12:00:00.000Z',
      '  updated      2026-01-01T12:00:04.000Z (version 4)',
      '',
      'attempts (1)',
      '  #1  dtone  Succeeded  COMPLETED',
      '     external id demo-1-a1, provider transaction 7001, started 2026-01-01T12:00:01.000Z',
      '     POST  /v1/async/transactions  201  12 ms',
      '     GET   /v1/transactions/7001   200  12 ms',
      '',
      'ledger movements (2)',
      '  AUTHORIZE  1.87 USD  available -1.87  holding +1.87  2026-01-01T12:00:00.000Z',
      '  CAPTURE    1.87 USD  available 0.00   holding -1.87  2026-01-01T12:00:04.000Z',
      '  account demo USD now: available 998.13, holding 0.00, captured 1.87, funded 1000.00',
      '',
      'events (2, 1 not published yet)',
      '  topup.created    2026-01-01T12:00:00.000Z  published 2026-01-01T12:00:01.000Z  e1',
      '  topup.completed  2026-01-01T12:00:04.000Z  not published yet                   e2',
      '',
      'callbacks: none',
    ]);
  });

  it('shows a failed top-up: detailed status, failure, retry schedule, unknown outcomes and callbacks', () => {
    const failed: TopUp = {
      ...created,
      status: transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'),
      attempts: [
        attempt({
          state: 'Failed',
          providerStatus: transactionStatus('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'),
          failure: { reason: 'OPERATOR_UNAVAILABLE', retryable: true, detail: 'operator down for +639171234100' },
        }),
        attempt({
          number: 2,
          state: 'Unknown',
          providerStatus: undefined,
          providerTransactionId: undefined,
          unknownReason: 'TIMEOUT_AFTER_SEND',
        }),
      ],
      nextAttemptAt: at(30),
      awaitingStatusQuery: true,
      failureReason: { reason: 'OPERATOR_UNAVAILABLE', attemptsExhausted: true, detail: 'last: 639171234100' },
    };
    const report = statusReport(
      view({
        topUp: failed,
        exchanges: [
          exchange({ attemptNumber: 2, status: null, failure: 'timeout after 5000 ms sending to 639171234100' }),
        ],
        journal: [],
        events: [],
        callbacks: [
          { eventType: 'topup.failed', state: 'pending', tries: 1, lastStatus: 500, lastError: 'answered 500' },
          {
            eventType: 'topup.created',
            state: 'abandoned',
            tries: 1,
            lastStatus: undefined,
            lastError: 'the account has no callback signing secret',
          },
        ],
        account: undefined,
      }),
    );
    expect(report).toContain(
      '  status        DECLINED (DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE: Declined - Operator currently unavailable)',
    );
    expect(report).toContain('  failure       OPERATOR_UNAVAILABLE (attempts exhausted; last: ********4100)');
    expect(report).toContain('  next attempt  2026-01-01T12:00:30.000Z');
    expect(report).toContain('  waiting for   a status query (the last outcome is unknown)');
    expect(report).toContain(
      '  #1  dtone  Failed  DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE  failure OPERATOR_UNAVAILABLE (retryable): operator down for +********4100',
    );
    expect(report).toContain('     no provider exchange logged');
    expect(report).toContain('  #2  dtone  Unknown  outcome unknown: TIMEOUT_AFTER_SEND');
    expect(report).toContain(
      '     POST  /v1/async/transactions  no answer  12 ms  timeout after 5000 ms sending to ********4100',
    );
    expect(report).toContain('ledger movements: none');
    expect(report).toContain('events: none');
    // why a callback is not delivered (an account without a signing secret: abandoned at its first try)
    expect(report).toContain(
      'callbacks (2)\n' +
        '  topup.failed   pending    1 try  last answer 500  last error: answered 500\n' +
        '  topup.created  abandoned  1 try                   last error: the account has no callback signing secret',
    );
    expect(report).not.toMatch(/9171234/);
  });

  it('never prints the destination whole, whatever the number and the texts around it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+63917\d{7}$/), (e164) => {
        const topUp: TopUp = {
          ...completed,
          destination: { ...completed.destination, e164 },
          failureReason: { reason: 'DECLINED_BY_OPERATOR', attemptsExhausted: false, detail: `refused ${e164}` },
        };
        const report = statusReport(
          view({ topUp, exchanges: [exchange({ url: `http://x/v1/lookup/${e164.slice(1)}`, failure: e164 })] }),
        );
        expect(report).not.toContain(e164.slice(3, -4));
        expect(report).toContain(e164.slice(-4));
      }),
    );
  });

  it('shows a top-up with no attempt', () => {
    const report = statusReport(view({ topUp: created, exchanges: [] }));
    expect(report).toContain('attempts: none');
    expect(report).toContain('  status       CREATED');
  });
});

describe('statusChangeLine', () => {
  it('tells the time, the status and the last attempt', () => {
    expect(statusChangeLine(created, at(5))).toBe('12:00:05 CREATED: no attempt yet');
    expect(statusChangeLine(completed, at(9))).toBe('12:00:09 COMPLETED: attempt 1 Succeeded');
    const retrying: TopUp = {
      ...created,
      attempts: [attempt({ state: 'Failed', failure: { reason: 'OPERATOR_UNAVAILABLE', retryable: true } })],
      nextAttemptAt: at(59),
      awaitingStatusQuery: true,
    };
    expect(statusChangeLine(retrying, at(10))).toBe(
      '12:00:10 CREATED: attempt 1 Failed (OPERATOR_UNAVAILABLE), next attempt 2026-01-01T12:00:59.000Z, waiting for a status query',
    );
  });
});
