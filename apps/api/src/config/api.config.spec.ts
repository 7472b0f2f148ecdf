import { Either } from 'effect';
import { apiConfigFrom } from './api.config';

const keys = { DTONE_API_KEY: 'key-123', DTONE_API_SECRET: 'very-secret-value' };

const problemsOf = (environment: Record<string, string | undefined>): readonly string[] => {
  const result = apiConfigFrom(environment);
  if (Either.isRight(result)) throw new Error('expected the configuration to be refused');
  return result.left.problems;
};

describe('apiConfigFrom', () => {
  it('defaults to loopback on 8080, 1200 requests a minute per key, 60 failed authentications a minute per client, 64 KiB bodies, keys cached 5 s', () => {
    const config = Either.getOrThrow(apiConfigFrom(keys));
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 8080,
      publicUrl: undefined,
      rateLimitPerMinute: 1_200,
      authFailuresPerMinute: 60,
      bodyLimitBytes: 65_536,
      apiKeyCacheMs: 5_000,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
      console: { idleTimeoutMs: 1_800_000, lifetimeMs: 43_200_000 },
    });
    expect(config.runtime).toMatchObject({
      provider: { kind: 'simulator-http' },
      logLevel: 'info',
      allowPrivateCallbackHosts: false,
      providerCallbackBaseUrl: undefined,
    });
    expect(config.messaging).toMatchObject({ topologyPrefix: 'airtime' });
    expect(config.database).toMatchObject({ migrateOnStart: false });
  });

  it('reads every setting it is given (empty variables are unset)', () => {
    const config = Either.getOrThrow(
      apiConfigFrom({
        ...keys,
        API_HOST: '0.0.0.0',
        API_PORT: '0',
        API_PUBLIC_URL: 'https://api.example.com/',
        API_RATE_LIMIT_PER_MINUTE: '60',
        API_AUTH_FAILURES_PER_MINUTE: '10',
        API_BODY_LIMIT_BYTES: '2048',
        API_KEY_CACHE_MS: '0',
        API_SHUTDOWN_TIMEOUT_MS: '500',
        API_TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
        CONSOLE_IDLE_TIMEOUT_MS: '600000',
        CONSOLE_SESSION_LIFETIME_MS: '3600000',
        LOG_LEVEL: 'warn',
        PROVIDER: 'simulator',
        PROVIDER_CALLBACK_BASE_URL: 'https://api.example.com',
        DATABASE_URL: 'postgres://app:pw@db:5432/airtime',
        DATABASE_MIGRATE_ON_START: 'true',
        AMQP_URL: 'amqp://app:pw@mq:5672/vhost',
        AMQP_TOPOLOGY_PREFIX: 'prod',
        CALLBACK_ALLOW_PRIVATE_HOSTS: '',
      }),
    );
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 0,
      publicUrl: 'https://api.example.com',
      rateLimitPerMinute: 60,
      authFailuresPerMinute: 10,
      bodyLimitBytes: 2_048,
      apiKeyCacheMs: 0,
      shutdownTimeoutMs: 500,
      trustProxy: ['10.0.0.0/8', '127.0.0.1'],
      console: { idleTimeoutMs: 600_000, lifetimeMs: 3_600_000 },
    });
    expect(config.runtime).toMatchObject({
      provider: { kind: 'simulator' },
      logLevel: 'warn',
      providerCallbackBaseUrl: 'https://api.example.com',
      allowPrivateCallbackHosts: false,
    });
    expect(config.database).toMatchObject({ url: 'postgres://app:pw@db:5432/airtime', migrateOnStart: true });
    expect(config.messaging).toMatchObject({ url: 'amqp://app:pw@mq:5672/vhost', topologyPrefix: 'prod' });
  });

  it('names every bad variable at once, with what it expects', () => {
    expect(
      problemsOf({
        ...keys,
        API_PORT: '70000',
        API_PUBLIC_URL: 'ftp://api.example.com',
        API_RATE_LIMIT_PER_MINUTE: '0',
        API_BODY_LIMIT_BYTES: 'lots',
        API_KEY_CACHE_MS: '60000',
        CONSOLE_IDLE_TIMEOUT_MS: '59999',
        API_TRUST_PROXY: 'yes please',
        LOG_LEVEL: 'loud',
        AMQP_PREFETCH: '-1',
      }),
    ).toEqual(
      expect.arrayContaining([
        'API_PORT: expected an integer from 0 to 65535 (0: any free port)',
        expect.stringMatching(/^API_PUBLIC_URL: expected an http\(s\) URL/),
        'API_RATE_LIMIT_PER_MINUTE: expected an integer from 1 to 1000000',
        'API_BODY_LIMIT_BYTES: expected an integer from 1024 to 1048576',
        'API_KEY_CACHE_MS: expected an integer from 0 to 5000',
        'CONSOLE_IDLE_TIMEOUT_MS: expected an integer from 60000 to 2592000000 (milliseconds: 1 minute to 30 days)',
        'API_TRUST_PROXY: expected true, false, a hop count (0-99) or comma-separated IP addresses or CIDR ranges',
        expect.stringMatching(/^LOG_LEVEL: expected one of/),
        expect.stringMatching(/^AMQP_PREFETCH: /),
      ]),
    );
  });

  it('never quotes a value it refuses (URLs hold passwords, keys are secrets)', () => {
    const secret = 's3cr3t-pa55';
    const problems = problemsOf({
      DTONE_API_KEY: secret,
      DTONE_API_SECRET: '',
      DATABASE_URL: `mysql://user:${secret}@db/x`,
      AMQP_URL: `http://user:${secret}@mq`,
      API_PUBLIC_URL: `https://user:${secret}@api.example.com`,
      API_PORT: secret,
    });
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('runs on RabbitMQ without workers by default; MESSAGING and API_WORKERS choose the transport and the workers', () => {
    expect(Either.getOrThrow(apiConfigFrom(keys))).toMatchObject({
      transport: 'rabbitmq',
      workers: { enabled: false, retry: { minDelayMs: 1_000, maxDelayMs: 300_000, maxRetries: 30 } },
    });
    expect(
      Either.getOrThrow(
        apiConfigFrom({
          ...keys,
          MESSAGING: 'in-process',
          API_WORKERS: 'true',
          CONSUMER_RETRY_DELAY_MS: '100',
          CONSUMER_RETRY_MAX_DELAY_MS: '2000',
          CONSUMER_MAX_RETRIES: '3',
        }),
      ),
    ).toMatchObject({
      transport: 'in-process',
      workers: { enabled: true, retry: { minDelayMs: 100, maxDelayMs: 2_000, maxRetries: 3 } },
    });
    expect(Either.getOrThrow(apiConfigFrom({ ...keys, MESSAGING: '', API_WORKERS: 'true' }))).toMatchObject({
      transport: 'rabbitmq',
      workers: { enabled: true },
    });
  });

  it('refuses the in-process bus without workers, and a first retry delay above the longest', () => {
    expect(problemsOf({ ...keys, MESSAGING: 'in-process' })).toEqual([
      'MESSAGING: in-process needs API_WORKERS=true (no other process reads the in-process bus)',
    ]);
    expect(problemsOf({ ...keys, MESSAGING: 'kafka', API_WORKERS: 'yes' })).toEqual([
      'MESSAGING: expected rabbitmq or in-process',
      'API_WORKERS: expected true or false',
    ]);
    expect(problemsOf({ ...keys, CONSUMER_RETRY_DELAY_MS: '5000', CONSUMER_RETRY_MAX_DELAY_MS: '1000' })).toEqual([
      'CONSUMER_RETRY_DELAY_MS: expected no more than CONSUMER_RETRY_MAX_DELAY_MS (the first retry delay, doubled up to the longest)',
    ]);
  });
});
