// What npm run admin prints: each outcome, the key shown once (and never its
// hash), and refusals naming the flag the operator typed.
import {
  ApiKeyNotFound,
  CustomerAccountNotFound,
  FINAL_STATUSES,
  InvalidInput,
  NoAttemptToSettle,
  NotAwaitingDecision,
  type SettlementRecord,
  SettlementRefused,
  type StoredApiKey,
  TopUpNotFound,
} from '@airtime/application';
import {
  ConcurrentModification,
  CreditLimitInUse,
  currencyOf,
  IdempotencyConflict,
  IllegalTransition,
  type LedgerAccount,
  PersistenceFailure,
  type TopUp,
  TopUpAlreadyFinal,
  transactionStatus,
} from '@airtime/domain';
import { Either } from 'effect';
import { adminRefusalText, adminReport, isBadArgument, isRefusal } from './admin-report.format';
import { CallbackSecretExists } from './callback-secret.errors';

const USD = Either.getOrThrow(currencyOf('USD'));

const balance: LedgerAccount = {
  accountId: 'acme',
  currency: USD,
  availableMinor: 10_000n,
  holdingMinor: 0n,
  creditLimitMinor: 5_000n,
  fundedMinor: 10_000n,
  capturedMinor: 0n,
  reversedMinor: 0n,
};

const key: StoredApiKey = {
  id: 'key-1',
  prefix: '0123456789ab',
  secretHash: 'f'.repeat(64),
  label: 'billing',
  accountIds: ['acme', 'acme-eu'],
  createdAt: new Date('2025-01-02T03:04:05.678Z'),
};

