import { ExternalIdConflict, MalformedCommand } from '@airtime/application';
import { PersistenceFailure, ProviderRejected, ProviderUnavailable } from '@airtime/domain';
import { ConsumeDecision } from '@airtime/messaging-rabbitmq';
import { CONSUME_ERRORS, decisionOf } from './consume-errors.table';
import { FirstSendDeferred } from './top-up-command.errors';

describe('the consumer error table', () => {
  it('dead-letters what can never succeed, with the code and message as the reason', () => {
    expect(decisionOf(new MalformedCommand({ reason: 'the body is not JSON' }))).toEqual(
      ConsumeDecision.DeadLetter({ reason: 'MALFORMED_COMMAND: malformed top-up command: the body is not JSON' }),
    );
    expect(decisionOf(new ExternalIdConflict({ field: 'max_amount' }))._tag).toBe('DeadLetter');
  });

  it('retries transient failures, and asks the error when it says per instance', () => {
    expect(decisionOf(new ProviderUnavailable({ provider: 'dtone', reason: 'connection refused' }))).toEqual(
      ConsumeDecision.Retry({ reason: 'PROVIDER_UNAVAILABLE: dtone unavailable: connection refused' }),
    );
    expect(decisionOf(new PersistenceFailure({ reason: 'connection lost', retryable: true }))._tag).toBe('Retry');
    expect(decisionOf(new PersistenceFailure({ reason: 'value too long', retryable: false }))._tag).toBe('DeadLetter');
    const rejected = { provider: 'dtone', providerCode: '1003001', reason: 'product unavailable' };
    expect(decisionOf(new ProviderRejected({ ...rejected, retryable: true }))._tag).toBe('Retry');
    expect(decisionOf(new ProviderRejected({ ...rejected, retryable: false }))._tag).toBe('DeadLetter');
  });

  it('acks a top-up whose first send is left to the scheduler', () => {
    expect(decisionOf(new FirstSendDeferred({ topUpId: 't-1', failure: 'PERSISTENCE_FAILURE: lost' }))).toEqual(
      ConsumeDecision.Ack(),
    );
  });

  it('has only known rules', () => {
    expect(new Set(Object.values(CONSUME_ERRORS))).toEqual(
      new Set(['ack', 'retry', 'retry-if-retryable', 'dead-letter']),
    );
  });
});
