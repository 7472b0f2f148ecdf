import { testCurrency } from '../../testing/product.arbitraries';
import { money } from '../money/money';
import { preciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import { type DetailedStatus, transactionStatus } from '../transaction/transaction-status';
import { NEVER_SENT_REASONS, type MatchOptions, type OurAttempt } from './reconciliation';
import { externalIdsWithConflictingListings, matchTransactions } from './transaction-match';

const usd = testCurrency('USD');
const php = testCurrency('PHP');
const now = new Date(Date.UTC(2025, 0, 2, 3, 0, 0));
const grace = 15 * 60_000;
const options: MatchOptions = { now, inFlightGraceMs: grace };
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

const ours = (fields: Partial<OurAttempt> = {}): OurAttempt => ({
  topUpId: 'topup-1',
  accountId: 'account-1',
  externalId: 'order-1',
  attemptNumber: 1,
  isLastAttempt: true,
  providerId: 'dtone',
  providerExternalId: 'order-1-ab12-1',
  providerTransactionId: 'tx-1',
  startedAt: hoursAgo(10),
  state: 'Succeeded',
  status: transactionStatus('COMPLETED'),
  failureReason: undefined,
  receive: money(10000n, php),
  charged: preciseMoney(18695n, 4, usd),
  cost: money(187n, usd),
  topUpStatus: transactionStatus('COMPLETED'),
  topUpUpdatedAt: hoursAgo(10),
  ...fields,
});

const theirs = (fields: Partial<ProviderTransaction> = {}): ProviderTransaction => ({
  providerTransactionId: 'tx-1',
  providerExternalId: 'order-1-ab12-1',
  status: transactionStatus('COMPLETED'),
  receive: preciseMoney(100n, 0, php),
  charged: preciseMoney(1869500n, 6, usd),
  ...fields,
});

const status = (detailed: DetailedStatus) => transactionStatus(detailed);
const failed = (fields: Partial<OurAttempt> = {}) =>
  ours({ state: 'Failed', status: status('DECLINED'), failureReason: 'DECLINED_BY_OPERATOR', ...fields });
const neverSent = (reason: OurAttempt['failureReason']) =>
  failed({ failureReason: reason, providerTransactionId: undefined });

describe('matchTransactions', () => {
  it('matches equal statuses and amounts, whatever their precision', () => {
    expect(matchTransactions([ours()], [theirs()], options)).toEqual({ matched: 1, inFlight: [], mismatches: [] });
  });

  it('does not compare amounts the provider did not give', () => {
    const result = matchTransactions([ours()], [theirs({ receive: undefined, charged: undefined })], options);
    expect(result.matched).toBe(1);
  });

  it('compares statuses by class: details of one class and every pending class agree', () => {
    const pending = ours({ state: 'Pending', status: status('CONFIRMED') });
    expect(matchTransactions([pending], [theirs({ status: status('SUBMITTED') })], options).matched).toBe(1);
    const declined = failed();
    expect(
      matchTransactions([declined], [theirs({ status: status('DECLINED-BARRED-CREDIT-PARTY') })], options).matched,
    ).toBe(1);
    const rejected = matchTransactions([declined], [theirs({ status: status('REJECTED') })], options);
    expect(rejected.mismatches.map((m) => [m.kind, m.detail.split(';')[0]])).toEqual([
      ['STATUS_DIFFERS', 'status: ours DECLINED, the provider REJECTED'],
    ]);
  });

  it.each([
    ['a dropped callback', ours({ state: 'Pending', status: status('SUBMITTED') }), 'COMPLETED'],
    ['a completion we think failed', failed(), 'COMPLETED'],
    ['a reversal we never heard of', ours(), 'REVERSED'],
    ['a failure we think completed', ours(), 'DECLINED'],
  ] as const)('reports %s as STATUS_DIFFERS', (_, attempt, their) => {
    const result = matchTransactions([attempt], [theirs({ status: status(their) })], options);
    expect(result.mismatches).toEqual([
      expect.objectContaining({
        kind: 'STATUS_DIFFERS',
        providerExternalId: 'order-1-ab12-1',
        ours: attempt,
        theirs: [theirs({ status: status(their) })],
      }),
    ]);
    expect(result.mismatches[0]?.detail).toContain(`the provider ${their}`);
    expect(result.matched).toBe(0);
  });

  it.each(NEVER_SENT_REASONS)('expects an attempt never sent (%s) to be absent', (reason) => {
    const attempt = neverSent(reason);
    expect(matchTransactions([attempt], [], options)).toEqual({ matched: 1, inFlight: [], mismatches: [] });
    for (const their of ['COMPLETED', 'SUBMITTED', 'REVERSED'] as const) {
      const present = matchTransactions([attempt], [theirs({ status: status(their) })], options);
      expect(present.mismatches.map((m) => m.kind)).toEqual(['STATUS_DIFFERS']);
      expect(present.mismatches[0]?.detail).toContain(`we recorded it as never sent (${reason})`);
    }
  });

  it('expects absent a send the provider refused before creating a transaction (REJECTED_BY_PROVIDER, no id)', () => {
    const refused = failed({
      status: status('REJECTED'),
      failureReason: 'REJECTED_BY_PROVIDER',
      providerTransactionId: undefined,
    });
    expect(matchTransactions([refused], [], options)).toEqual({ matched: 1, inFlight: [], mismatches: [] });
    const completed = matchTransactions([refused], [theirs()], options).mismatches;
    expect(completed.map((m) => m.kind)).toEqual(['STATUS_DIFFERS']);
    expect(completed[0]?.detail).toContain('we recorded it as refused by the provider (REJECTED_BY_PROVIDER)');
    const withId = failed({ status: status('REJECTED'), failureReason: 'REJECTED_BY_PROVIDER' });
    expect(matchTransactions([withId], [], options).mismatches.map((m) => m.kind)).toEqual(['MISSING_AT_PROVIDER']);
  });

  it.each([...NEVER_SENT_REASONS, 'REJECTED_BY_PROVIDER'] as const)(
    'matches an attempt expected absent (%s) that the provider holds with a failure status',
    (reason) => {
      const attempt = neverSent(reason);
      for (const their of ['DECLINED', 'REJECTED-INVALID-CREDIT-PARTY', 'CANCELLED'] as const) {
        expect(matchTransactions([attempt], [theirs({ status: status(their), receive: undefined })], options)).toEqual({
          matched: 1,
          inFlight: [],
          mismatches: [],
        });
      }
      const pending = matchTransactions([attempt], [theirs({ status: status('CONFIRMED') })], options);
      expect(pending.mismatches.map((m) => m.kind)).toEqual(['STATUS_DIFFERS']);
    },
  );

  it('expects present a RETRY_LATER that is the provider\'s own "not now" status', () => {
    const limited = failed({
      failureReason: 'RETRY_LATER',
      status: status('DECLINED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT'),
      providerTransactionId: undefined,
    });
    expect(matchTransactions([limited], [], options).mismatches.map((m) => m.kind)).toEqual(['MISSING_AT_PROVIDER']);
    const their = theirs({ status: status('DECLINED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT') });
    expect(matchTransactions([limited], [their], options).matched).toBe(1);
  });

  it('expects present a failure the provider gave a transaction id, or one it decided', () => {
    const withId = failed({ failureReason: 'NOT_FOUND_AT_PROVIDER', providerTransactionId: 'tx-1' });
    const declined = failed({ providerTransactionId: undefined });
    for (const attempt of [withId, declined]) {
      const result = matchTransactions([attempt], [], options);
      expect(result.mismatches.map((m) => [m.kind, m.theirs])).toEqual([['MISSING_AT_PROVIDER', []]]);
      expect(result.mismatches[0]?.detail).toContain('the provider has no transaction with this external id');
    }
  });

  it('reports an attempt the provider does not have as MISSING_AT_PROVIDER', () => {
    const result = matchTransactions([ours()], [], options);
    expect(result).toEqual({
      matched: 0,
      inFlight: [],
      mismatches: [expect.objectContaining({ kind: 'MISSING_AT_PROVIDER', ours: ours(), theirs: [] })],
    });
  });

  it('reports a transaction we never sent as MISSING_HERE', () => {
    const stranger = theirs({ providerExternalId: 'someone-else-1', providerTransactionId: 'tx-9' });
    const result = matchTransactions([], [stranger], options);
    expect(result.mismatches).toEqual([
      {
        kind: 'MISSING_HERE',
        providerExternalId: 'someone-else-1',
        ours: undefined,
        theirs: [stranger],
        detail: expect.stringContaining('we never sent it'),
      },
    ]);
    expect(result.mismatches[0]?.detail).toContain('provider transaction tx-9 COMPLETED');
  });

  describe('amounts', () => {
    it.each([
      [
        'the delivered value',
        { receive: preciseMoney(99995n, 3, php) },
        'receive: ours PHP 100.00, the provider PHP 99.995',
      ],
      [
        'the delivered currency',
        { receive: preciseMoney(100n, 0, usd) },
        'receive: ours PHP 100.00, the provider USD 100.00',
      ],
      ['the charge', { charged: preciseMoney(18696n, 4, usd) }, 'charged: ours USD 1.8695, the provider USD 1.8696'],
      [
        'the charge currency',
        { charged: preciseMoney(18695n, 4, testCurrency('EUR')) },
        'charged: ours USD 1.8695, the provider EUR 1.8695',
      ],
    ] as const)('reports a difference in %s as AMOUNT_DIFFERS', (_, fields, words) => {
      const result = matchTransactions([ours()], [theirs(fields)], options);
      expect(result.mismatches.map((m) => m.kind)).toEqual(['AMOUNT_DIFFERS']);
      expect(result.mismatches[0]?.detail).toContain(words);
    });

    it('names every difference, the status taking precedence as the kind', () => {
      const their = theirs({
        status: status('REVERSED'),
        receive: preciseMoney(50n, 0, php),
        charged: preciseMoney(1n, 0, usd),
      });
      const [mismatch] = matchTransactions([ours()], [their], options).mismatches;
      expect(mismatch?.kind).toBe('STATUS_DIFFERS');
      expect(mismatch?.detail).toContain('status: ours COMPLETED, the provider REVERSED');
      expect(mismatch?.detail).toContain('receive: ours PHP 100.00, the provider PHP 50.00');
      expect(mismatch?.detail).toContain('charged: ours USD 1.8695, the provider USD 1.00');
    });

    it('names both amounts when both differ', () => {
      const their = theirs({ receive: preciseMoney(50n, 0, php), charged: preciseMoney(1n, 0, usd) });
      const [mismatch] = matchTransactions([ours()], [their], options).mismatches;
      expect(mismatch?.kind).toBe('AMOUNT_DIFFERS');
      expect(mismatch?.detail).toMatch(/receive: .*; charged: /);
    });
  });

  describe('in flight', () => {
    const young = new Date(now.getTime() - grace + 1);
    it.each(['InFlight', 'Pending', 'Unknown'] as const)(
      'an attempt %s younger than the grace is in flight whatever the provider says',
      (state) => {
        const attempt = ours({ state, status: status('CREATED'), startedAt: young, providerTransactionId: undefined });
        for (const their of [
          [],
          [theirs()],
          [theirs({ status: status('DECLINED'), charged: preciseMoney(1n, 0, usd) })],
        ]) {
          expect(matchTransactions([attempt], their, options)).toEqual({
            matched: 0,
            inFlight: [attempt],
            mismatches: [],
          });
        }
      },
    );

    it('ends at the grace: an attempt exactly that old is compared', () => {
      const attempt = ours({
        state: 'Pending',
        status: status('SUBMITTED'),
        startedAt: new Date(now.getTime() - grace),
      });
      expect(matchTransactions([attempt], [], options).mismatches.map((m) => m.kind)).toEqual(['MISSING_AT_PROVIDER']);
    });

    it('never holds a settled attempt, however young', () => {
      const attempt = ours({ startedAt: now });
      expect(matchTransactions([attempt], [theirs({ status: status('REVERSED') })], options).mismatches).toHaveLength(
        1,
      );
    });

    it('compares an attempt left without an answer past the grace: no status of theirs agrees', () => {
      const attempt = ours({ state: 'Unknown', status: status('CREATED'), providerTransactionId: undefined });
      const [mismatch] = matchTransactions([attempt], [theirs({ status: status('CREATED') })], options).mismatches;
      expect(mismatch?.kind).toBe('STATUS_DIFFERS');
      expect(mismatch?.detail).toContain('ours has no answer recorded (Unknown), the provider has it CREATED');
      expect(matchTransactions([attempt], [], options).mismatches.map((m) => m.kind)).toEqual(['MISSING_AT_PROVIDER']);
    });
  });

  describe('duplicates at the provider', () => {
    const second = theirs({ providerTransactionId: 'tx-0', status: status('DECLINED') });
    it('reports two transactions of one external id as one DUPLICATE_AT_PROVIDER listing both', () => {
      const result = matchTransactions([ours()], [theirs(), second], options);
      expect(result.matched).toBe(0);
      expect(result.mismatches).toEqual([
        expect.objectContaining({ kind: 'DUPLICATE_AT_PROVIDER', ours: ours(), theirs: [second, theirs()] }),
      ]);
      expect(result.mismatches[0]?.detail).toContain('2 provider transactions share this external id');
      expect(result.mismatches[0]?.detail).toContain('provider transaction tx-0 DECLINED');
    });

    it('reports a duplicate of an id we never sent, and one of an attempt in flight', () => {
      expect(matchTransactions([], [theirs(), second], options).mismatches.map((m) => [m.kind, m.ours])).toEqual([
        ['DUPLICATE_AT_PROVIDER', undefined],
      ]);
      const flying = ours({ state: 'Pending', status: status('SUBMITTED'), startedAt: now });
      const result = matchTransactions([flying], [theirs(), second], options);
      expect(result.inFlight).toEqual([]);
      expect(result.mismatches.map((m) => m.kind)).toEqual(['DUPLICATE_AT_PROVIDER']);
    });

    it('counts a transaction listed twice alike once (pages may overlap)', () => {
      expect(matchTransactions([ours()], [theirs(), theirs()], options)).toEqual({
        matched: 1,
        inFlight: [],
        mismatches: [],
      });
    });

    it('never picks a snapshot of a transaction listed pending, then final: CONFLICTING_LISTINGS', () => {
      const pending = theirs({ status: status('SUBMITTED') });
      const result = matchTransactions([ours()], [pending, theirs(), theirs()], options);
      expect(result.mismatches.map((m) => [m.kind, m.theirs.map((t) => t.status.status)])).toEqual([
        ['CONFLICTING_LISTINGS', ['COMPLETED', 'SUBMITTED']],
      ]);
    });
  });

  describe('conflicting listings of one provider transaction', () => {
    const completed = theirs();
    const declined = theirs({ status: status('DECLINED') });

    it('reports one transaction listed with two statuses as CONFLICTING_LISTINGS naming both, never a guess', () => {
      const pending = ours({ state: 'Pending', status: status('SUBMITTED') });
      const result = matchTransactions([pending], [completed, declined], options);
      expect(result.matched).toBe(0);
      expect(result.mismatches).toEqual([
        expect.objectContaining({ kind: 'CONFLICTING_LISTINGS', ours: pending, theirs: [completed, declined] }),
      ]);
      const detail = result.mismatches[0]?.detail ?? '';
      expect(detail).toContain('provider transaction tx-1 is listed as COMPLETED and as DECLINED');
      expect(detail).toContain('not settled from the list');
    });

    it('gives the same answer whatever order the listings came in', () => {
      expect(matchTransactions([ours()], [declined, completed], options)).toEqual(
        matchTransactions([ours()], [completed, declined], options),
      );
    });

    it('reports a conflict even when one of the listings agrees with us, and of an id we never sent', () => {
      expect(matchTransactions([ours()], [completed, declined], options).mismatches.map((m) => m.kind)).toEqual([
        'CONFLICTING_LISTINGS',
      ]);
      expect(matchTransactions([], [completed, declined], options).mismatches.map((m) => [m.kind, m.ours])).toEqual([
        ['CONFLICTING_LISTINGS', undefined],
      ]);
    });

    it('reports listings that differ in an amount only, the same status', () => {
      const other = theirs({ charged: preciseMoney(2n, 0, usd) });
      const result = matchTransactions([ours()], [completed, other], options);
      expect(result.mismatches.map((m) => m.kind)).toEqual(['CONFLICTING_LISTINGS']);
      expect(result.mismatches[0]?.detail).toContain('listed with different amounts');
    });

    it('de-duplicates quietly listings that agree in status and amounts (precision and creation time aside)', () => {
      const again = theirs({ charged: preciseMoney(18695n, 4, usd), createdAt: now });
      expect(matchTransactions([ours()], [completed, again, completed], options)).toEqual({
        matched: 1,
        inFlight: [],
        mismatches: [],
      });
    });

    it('names the other transactions of the id too when there are several', () => {
      const second = theirs({ providerTransactionId: 'tx-2' });
      const result = matchTransactions([ours()], [completed, declined, second], options);
      expect(result.mismatches.map((m) => [m.kind, m.theirs.length])).toEqual([['CONFLICTING_LISTINGS', 3]]);
      expect(result.mismatches[0]?.detail).toContain('2 provider transactions share this external id');
    });

    it('lists the external ids whose transactions are listed in conflict', () => {
      const elsewhere = theirs({ providerExternalId: 'order-2', providerTransactionId: 'tx-9' });
      expect([...externalIdsWithConflictingListings([completed, declined, elsewhere, elsewhere])]).toEqual([
        'order-1-ab12-1',
      ]);
    });
  });

  it('takes the latest attempt of an external id reused after "not found"', () => {
    const first = neverSent('NOT_FOUND_AT_PROVIDER');
    const resend = ours({ attemptNumber: 2 });
    expect(matchTransactions([resend, first], [theirs()], options).matched).toBe(1);
    expect(matchTransactions([first, resend], [], options).mismatches.map((m) => m.ours)).toEqual([resend]);
  });

  it('sorts mismatches by kind, then external id', () => {
    const a = (id: string, fields: Partial<OurAttempt> = {}) => ours({ providerExternalId: id, ...fields });
    const t = (id: string, fields: Partial<ProviderTransaction> = {}) =>
      theirs({ providerExternalId: id, providerTransactionId: `tx-${id}`, ...fields });
    const result = matchTransactions(
      [a('b-missing'), a('a-missing'), a('z-status'), a('y-amount')],
      [
        t('z-status', { status: status('DECLINED') }),
        t('y-amount', { charged: preciseMoney(2n, 0, usd) }),
        t('c-here'),
        t('d-dup'),
        t('d-dup', { providerTransactionId: 'other' }),
        t('e-conflict'),
        t('e-conflict', { status: status('DECLINED') }),
      ],
      options,
    );
    expect(result.mismatches.map((m) => [m.kind, m.providerExternalId])).toEqual([
      ['MISSING_HERE', 'c-here'],
      ['MISSING_AT_PROVIDER', 'a-missing'],
      ['MISSING_AT_PROVIDER', 'b-missing'],
      ['STATUS_DIFFERS', 'z-status'],
      ['AMOUNT_DIFFERS', 'y-amount'],
      ['DUPLICATE_AT_PROVIDER', 'd-dup'],
      ['CONFLICTING_LISTINGS', 'e-conflict'],
    ]);
  });
});
