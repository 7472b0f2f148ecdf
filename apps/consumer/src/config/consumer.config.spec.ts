import { Either } from 'effect';
import { LOCAL_SIMULATOR_DVS_URL } from '@airtime/platform-runtime';
import { consumerConfigFrom } from './consumer.config';

const keys = { DTONE_API_KEY: 'key-123', DTONE_API_SECRET: 'very-secret-value' };

const problemsOf = (environment: Record<string, string | undefined>): readonly string[] => {
  const result = consumerConfigFrom(environment);
  if (Either.isRight(result)) throw new Error('expected the configuration to be refused');
  return result.left.problems;
};

describe('consumerConfigFrom', () => {
  it('defaults to the DT One adapter pointed at the local DVS simulator, real time, info logs', () => {
    const config = Either.getOrThrow(consumerConfigFrom(keys));
    expect(config.provider).toMatchObject({ kind: 'simulator-http', dvs: { baseUrl: LOCAL_SIMULATOR_DVS_URL } });
    expect(config).toMatchObject({
      consumerName: 'topup-consumer',
      logLevel: 'info',
      clockScale: 1,
      callbackTimeoutMs: 10_000,
      // callbacks only to public https hosts unless a local set-up says otherwise
      allowPrivateCallbackHosts: false,
      metrics: { host: '127.0.0.1', port: 9464 },
      scheduler: { intervalMs: 1_000, batchSize: 100, stalledAfterMs: 120_000, concurrency: 8 },
      // 1 s doubling up to 5 minutes, 30 retries: about 1 to 2 hours of outage before a command is dead-lettered
      retry: { minDelayMs: 1_000, maxDelayMs: 300_000, maxRetries: 30 },
      messaging: { topologyPrefix: 'airtime', prefetch: 50 },
      database: { url: 'postgres://postgres@127.0.0.1:5432/postgres' },
    });
  });

  it('reads every setting it is given', () => {
    const config = Either.getOrThrow(
      consumerConfigFrom({
        ...keys,
        PROVIDER: 'dtone',
        DTONE_BASE_URL: 'https://dvs.example.com/v1/',
        DATABASE_URL: 'postgres://app:pw@db:5432/airtime',
        AMQP_URL: 'amqp://app:pw@mq:5672/vhost',
        AMQP_TOPOLOGY_PREFIX: 'prod',
        AMQP_PREFETCH: '200',
        CONSUMER_NAME: 'consumer-2',
        CONSUMER_RETRY_DELAY_MS: '0',
        CONSUMER_RETRY_MAX_DELAY_MS: '60000',
        CONSUMER_MAX_RETRIES: '5',
        METRICS_HOST: '0.0.0.0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'debug',
        SCHEDULER_INTERVAL_MS: '250',
        SCHEDULER_BATCH_SIZE: '20',
        STALLED_AFTER_MS: '30000',
        SCHEDULER_CONCURRENCY: '32',
        CLOCK_SCALE: '600',
        CLOCK_ORIGIN_MS: '1767225600000',
        CALLBACK_TIMEOUT_MS: '2500',
        CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
      }),
    );
    expect(config).toMatchObject({
      provider: { kind: 'dtone', dvs: { baseUrl: 'https://dvs.example.com/v1', apiKey: 'key-123' } },
      database: { url: 'postgres://app:pw@db:5432/airtime' },
      messaging: { url: 'amqp://app:pw@mq:5672/vhost', topologyPrefix: 'prod', prefetch: 200 },
      consumerName: 'consumer-2',
      retry: { minDelayMs: 0, maxDelayMs: 60_000, maxRetries: 5 },
      metrics: { host: '0.0.0.0', port: 0 },
      logLevel: 'debug',
      scheduler: { intervalMs: 250, batchSize: 20, stalledAfterMs: 30_000, concurrency: 32 },
      clockScale: 600,
      clockOriginMs: 1_767_225_600_000,
      callbackTimeoutMs: 2_500,
      allowPrivateCallbackHosts: true,
    });
  });

  it('needs no DT One keys for the in-process simulator', () => {
    const config = Either.getOrThrow(consumerConfigFrom({ PROVIDER: 'simulator', SIMULATOR_TIME_SCALE: '0' }));
    expect(config.provider).toEqual({ kind: 'simulator', timeScale: 0 });
  });

  it('names every bad variable at once, with what it expects', () => {
    const problems = problemsOf({
      PROVIDER: 'carrier-pigeon',
      METRICS_PORT: '70000',
      CLOCK_SCALE: 'fast',
      LOG_LEVEL: 'loud',
      SCHEDULER_INTERVAL_MS: '1.5',
      AMQP_PREFETCH: 'lots',
      DATABASE_URL: 'mysql://root@db/x',
    });
    const variables = problems.map((problem) => problem.split(':')[0]);
    expect(variables).toEqual(
      expect.arrayContaining([
        'PROVIDER',
        'METRICS_PORT',
        'CLOCK_SCALE',
        'LOG_LEVEL',
        'SCHEDULER_INTERVAL_MS',
        'AMQP_PREFETCH',
        'DATABASE_URL',
      ]),
    );
    expect(problems).toContain('PROVIDER: expected one of simulator-http, dtone, simulator');
    expect(problemsOf({ LOG_LEVEL: 'loud', DTONE_API_SECRET: 'secret' })).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
      'DTONE_API_KEY: required, non-empty, no spaces',
    ]);
    expect(problems.join('; ')).not.toMatch(/carrier-pigeon|70000|fast|loud|lots|mysql/);
  });

  it('asks for the DT One key and secret when the provider is reached over HTTP, never echoing a secret', () => {
    expect(problemsOf({})).toEqual([
      'DTONE_API_KEY: required, non-empty, no spaces',
      'DTONE_API_SECRET: required, non-empty, no spaces',
    ]);
    const problems = problemsOf({
      PROVIDER: 'dtone',
      DTONE_API_KEY: 'key',
      DTONE_API_SECRET: 'has a space',
      AMQP_URL: 'amqp://user:s3cr3t-pass@',
      DATABASE_URL: 'postgres://user:s3cr3t-pass@ db',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'AMQP_URL',
      'DATABASE_URL',
      'DTONE_API_SECRET',
    ]);
    expect(problems.join('; ')).not.toMatch(/s3cr3t|has a space/);
  });

  it('refuses a first retry delay above the longest one, and a bad retry count', () => {
    expect(problemsOf({ ...keys, CONSUMER_RETRY_DELAY_MS: '5000', CONSUMER_RETRY_MAX_DELAY_MS: '1000' })).toEqual([
      'CONSUMER_RETRY_DELAY_MS: expected no more than CONSUMER_RETRY_MAX_DELAY_MS (the first retry delay, doubled up to the longest)',
    ]);
    expect(problemsOf({ ...keys, CONSUMER_MAX_RETRIES: '-1' })).toEqual([
      'CONSUMER_MAX_RETRIES: expected an integer from 0 to 10000',
    ]);
  });

  it('refuses a SCHEDULER_CONCURRENCY outside 1 to 1000 or not whole, never echoing it', () => {
    for (const value of ['0', '1001', '2.5', 'many']) {
      expect(problemsOf({ ...keys, SCHEDULER_CONCURRENCY: value })).toEqual([
        'SCHEDULER_CONCURRENCY: expected an integer from 1 to 1000',
      ]);
    }
    expect(
      Either.getOrThrow(consumerConfigFrom({ ...keys, SCHEDULER_CONCURRENCY: '1000' })).scheduler.concurrency,
    ).toBe(1_000);
  });

  it('leaves CLOCK_ORIGIN_MS unset by default and refuses one that is not whole epoch ms', () => {
    expect(Either.getOrThrow(consumerConfigFrom(keys)).clockOriginMs).toBeUndefined();
    for (const value of ['-1', '1.5', 'yesterday', '9000000000000000']) {
      expect(problemsOf({ ...keys, CLOCK_ORIGIN_MS: value })).toEqual([
        'CLOCK_ORIGIN_MS: expected an integer from 0 to 8640000000000000 (epoch ms)',
      ]);
    }
  });

  it('reads CALLBACK_ALLOW_PRIVATE_HOSTS as true or false only, never echoing another value', () => {
    expect(Either.getOrThrow(consumerConfigFrom({ ...keys, CALLBACK_ALLOW_PRIVATE_HOSTS: 'false' }))).toMatchObject({
      allowPrivateCallbackHosts: false,
    });
    for (const value of ['yes', 'TRUE', '1', 'on']) {
      const problems = problemsOf({ ...keys, CALLBACK_ALLOW_PRIVATE_HOSTS: value });
      expect(problems).toEqual(['CALLBACK_ALLOW_PRIVATE_HOSTS: expected true or false']);
    }
  });

  it('reads PROVIDER_CALLBACK_BASE_URL (the API serving provider callbacks), validated at start, never echoed', () => {
    expect(Either.getOrThrow(consumerConfigFrom(keys)).providerCallbackBaseUrl).toBeUndefined();
    expect(
      Either.getOrThrow(consumerConfigFrom({ ...keys, PROVIDER_CALLBACK_BASE_URL: 'https://api.example.com/' }))
        .providerCallbackBaseUrl,
    ).toBe('https://api.example.com');
    const problems = problemsOf({ ...keys, PROVIDER_CALLBACK_BASE_URL: 'https://api.example.com/?key=s3cr3t' });
    expect(problems).toEqual([expect.stringMatching(/^PROVIDER_CALLBACK_BASE_URL: expected an http\(s\) URL/)]);
    expect(problems.join('; ')).not.toContain('s3cr3t');
  });

  it('takes an empty variable as unset', () => {
    const config = Either.getOrThrow(
      consumerConfigFrom({ ...keys, LOG_LEVEL: '', METRICS_PORT: '', CALLBACK_ALLOW_PRIVATE_HOSTS: '' }),
    );
    expect(config).toMatchObject({ logLevel: 'info', metrics: { port: 9464 }, allowPrivateCallbackHosts: false });
  });
});