describe('adminReport', () => {
  it('tells an account opened, or already open', () => {
    const account = { id: 'acme', name: 'Acme Ltd', createdAt: new Date(0) };
    expect(adminReport({ kind: 'account-created', account, created: true })).toBe('opened account acme (Acme Ltd)');
    expect(adminReport({ kind: 'account-created', account, created: false })).toMatch(/already open: nothing changed$/);
  });

  it('tells a deposit with the balances after it, and a made deposit id with how to repeat safely', () => {
    const report = adminReport({
      kind: 'deposited',
      accountId: 'acme',
      depositId: 'admin-deposit-1',
      amount: '100.00',
      deposited: true,
      depositIdMade: true,
      balance,
    });
    expect(report).toContain('deposited USD 100.00 on account acme under deposit id admin-deposit-1');
    expect(report).toContain('give --deposit-id');
    expect(report).toMatch(/available: +USD 100\.00/);
    expect(
      adminReport({
        kind: 'deposited',
        accountId: 'acme',
        depositId: 'd-1',
        amount: '100.00',
        deposited: false,
        depositIdMade: false,
        balance,
      }),
    ).toMatch(/^deposit id d-1 was already recorded: nothing added\n/);
  });

  it('tells a credit limit in major units', () => {
    expect(adminReport({ kind: 'credit-limit-set', balance })).toMatch(
      /^credit limit of account acme in USD: USD 50\.00/,
    );
  });

  it('shows a new key once, with its id and accounts, and never its hash', () => {
    const report = adminReport({ kind: 'key-created', key: 'atk_0123456789ab_secret', apiKey: key });
    expect(report).toContain('\n  atk_0123456789ab_secret\n');
    expect(report).toContain('API key key-1 (billing) for acme, acme-eu');
    expect(report).toContain('key revoke --key-id key-1');
    expect(report).not.toContain(key.secretHash);
  });

  it('shows a callback signing secret once, how callbacks carry it, and how to rotate it', () => {
    const secret = 'ab'.repeat(32);
    const made = adminReport({ kind: 'callback-secret-set', accountId: 'acme', secret, rotated: false });
    expect(made.startsWith(`callback signing secret of account acme:\n\n  ${secret}\n\n`)).toBe(true);
    expect(made.split(secret)).toHaveLength(2);
    expect(made).toContain('shown this once');
    expect(made).toContain('X-Airtime-Signature');
    expect(made).toContain('Requests naming a callback_url are taken for this account from now on (refused before)');
    expect(made).toContain('npm run admin -- account callback-secret --id acme --rotate');
    const rotated = adminReport({ kind: 'callback-secret-set', accountId: 'acme', secret, rotated: true });
    expect(rotated).toMatch(/^new callback signing secret of account acme \(it replaces the previous one\):/);
    expect(rotated).toContain('never the previous one');
  });

  it('tells a revocation and lists keys by prefix only', () => {
    const revoked = { ...key, revokedAt: new Date('2025-02-01T00:00:00.000Z') };
    expect(adminReport({ kind: 'key-revoked', apiKey: revoked })).toBe(
      'revoked API key key-1 (billing) at 2025-02-01T00:00:00Z',
    );
    const list = adminReport({ kind: 'key-list', accountId: 'acme', keys: [key, revoked] });
    expect(list).toContain('key-1  atk_0123456789ab_…  "billing"  acme,acme-eu  created 2025-01-02T03:04:05Z  active');
    expect(list).toContain('revoked 2025-02-01T00:00:00Z');
    expect(list).not.toContain(key.secretHash);
    expect(adminReport({ kind: 'key-list', accountId: 'acme', keys: [] })).toBe('account acme has no API keys');
  });

  describe('a top-up settled by hand', () => {
    const settlement: SettlementRecord = {
      id: 'settlement-1',
      topUpId: 'tu-1',
      providerId: 'africastalking',
      providerExternalId: 'ATQid_1',
      attemptNumber: 1,
      fromStatus: transactionStatus('SUBMITTED'),
      toStatus: transactionStatus('COMPLETED'),
      reason: 'confirmed by AT support, ticket 4411',
      actor: 'operator',
      operator: 'amina',
      windowKey: undefined,
      state: 'APPLIED',
      refusal: undefined,
      recordedAt: new Date('2026-12-01T08:00:00Z'),
      completedAt: new Date('2026-12-01T08:00:00Z'),
    };
    const topUp = { id: 'tu-1', status: transactionStatus('COMPLETED') } as unknown as TopUp;

    it('tells the change, who decided, why, and where the top-up stands now', () => {
      expect(adminReport({ kind: 'top-up-settled', settlement, topUp })).toBe(
        [
          'settled top-up tu-1: SUBMITTED -> COMPLETED by operator amina',
          'reason: confirmed by AT support, ticket 4411',
          'top-up tu-1 is now COMPLETED (settlement settlement-1, APPLIED)',
        ].join('\n'),
      );
    });

    it('tells a settlement that found the top-up already there', () => {
      expect(adminReport({ kind: 'top-up-settled', settlement: { ...settlement, state: 'UNCHANGED' }, topUp })).toMatch(
        /^top-up tu-1 already stood at COMPLETED: nothing changed \(recorded by operator amina\)\n/,
      );
    });
  });
});

