import {
  ExactAmountUnavailable,
  ExternalIdConflict,
  InvalidTopUpRequest,
  MalformedCommand,
  OperatorNotFound,
  ProductNotFound,
} from '@airtime/application';
import {
  AccountAlreadyOpen,
  AccountNotFound,
  CaptureExceedsHold,
  CreditLimitInUse,
  CurrencyNotAccepted,
  InsufficientFunds,
  InvalidLedgerAmount,
  NoMatchingProduct,
  ExternalIdAlreadyUsed,
  PersistenceFailure,
  DuplicateKey,
  ProviderAnswerMismatch,
  ProviderRateLimited,
  ProviderRetryLater,
  ProviderOutcomeUnknown,
  ProviderRejected,
  ProviderResponseInvalid,
  ProviderUnavailable,
  StatusQueryUnsupported,
  TransactionListUnsupported,
} from '@airtime/domain';
import { ConsumeDecision } from '@airtime/messaging-rabbitmq';
import { CONSUME_ERRORS, decisionOf, messageOf } from './consume-errors.table';
import type { TopUpCommandError } from './top-up-command.handler';
import { FirstSendDeferred } from './top-up-command.errors';

describe('the consumer error table', () => {
  it('dead-letters what can never succeed, with the code and message as the reason', () => {
    expect(decisionOf(new MalformedCommand({ reason: 'the body is not JSON' }))).toEqual(
      ConsumeDecision.DeadLetter({ reason: 'MALFORMED_COMMAND: malformed top-up command: the body is not JSON' }),
    );
    expect(decisionOf(new ExternalIdConflict({ field: 'max_amount' }))._tag).toBe('DeadLetter');
    expect(decisionOf(new InvalidTopUpRequest({ field: 'currency', reason: 'unknown' }))._tag).toBe('DeadLetter');
  });

  it.each([
    // a failover's read-only replica, a full disk, out of memory, a table missing before the migration: outages
    ['25006 read-only transaction', false],
    ['53100 disk full', false],
    ['53200 out of memory', false],
    ['42P01 undefined table', false],
    ['connection lost', true],
  ])('retries every PersistenceFailure, whatever it says of itself (%s, retryable %s)', (reason, retryable) => {
    expect(decisionOf(new PersistenceFailure({ reason, retryable }))).toEqual(
      ConsumeDecision.Retry({
        reason: `PERSISTENCE_FAILURE: ${new PersistenceFailure({ reason, retryable }).message}`,
      }),
    );
  });

  it('retries every provider error of the catalogue reads (nothing is sent while requesting)', () => {
    const provider = 'dtone';
    const errors = [
      new ProviderUnavailable({ provider, reason: 'connection refused' }),
      new ProviderRejected({ provider, providerCode: '1003001', reason: 'product unavailable', retryable: true }),
      new ProviderRejected({ provider, providerCode: '1000401', reason: 'unauthorized', retryable: false }),
      new ProviderOutcomeUnknown({ provider, reason: 'timeout', kind: 'TIMEOUT' }),
      new ProviderResponseInvalid({ provider, reason: 'products is not an array' }),
      new ProviderAnswerMismatch({ provider, field: 'operator', reason: 'another operator' }),
      new ExternalIdAlreadyUsed({ provider, providerExternalId: 'x-1' }),
      new StatusQueryUnsupported({ provider, howToSettle: 'ask' }),
      new TransactionListUnsupported({ provider, howToReconcile: 'by hand' }),
    ];
    for (const error of errors) {
      expect({ tag: error._tag, decision: decisionOf(error)._tag }).toEqual({ tag: error._tag, decision: 'Retry' });
    }
    expect(decisionOf(errors[0] as ProviderUnavailable)).toEqual(
      ConsumeDecision.Retry({ reason: 'PROVIDER_UNAVAILABLE: dtone unavailable' }),
    );
  });

  it('names the kind of a retried failure, never a text of the provider or a value of the request', () => {
    const secret = 'SECRET-PROVIDER-TEXT';
    const provider = 'dtone';
    const cases: readonly (readonly [TopUpCommandError, string])[] = [
      [new ProviderUnavailable({ provider, reason: secret }), 'PROVIDER_UNAVAILABLE: dtone unavailable'],
      [new ProviderRateLimited({ provider, retryAfterMs: 424_242 }), 'PROVIDER_RATE_LIMITED: dtone rate limit reached'],
      [
        new ProviderRejected({ provider, providerCode: '1003001', reason: secret, retryable: true }),
        'PROVIDER_REJECTED: dtone refused (code 1003001)',
      ],
      [
        new ProviderRejected({ provider, providerCode: `${secret} in a sentence`, reason: secret, retryable: false }),
        'PROVIDER_REJECTED: dtone refused (a code that is not one)',
      ],
      [
        new ProviderOutcomeUnknown({ provider, reason: secret, kind: 'UNREADABLE_ANSWER' }),
        'PROVIDER_OUTCOME_UNKNOWN: dtone outcome unknown (UNREADABLE_ANSWER)',
      ],
      [
        new ProviderAnswerMismatch({ provider, field: 'operator', reason: secret }),
        'PROVIDER_ANSWER_MISMATCH: dtone answer does not match the request at operator',
      ],
      [
        new ProviderRetryLater({ provider, reason: secret, earliestRetryAt: new Date('2031-02-03T04:05:06Z') }),
        'PROVIDER_RETRY_LATER: dtone asks to retry later',
      ],
      [
        new ProviderResponseInvalid({ provider, reason: secret }),
        'PROVIDER_RESPONSE_INVALID: dtone answered an undecodable response',
      ],
      [
        new ExternalIdAlreadyUsed({ provider, providerExternalId: secret }),
        'EXTERNAL_ID_ALREADY_USED: dtone already has a transaction under our external id: fetch that transaction',
      ],
      [
        new DuplicateKey({ entity: 'top-up request', key: secret }),
        'DUPLICATE_KEY: top-up request with this key already exists',
      ],
    ];
    for (const [error, reason] of cases) {
      expect({ tag: error._tag, decision: decisionOf(error) }).toEqual({
        tag: error._tag,
        decision: ConsumeDecision.Retry({ reason }),
      });
      expect(messageOf(error)).not.toMatch(/SECRET|424|2031/);
    }
  });

  it('names fields in the reason, never the amounts, country or operator of a request nothing is sold for', () => {
    const reasons = [
      new NoMatchingProduct({ currency: 'PHP', maxAmountMinor: 1n }),
      new NoMatchingProduct({ currency: 'PHP', maxAmountMinor: 1n, desiredAmountMinor: 1n }),
      new ExactAmountUnavailable({ currency: 'PHP', askedMinor: 4321n, offeredMinor: 5000n }),
      new CurrencyNotAccepted({ currency: 'EUR', accepted: ['PHP', 'USD'] }),
      new OperatorNotFound({ countryIso: 'PH' }),
      new ProductNotFound({ operatorId: '987654' }),
    ].map((error) => {
      const decision = decisionOf(error);
      return decision._tag === 'DeadLetter' ? decision.reason : `not dead-lettered: ${decision._tag}`;
    });
    expect(reasons).toEqual([
      'NO_MATCHING_PRODUCT: no product offers an amount at or below max_amount',
      'NO_MATCHING_PRODUCT: no product offers an amount at or below max_amount',
      'EXACT_AMOUNT_UNAVAILABLE: the exact amount asked (desired_amount, or max_amount without it) is not offered for phone_number',
      "CURRENCY_NOT_ACCEPTED: currency is neither the destination's currency nor one the products are priced in",
      'OPERATOR_NOT_FOUND: no operator found for phone_number',
      "PRODUCT_NOT_FOUND: product_id is not offered by phone_number's operator",
    ]);
  });

  it('names the account and currency of a ledger refusal, never an amount', () => {
    const errors = [
      new InsufficientFunds({
        accountId: 'acme',
        currency: 'USD',
        requestedMinor: 4321n,
        availableMinor: 1234n,
        creditLimitMinor: 0n,
      }),
      new InvalidLedgerAmount({ operation: 'AUTHORIZE', amountMinor: -4321n, reason: 'must be positive' }),
      new CaptureExceedsHold({ transactionId: 't-1', holdMinor: 1234n, requestedMinor: 4321n }),
      new AccountAlreadyOpen({
        accountId: 'acme',
        currency: 'USD',
        creditLimitMinor: 1234n,
        requestedCreditLimitMinor: 4321n,
      }),
      new CreditLimitInUse({
        accountId: 'acme',
        currency: 'USD',
        availableMinor: -1234n,
        requestedCreditLimitMinor: 4321n,
      }),
    ];
    for (const error of errors) {
      const decision = decisionOf(error);
      expect({ tag: error._tag, decision: decision._tag }).toEqual({ tag: error._tag, decision: 'DeadLetter' });
      const reason = decision._tag === 'DeadLetter' ? decision.reason : '';
      expect(reason.startsWith(`${error.code}: `)).toBe(true);
      expect(reason).not.toMatch(/1234|4321/);
    }
  });

  it('dead-letters a hold the ledger refuses for good (no such account)', () => {
    expect(decisionOf(new AccountNotFound({ accountId: 'acme', currency: 'USD' }))._tag).toBe('DeadLetter');
  });

  it('acks a top-up whose first send is left to the scheduler', () => {
    expect(decisionOf(new FirstSendDeferred({ topUpId: 't-1', failure: 'PERSISTENCE_FAILURE: lost' }))).toEqual(
      ConsumeDecision.Ack(),
    );
  });

  it('has only known rules, and retries every error of the provider and the store', () => {
    expect(new Set(Object.values(CONSUME_ERRORS))).toEqual(new Set(['ack', 'retry', 'dead-letter']));
    const dependencies = Object.entries(CONSUME_ERRORS).filter(
      ([tag]) =>
        tag.startsWith('Provider') ||
        [
          'PersistenceFailure',
          'ExternalIdAlreadyUsed',
          'StatusQueryUnsupported',
          'TransactionListUnsupported',
        ].includes(tag),
    );
    expect(dependencies.length).toBeGreaterThanOrEqual(10);
    for (const [tag, rule] of dependencies) expect({ tag, rule }).toEqual({ tag, rule: 'retry' });
  });
});
