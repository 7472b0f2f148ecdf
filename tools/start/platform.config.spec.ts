// npm start's settings: defaults, each bad variable named without its value,
// and the consumer's environment (local defaults unless set; the simulator's
// address and this run's credentials always).
import { Either } from 'effect';
import { consumerEnvironment, DEFAULT_SIMULATOR_PORT, platformSettingsFrom } from './platform.config';

describe('platformSettingsFrom', () => {
  it('has defaults for everything', () => {
    expect(platformSettingsFrom({})).toEqual(
      Either.right({
        simulatorPort: DEFAULT_SIMULATOR_PORT,
        simulatorHost: '127.0.0.1',
        simulatorTimeScale: 1,
        logFormat: 'pretty',
        stopTimeoutMs: 60_000,
        consumerMain: undefined,
      }),
    );
  });

  it('reads every setting, an empty one counting as unset', () => {
    expect(
      platformSettingsFrom({
        SIMULATOR_PORT: '0',
        SIMULATOR_HOST: '',
        SIMULATOR_TIME_SCALE: '0.01',
        START_LOG_FORMAT: 'json',
        START_STOP_TIMEOUT_MS: '5000',
        START_CONSUMER_MAIN: '/tmp/bundle/main.js',
      }),
    ).toEqual(
      Either.right({
        simulatorPort: 0,
        simulatorHost: '127.0.0.1',
        simulatorTimeScale: 0.01,
        logFormat: 'json',
        stopTimeoutMs: 5_000,
        consumerMain: '/tmp/bundle/main.js',
      }),
    );
  });

  it('names every bad variable with what it expects, never the value', () => {
    const problems = platformSettingsFrom({
      SIMULATOR_PORT: '70000',
      SIMULATOR_TIME_SCALE: 'fast',
      START_LOG_FORMAT: 'secret-value',
      START_STOP_TIMEOUT_MS: '10',
      START_CONSUMER_MAIN: 'main.ts',
    });
    expect(problems).toEqual(
      Either.left([
        'SIMULATOR_PORT: expected an integer from 0 to 65535 (0: any free port)',
        'SIMULATOR_TIME_SCALE: expected a number from 0 to 1000',
        'START_LOG_FORMAT: expected pretty or json',
        'START_STOP_TIMEOUT_MS: expected an integer from 1000 to 600000',
        'START_CONSUMER_MAIN: expected the path of a .js file',
      ]),
    );
  });
});

describe('consumerEnvironment', () => {
  const simulator = { baseUrl: 'http://127.0.0.1:8089/v1', apiKey: 'k', apiSecret: 's' };

  it('keeps the caller environment, adds the local defaults and points the consumer at the simulator', () => {
    const env = consumerEnvironment(
      { DATABASE_URL: 'postgres://x@h/db', LOG_LEVEL: 'debug', UNSET: undefined },
      simulator,
    );
    expect(env).toEqual({
      DATABASE_URL: 'postgres://x@h/db',
      LOG_LEVEL: 'debug',
      STALLED_AFTER_MS: '5000',
      DTONE_TIMEOUT_MS: '4000',
      PROVIDER: 'simulator-http',
      DTONE_BASE_URL: 'http://127.0.0.1:8089/v1',
      DTONE_API_KEY: 'k',
      DTONE_API_SECRET: 's',
    });
  });

  it("leaves callbacks to public https hosts only unless the caller's environment allows private ones", () => {
    expect(consumerEnvironment({}, simulator)).not.toHaveProperty('CALLBACK_ALLOW_PRIVATE_HOSTS');
    expect(consumerEnvironment({ CALLBACK_ALLOW_PRIVATE_HOSTS: 'true' }, simulator)).toMatchObject({
      CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
    });
  });

  it('lets the environment override the local defaults, never the provider or its credentials', () => {
    const env = consumerEnvironment(
      {
        STALLED_AFTER_MS: '120000',
        DTONE_TIMEOUT_MS: '',
        PROVIDER: 'dtone',
        DTONE_BASE_URL: 'https://dvs-api.dtone.com/v1',
        DTONE_API_KEY: 'real',
      },
      simulator,
    );
    expect(env).toMatchObject({
      STALLED_AFTER_MS: '120000',
      DTONE_TIMEOUT_MS: '4000',
      PROVIDER: 'simulator-http',
      DTONE_BASE_URL: 'http://127.0.0.1:8089/v1',
      DTONE_API_KEY: 'k',
    });
  });
});
