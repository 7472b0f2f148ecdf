import { Either } from 'effect';
import { DEFAULT_AMQP_URL, messagingConfigFrom, redactAmqpUrl } from './messaging.config';

describe('messaging configuration', () => {
  it('has defaults for a local broker', () => {
    expect(Either.getOrThrow(messagingConfigFrom({}))).toEqual({
      url: DEFAULT_AMQP_URL,
      topologyPrefix: 'airtime',
      prefetch: 50,
      confirmTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      heartbeatSeconds: 15,
      reconnectMinDelayMs: 200,
      reconnectMaxDelayMs: 30_000,
      shutdownTimeoutMs: 30_000,
      startTimeoutMs: 30_000,
    });
  });

  it('reads every setting from the environment', () => {
    const config = messagingConfigFrom({
      AMQP_URL: 'amqps://app:s3cret@mq.internal:5671/airtime',
      AMQP_TOPOLOGY_PREFIX: 'staging-1',
      AMQP_PREFETCH: '200',
      AMQP_CONFIRM_TIMEOUT_MS: '2500',
      AMQP_CONNECT_TIMEOUT_MS: '1500',
      AMQP_HEARTBEAT_SECONDS: '30',
      AMQP_RECONNECT_MIN_DELAY_MS: '50',
      AMQP_RECONNECT_MAX_DELAY_MS: '5000',
      AMQP_SHUTDOWN_TIMEOUT_MS: '0',
      AMQP_START_TIMEOUT_MS: '0',
      UNRELATED: 'ignored',
    });
    expect(Either.getOrThrow(config)).toEqual({
      url: 'amqps://app:s3cret@mq.internal:5671/airtime',
      topologyPrefix: 'staging-1',
      prefetch: 200,
      confirmTimeoutMs: 2_500,
      connectTimeoutMs: 1_500,
      heartbeatSeconds: 30,
      reconnectMinDelayMs: 50,
      reconnectMaxDelayMs: 5_000,
      shutdownTimeoutMs: 0,
      startTimeoutMs: 0,
    });
  });

  it('refuses bad values with a typed error naming each variable, never the secret', () => {
    const result = messagingConfigFrom({
      AMQP_URL: 'http://admin:hunter2@mq/',
      AMQP_TOPOLOGY_PREFIX: 'has space',
      AMQP_PREFETCH: '0',
      AMQP_CONFIRM_TIMEOUT_MS: 'soon',
      AMQP_HEARTBEAT_SECONDS: '1.5',
      AMQP_START_TIMEOUT_MS: 'a while',
    });
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toMatchObject({ _tag: 'InvalidMessagingConfig', code: 'INVALID_MESSAGING_CONFIG' });
      for (const variable of [
        'AMQP_URL',
        'AMQP_TOPOLOGY_PREFIX',
        'AMQP_PREFETCH',
        'AMQP_CONFIRM_TIMEOUT_MS',
        'AMQP_HEARTBEAT_SECONDS',
        'AMQP_START_TIMEOUT_MS',
      ]) {
        expect(result.left.reason).toContain(variable);
      }
      expect(result.left.message).not.toMatch(/hunter2/);
      // every value is named by its rule, never echoed ('Unable to decode "soon" into a number' before)
      for (const value of ['soon', '1.5', 'a while', 'has space']) expect(result.left.message).not.toContain(value);
      expect(result.left.reason).toContain('AMQP_CONFIRM_TIMEOUT_MS: expected an integer from 100 to 600000');
      expect(result.left.reason).toContain('AMQP_PREFETCH: expected an integer from 1 to 65535');
    }
  });

  it('refuses reconnect bounds out of order, and a URL that does not parse, without echoing it', () => {
    const bounds = messagingConfigFrom({ AMQP_RECONNECT_MIN_DELAY_MS: '5000', AMQP_RECONNECT_MAX_DELAY_MS: '100' });
    expect(Either.isLeft(bounds) && bounds.left.reason).toMatch(
      /AMQP_RECONNECT_MIN_DELAY_MS .*AMQP_RECONNECT_MAX_DELAY_MS/,
    );
    const url = messagingConfigFrom({ AMQP_URL: 'amqp://user:p4ss@[bad' });
    expect(Either.isLeft(url) && url.left.reason).toMatch(/^AMQP_URL: expected/);
    expect(Either.isLeft(url) && url.left.message).not.toMatch(/p4ss/);
  });

  it('masks a password holding a raw @ whole (the authority ends at its last @, as the driver reads it)', () => {
    expect(redactAmqpUrl('amqp://app:s3cr@t-pa55@h:1/x')).toBe('amqp://app:***@h:1/x');
    expect(redactAmqpUrl('amqp://app:a@b@c@h:1')).toBe('amqp://app:***@h:1');
    // an @ past the authority (in the path or the query) is not part of the password
    expect(redactAmqpUrl('amqp://app:s3cret@h:1/x?application_name=ops@night')).toBe(
      'amqp://app:***@h:1/x?application_name=ops@night',
    );
    expect(redactAmqpUrl('amqp://app:s3cr@t@h:1/x?application_name=ops@night')).not.toContain('t@h');
  });

  it('redacts passwords in URLs', () => {
    expect(redactAmqpUrl('amqp://app:s3cret@mq:5672/x')).toBe('amqp://app:***@mq:5672/x');
    expect(redactAmqpUrl('amqp://mq:5672/x?heartbeat=10&password=s3cret')).toBe(
      'amqp://mq:5672/x?heartbeat=10&password=***',
    );
    expect(redactAmqpUrl('amqp://127.0.0.1:5672')).toBe('amqp://127.0.0.1:5672');
  });
});
