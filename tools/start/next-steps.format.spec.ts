// What npm start prints once the platform runs: the exact commands for a
// first top-up, with the variables this run needs.
import {
  DATABASE_URL_PLACEHOLDER,
  nextSteps,
  publishCommand,
  type RunningPlatform,
  statusCommand,
  statusEnvironmentOf,
} from './next-steps.format';

const platform: RunningPlatform = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  simulatorUrl: 'http://127.0.0.1:8089',
  metricsUrl: 'http://127.0.0.1:9464',
  consumerPid: 4242,
  account: { accountId: 'demo', currency: 'USD', available: '999.45', funded: '1000.00', depositedNow: false },
  externalId: 'demo-abc',
  commandEnvironment: {},
  statusEnvironment: {},
};

describe('next steps', () => {
  it('gives the publish and status commands of a top-up the sandbox completes', () => {
    expect(publishCommand(platform)).toBe(
      'npm run topup:publish -- --account demo --phone +639171234100 --currency PHP --max 30 --external-id demo-abc',
    );
    expect(statusCommand(platform)).toBe('npm run topup:status -- --account demo --external-id demo-abc --watch');
  });

  it('puts the variables this run set before the commands', () => {
    const prefixed = { ...platform, commandEnvironment: { AMQP_TOPOLOGY_PREFIX: 'mine' } };
    expect(publishCommand(prefixed)).toMatch(/^AMQP_TOPOLOGY_PREFIX=mine npm run topup:publish -- /);
    expect(statusCommand(prefixed)).toMatch(/^AMQP_TOPOLOGY_PREFIX=mine npm run topup:status -- /);
  });

  it('gives the status command the DATABASE_URL this run set, never a password', () => {
    const tools = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(statusEnvironmentOf(tools, tools)).toEqual({});
    const own = 'postgres://app@db.example:5432/airtime';
    expect(statusEnvironmentOf(own, tools)).toEqual({ DATABASE_URL: own });
    const secret = 'postgres://app:s3cret@db.example:5432/airtime';
    expect(statusEnvironmentOf(secret, tools)).toEqual({ DATABASE_URL: DATABASE_URL_PLACEHOLDER });
    expect(statusEnvironmentOf('postgres://app:s3cret@[bad/airtime', tools)).toEqual({
      DATABASE_URL: DATABASE_URL_PLACEHOLDER,
    });

    const both = {
      ...platform,
      commandEnvironment: { AMQP_TOPOLOGY_PREFIX: 'mine' },
      statusEnvironment: statusEnvironmentOf(secret, tools),
    };
    expect(statusCommand(both)).toBe(
      'AMQP_TOPOLOGY_PREFIX=mine DATABASE_URL=<your DATABASE_URL> npm run topup:status -- --account demo --external-id demo-abc --watch',
    );
    expect(publishCommand(both)).toMatch(/^AMQP_TOPOLOGY_PREFIX=mine npm run topup:publish -- /);
    expect(nextSteps(both)).not.toContain('s3cret');
    expect(statusCommand({ ...platform, statusEnvironment: statusEnvironmentOf(own, tools) })).toBe(
      `DATABASE_URL=${own} npm run topup:status -- --account demo --external-id demo-abc --watch`,
    );
  });

  it('tells where everything runs and the money of the account', () => {
    const text = nextSteps(platform);
    expect(text).toContain('  consumer        pid 4242, http://127.0.0.1:9464/metrics and /healthz');
    expect(text).toContain('  DVS simulator   http://127.0.0.1:8089/v1 (credentials made for this run)');
    expect(text).toContain('  account         demo: funded by an earlier start (nothing added); USD 999.45 available');
    expect(text).toContain(`  ${publishCommand(platform)}\n  ${statusCommand(platform)}\n`);
    const first = nextSteps({
      ...platform,
      account: { ...platform.account, depositedNow: true, available: '1000.00' },
    });
    expect(first).toContain('demo: funded with USD 1000.00 now; USD 1000.00 available');
    expect(nextSteps({ ...platform, metricsUrl: undefined, consumerPid: undefined })).toContain(
      '  consumer        running\n',
    );
  });
});
