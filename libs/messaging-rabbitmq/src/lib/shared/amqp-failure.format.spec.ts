import { describeAmqpFailure } from './amqp-failure.format';

const withCode = (message: string, code: number | string): Error => Object.assign(new Error(message), { code });

describe('describing amqplib failures', () => {
  it('names AMQP reply codes and leaves out the reply text', () => {
    const closed = describeAmqpFailure(
      withCode('Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange \'x\'"', 404),
    );
    expect(closed).toEqual({ reason: 'NOT_FOUND (404)', retryable: false });
    expect(describeAmqpFailure(withCode('Connection closed: 320 (CONNECTION-FORCED)', 320))).toEqual({
      reason: 'CONNECTION_FORCED (320)',
      retryable: true,
    });
    expect(describeAmqpFailure(withCode('x', 406)).retryable).toBe(false);
    expect(describeAmqpFailure(withCode('x', 599))).toEqual({ reason: 'AMQP reply code 599', retryable: true });
  });

  it('reads the code of a refused handshake from its message, never the user name it quotes', () => {
    const refused = describeAmqpFailure(
      new Error(
        'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile."',
      ),
    );
    expect(refused).toEqual({ reason: 'ACCESS_REFUSED (403)', retryable: false });
  });

  it('names socket errors by code and amqplib states by kind', () => {
    expect(describeAmqpFailure(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toEqual({
      reason: 'ECONNREFUSED',
      retryable: true,
    });
    expect(describeAmqpFailure(new Error('Heartbeat timeout')).reason).toBe('heartbeat timeout');
    expect(describeAmqpFailure(new Error('Unexpected close')).reason).toBe('socket closed by the peer');
    expect(describeAmqpFailure(Object.assign(new Error('Channel closed'), { name: 'IllegalOperationError' }))).toEqual({
      reason: 'channel or connection already closed',
      retryable: true,
    });
    expect(describeAmqpFailure(new TypeError('secret value +254711000111'))).toEqual({
      reason: 'unexpected TypeError',
      retryable: true,
    });
    expect(describeAmqpFailure('boom').reason).toBe('unexpected non-error failure');
  });

  it('reads errors of another realm (Node core errors under jest) by their shape', () => {
    const foreign = { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' };
    expect(describeAmqpFailure(foreign)).toEqual({ reason: 'ECONNREFUSED', retryable: true });
  });
});