describe('adminRefusalText', () => {
  it("names the flag of a field the use case refused, and the field's position for a repeated flag", () => {
    const amount = new InvalidInput({ field: 'amount', reason: 'amount must be more than zero' });
    expect(adminRefusalText(amount)).toBe('--amount: amount must be more than zero');
    expect(isBadArgument(amount)).toBe(true);
    expect(adminRefusalText(new InvalidInput({ field: 'creditLimit', reason: 'x' }))).toBe('--limit: x');
    expect(adminRefusalText(new InvalidInput({ field: 'accountIds.1', reason: 'y' }))).toBe('--account: y');
  });

  it('tells unknown accounts and keys with what to do, and ledger refusals in major units', () => {
    const missing = new CustomerAccountNotFound({ accountId: 'acme' });
    expect(adminRefusalText(missing)).toMatch(/^no such account \(create it first/);
    expect(isRefusal(missing)).toBe(true);
    expect(isBadArgument(missing)).toBe(false);
    expect(adminRefusalText(new ApiKeyNotFound({ keyId: 'k' }))).toMatch(/^no API key with this id/);
    const secretSet = new CallbackSecretExists({ accountId: 'acme' });
    expect(adminRefusalText(secretSet)).toBe(
      'the account already has a callback signing secret, which its receivers check: nothing was changed (give --rotate to replace it)',
    );
    expect(isRefusal(secretSet)).toBe(true);
    expect(isBadArgument(secretSet)).toBe(false);
    const conflict = new IdempotencyConflict({
      reference: 'd-1',
      kind: 'DEPOSIT',
      reason: 'recorded as 10000 USD to "acme", now 5000 USD to "acme"',
    });
    expect(isRefusal(conflict)).toBe(true);
    expect(adminRefusalText(conflict)).toContain('recorded as USD 100.00');
  });

  it('tells settle-by-hand refusals without the values typed, and a concurrent change as a failure to retry', () => {
    // the allowed statuses in full, one line: the decoder's words ("is malformed or out of range") say none
    const status = adminRefusalText(new InvalidInput({ field: 'status', reason: 'is malformed or out of range' }));
    expect(status).toMatch(
      /^--status: expected a final DVS status \(any letter case\): COMPLETED, REVERSED \(only of a COMPLETED top-up\), CANCELLED, DECLINED, REJECTED, or a detailed one: DECLINED-BARRED-CREDIT-PARTY, [A-Z, -]+; nothing was recorded$/,
    );
    for (const allowed of FINAL_STATUSES) expect(status).toContain(allowed);
    expect(status).not.toContain('\n');
    expect(adminRefusalText(new InvalidInput({ field: 'topUpId', reason: 'empty' }))).toBe('TOP_UP_ID: empty');
    expect(adminRefusalText(new TopUpNotFound({ topUpId: 'tu-secret' }))).toBe('no top-up with this id');
    expect(adminRefusalText(new TopUpAlreadyFinal({ topUpId: 'tu-1', status: transactionStatus('DECLINED') }))).toBe(
      'the top-up is already DECLINED: a final status changes only from COMPLETED to REVERSED',
    );
    expect(
      adminRefusalText(
        new IllegalTransition({ from: transactionStatus('SUBMITTED'), to: transactionStatus('REVERSED') }),
      ),
    ).toBe('REVERSED is only for a COMPLETED top-up (this one is SUBMITTED)');
    expect(adminRefusalText(new NoAttemptToSettle({ topUpId: 'tu-1' }))).toMatch(/^the top-up was never sent/);
    expect(adminRefusalText(new SettlementRefused({ topUpId: 'tu-1', refusal: 'no hold' }))).toBe(
      'the change was refused, and the refusal recorded: no hold',
    );
    expect(isRefusal(new TopUpNotFound({ topUpId: 'x' }))).toBe(true);
    expect(isRefusal(new ConcurrentModification({ entity: 'top-up', id: 'tu-1' }))).toBe(false);
    expect(isRefusal(new PersistenceFailure({ reason: 'connection lost', retryable: true }))).toBe(false);
  });

  it('tells a credit limit that does not cover what is drawn in major units, as the operator typed --limit', () => {
    // before: 'has -485 available; a credit limit of 484 (minor units)' after --limit 4.84
    expect(
      adminRefusalText(
        new CreditLimitInUse({
          accountId: 'acme',
          currency: 'USD',
          availableMinor: -485n,
          requestedCreditLimitMinor: 484n,
        }),
      ),
    ).toBe('USD account "acme" has USD -4.85 available; a credit limit of USD 4.84 does not cover it');
    expect(
      adminRefusalText(
        new CreditLimitInUse({
          accountId: 'acme',
          currency: 'KWD',
          availableMinor: -1n,
          requestedCreditLimitMinor: 0n,
        }),
      ),
    ).toBe('KWD account "acme" has KWD -0.001 available; a credit limit of KWD 0.000 does not cover it');
    expect(adminRefusalText(new NotAwaitingDecision({ topUpId: 'tu-1', status: 'SUBMITTED' }))).toMatch(
      /^the top-up is still open \(SUBMITTED\) .* repeat with --force$/,
    );
  });
});
