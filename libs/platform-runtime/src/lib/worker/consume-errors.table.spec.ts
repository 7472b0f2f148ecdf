import { ExternalIdConflict, InvalidTopUpRequest, MalformedCommand } from '@airtime/application';
import {
  AccountNotFound,
  ExternalIdAlreadyUsed,
  PersistenceFailure,
  ProviderAnswerMismatch,
  ProviderOutcomeUnknown,
  ProviderRejected,
  ProviderResponseInvalid,
  ProviderUnavailable,
  StatusQueryUnsupported,
  TransactionListUnsupported,
} from '@airtime/domain';
import { ConsumeDecision } from '@airtime/messaging-rabbitmq';
import { CONSUME_ERRORS, decisionOf } from './consume-errors.table';
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
      ConsumeDecision.Retry({ reason: 'PROVIDER_UNAVAILABLE: dtone unavailable: connection refused' }),
    );
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
