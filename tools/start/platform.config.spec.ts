// npm start's settings: defaults, each bad variable named without its value,
// where the database and the messaging come from, and the API's environment
// (local defaults unless set; the port, the database, the messaging, the
// workers, the simulator and the callback base always).
import path from 'node:path';
import { Either } from 'effect';
import {
  apiRuntimeProblems,
  apiEnvironment,
  DEFAULT_API_PORT,
  DEFAULT_DATA_DIR,
  DEFAULT_SIMULATOR_PORT,
  platformBackendsOf,
  platformSettingsFrom,
  reachableHost,
} from './platform.config';

describe('platformSettingsFrom', () => {
  it('has defaults for everything', () => {
    expect(platformSettingsFrom({})).toEqual(
      Either.right({
        apiPort: DEFAULT_API_PORT,
        apiHost: '127.0.0.1',
        dataDir: DEFAULT_DATA_DIR,
        simulatorPort: DEFAULT_SIMULATOR_PORT,
        simulatorHost: '127.0.0.1',
        simulatorTimeScale: 1,
        logFormat: 'pretty',
        stopTimeoutMs: 60_000,
        brokerTimeoutMs: 30_000,
        apiMain: undefined,
        demo: true,
        demoAccountId: 'demo',
      }),
    );
    expect(DEFAULT_DATA_DIR).toBe(path.resolve(__dirname, '../../tmp/embedded-postgres'));
  });

  it('reads every setting, an empty one counting as unset', () => {
    expect(
      platformSettingsFrom({
        API_PORT: '0',
        API_HOST: '0.0.0.0',
        START_DATA_DIR: 'tmp/other',
        SIMULATOR_PORT: '0',
        SIMULATOR_HOST: '',
        SIMULATOR_TIME_SCALE: '0.01',
        START_LOG_FORMAT: 'json',
        START_STOP_TIMEOUT_MS: '5000',
        START_BROKER_TIMEOUT_MS: '1000',
        START_API_MAIN: 'dist/apps/api/main.js',
        START_DEMO: 'false',
        START_DEMO_ACCOUNT: 'my-demo',
      }),
    ).toEqual(
      Either.right({
        apiPort: 0,
        apiHost: '0.0.0.0',
        dataDir: path.resolve('tmp/other'),
        simulatorPort: 0,
        simulatorHost: '127.0.0.1',
        simulatorTimeScale: 0.01,
        logFormat: 'json',
        stopTimeoutMs: 5_000,
        brokerTimeoutMs: 1_000,
        apiMain: 'dist/apps/api/main.js',
        demo: false,
        demoAccountId: 'my-demo',
      }),
    );
  });

  it('names every bad variable with what it expects, never the value', () => {
    const problems = platformSettingsFrom({
      API_PORT: 'secret-value',
      SIMULATOR_PORT: '70000',
      SIMULATOR_TIME_SCALE: 'fast',
      START_LOG_FORMAT: 'secret-value',
      START_STOP_TIMEOUT_MS: '10',
      START_BROKER_TIMEOUT_MS: 'secret-value',
      START_API_MAIN: 'main.ts',
      START_DEMO: 'yes',
      START_DEMO_ACCOUNT: ` secret-value${'x'.repeat(80)}`,
    });
    expect(problems).toEqual(
      Either.left([
        'API_PORT: expected an integer from 0 to 65535 (0: any free port)',
        'SIMULATOR_PORT: expected an integer from 0 to 65535 (0: any free port)',
        'SIMULATOR_TIME_SCALE: expected a number from 0 to 1000',
        'START_LOG_FORMAT: expected pretty or json',
        'START_STOP_TIMEOUT_MS: expected an integer from 1000 to 600000',
        'START_BROKER_TIMEOUT_MS: expected an integer from 0 to 600000',
        'START_API_MAIN: expected the path of a .js file',
        'START_DEMO: expected true or false',
        'START_DEMO_ACCOUNT: expected an account id of 1 to 80 characters',
      ]),
    );
    expect(JSON.stringify(problems)).not.toContain('secret-value');
  });
});

describe('platformBackendsOf', () => {
  it('uses the embedded PostgreSQL and the in-process bus unless DATABASE_URL and AMQP_URL are set', () => {
    expect(platformBackendsOf({})).toEqual({ databaseUrl: undefined, rabbitmq: false, amqpUrl: undefined });
    expect(platformBackendsOf({ DATABASE_URL: '', AMQP_URL: '' })).toEqual({
      databaseUrl: undefined,
      rabbitmq: false,
      amqpUrl: undefined,
    });
    expect(platformBackendsOf({ DATABASE_URL: 'postgres://db/x', AMQP_URL: 'amqp://mq' })).toEqual({
      databaseUrl: 'postgres://db/x',
      rabbitmq: true,
      amqpUrl: 'amqp://mq',
    });
  });
});

describe('reachableHost', () => {
  it('answers 127.0.0.1 for a wildcard address, brackets an IPv6 one', () => {
    expect(reachableHost('127.0.0.1')).toBe('127.0.0.1');
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('127.0.0.1');
    expect(reachableHost('::1')).toBe('[::1]');
    expect(reachableHost('localhost')).toBe('localhost');
  });
});

describe('apiEnvironment', () => {
  const launch = {
    port: 8080,
    url: 'http://127.0.0.1:8080',
    databaseUrl: 'postgres://postgres:pw@127.0.0.1:54329/airtime',
    rabbitmq: false,
    simulator: { baseUrl: 'http://127.0.0.1:8089/v1', apiKey: 'k', apiSecret: 's' },
  };

  it('keeps the caller environment, adds the local defaults and decides the rest', () => {
    expect(apiEnvironment({ LOG_LEVEL: 'debug', UNSET: undefined }, launch)).toEqual({
      LOG_LEVEL: 'debug',
      STALLED_AFTER_MS: '5000',
      DTONE_TIMEOUT_MS: '4000',
      API_PORT: '8080',
      DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:54329/airtime',
      MESSAGING: 'in-process',
      API_WORKERS: 'true',
      PROVIDER: 'simulator-http',
      DTONE_BASE_URL: 'http://127.0.0.1:8089/v1',
      DTONE_API_KEY: 'k',
      DTONE_API_SECRET: 's',
      PROVIDER_CALLBACK_BASE_URL: 'http://127.0.0.1:8080',
    });
  });

  it('runs on RabbitMQ when AMQP_URL is set, passing it and its prefix through', () => {
    expect(
      apiEnvironment({ AMQP_URL: 'amqp://mq', AMQP_TOPOLOGY_PREFIX: 'mine' }, { ...launch, rabbitmq: true }),
    ).toMatchObject({
      AMQP_URL: 'amqp://mq',
      AMQP_TOPOLOGY_PREFIX: 'mine',
      MESSAGING: 'rabbitmq',
      API_WORKERS: 'true',
    });
  });

  it("leaves callbacks to public https hosts only unless the caller's environment allows private ones", () => {
    expect(apiEnvironment({}, launch)).not.toHaveProperty('CALLBACK_ALLOW_PRIVATE_HOSTS');
    expect(apiEnvironment({ CALLBACK_ALLOW_PRIVATE_HOSTS: 'true' }, launch)).toMatchObject({
      CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
    });
  });

  it('lets the environment override the local defaults, never what this run decides', () => {
    const env = apiEnvironment(
      {
        STALLED_AFTER_MS: '120000',
        DTONE_TIMEOUT_MS: '',
        PROVIDER: 'dtone',
        DTONE_BASE_URL: 'https://dvs-api.dtone.com/v1',
        DTONE_API_KEY: 'real',
        MESSAGING: 'rabbitmq',
        API_WORKERS: 'false',
        API_PORT: '9999',
        PROVIDER_CALLBACK_BASE_URL: 'https://elsewhere.example.com',
      },
      launch,
    );
    expect(env).toMatchObject({
      STALLED_AFTER_MS: '120000',
      DTONE_TIMEOUT_MS: '4000',
      PROVIDER: 'simulator-http',
      DTONE_BASE_URL: 'http://127.0.0.1:8089/v1',
      DTONE_API_KEY: 'k',
      MESSAGING: 'in-process',
      API_WORKERS: 'true',
      API_PORT: '8080',
      PROVIDER_CALLBACK_BASE_URL: 'http://127.0.0.1:8080',
    });
  });
});

describe('apiRuntimeProblems', () => {
  it('none on the defaults: the API will start', () => {
    expect(apiRuntimeProblems({})).toEqual([]);
    expect(apiRuntimeProblems({ LEDGER_BATCH_LANES: '4', UNIT_OF_WORK_MAX_GROUP: '1' })).toEqual([]);
  });

  it("names the API's bad runtime variables before anything is written, never the value", () => {
    const problems = apiRuntimeProblems({
      LEDGER_BATCH_LANES: '0',
      UNIT_OF_WORK_GROUPS: '65',
      LOG_LEVEL: 'secret-ish',
    });
    expect(problems).toEqual([
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
      'LEDGER_BATCH_LANES: expected an integer from 1 to 256',
      'UNIT_OF_WORK_GROUPS: expected an integer from 1 to 64',
    ]);
    expect(problems.join('\n')).not.toContain('secret-ish');
  });
});
