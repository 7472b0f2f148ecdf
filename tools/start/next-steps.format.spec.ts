// What npm start prints once the API is ready: where everything runs, the
// key, the money, and the curl commands of a first top-up, built from the
// same request the demo sends.
import {
  adminExample,
  curlCommand,
  demoStatusLine,
  findTopUpRequestOf,
  nextSteps,
  type RunningPlatform,
  topUpRequestOf,
} from './next-steps.format';

const key = 'atk_0123456789ab_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw';

const platform: RunningPlatform = {
  apiUrl: 'http://127.0.0.1:8080',
  key,
  account: { accountId: 'demo', currency: 'USD', available: '999.45', funded: '1000.00', depositedNow: false },
  simulatorUrl: 'http://127.0.0.1:8089',
  database: {
    kind: 'embedded',
    dataDir: '/repo/tmp/embedded-postgres',
    port: 54329,
    urlFile: 'tmp/embedded-postgres/database.url',
  },
  messaging: 'in-process',
  idempotencyKey: 'first-abc',
};

describe('the top-up requests', () => {
  it('sends the sandbox number that completes, under the idempotency key, with the key', () => {
    expect(topUpRequestOf(platform.apiUrl, key, 'first-abc')).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:8080/v1/topups',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'first-abc' },
      body: '{"phone_number":"+639171234100","currency":"PHP","max_amount":"30"}',
    });
    expect(findTopUpRequestOf(platform.apiUrl, key, 'first abc')).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:8080/v1/topups?external_id=first%20abc',
      headers: { Authorization: `Bearer ${key}` },
    });
  });

  it('shows a request as a curl command, one option a line', () => {
    expect(curlCommand(topUpRequestOf(platform.apiUrl, key, 'first-abc'))).toBe(
      [
        "curl -sS -X POST 'http://127.0.0.1:8080/v1/topups'",
        `-H 'Authorization: Bearer ${key}'`,
        "-H 'Content-Type: application/json'",
        "-H 'Idempotency-Key: first-abc'",
        `-d '{"phone_number":"+639171234100","currency":"PHP","max_amount":"30"}'`,
      ].join(' \\\n      '),
    );
    expect(curlCommand(findTopUpRequestOf(platform.apiUrl, key, 'first-abc'))).toBe(
      `curl -sS 'http://127.0.0.1:8080/v1/topups?external_id=first-abc' \\\n      -H 'Authorization: Bearer ${key}'`,
    );
    expect(curlCommand({ method: 'GET', url: "http://h/it's", headers: {} })).toBe(`curl -sS 'http://h/it'\\''s'`);
  });
});

describe('nextSteps', () => {
  it('tells where everything runs, the key, the money and the two curls', () => {
    const text = nextSteps(platform);
    expect(text).toContain('  API             http://127.0.0.1:8080  (docs: http://127.0.0.1:8080/docs)\n');
    expect(text).toContain(
      '  console         http://127.0.0.1:8080/console  (the transfer log in a browser: sign in with the API key below)\n',
    );
    expect(text).toContain(`  API key         ${key}\n`);
    expect(text).toContain('  account         demo: funded by an earlier start (nothing added); USD 999.45 available');
    expect(text).toContain(
      '  database        embedded PostgreSQL on 127.0.0.1:54329, data in /repo/tmp/embedded-postgres',
    );
    expect(text).toContain('  messaging       in-process bus, the workers in the API process');
    expect(text).toContain('  DVS simulator   http://127.0.0.1:8089/v1 (credentials made for this run)');
    expect(text).toContain(`  ${curlCommand(topUpRequestOf(platform.apiUrl, key, 'first-abc'))}\n`);
    expect(text).toContain(`  ${curlCommand(findTopUpRequestOf(platform.apiUrl, key, 'first-abc'))}\n`);
  });

  it('shows an admin CLI command that reads the embedded database URL from its file, never the URL', () => {
    const text = nextSteps(platform);
    expect(text).toContain(
      '\n  DATABASE_URL="$(cat tmp/embedded-postgres/database.url)" npm run admin -- key list --account demo\n',
    );
    expect(text).not.toMatch(/postgres:\/\//);
    expect(
      adminExample({ kind: 'embedded', dataDir: '/d', port: 1, urlFile: "/home/o'neil/my data/database.url" }, 'a b'),
    ).toBe(`DATABASE_URL="$(cat '/home/o'\\''neil/my data/database.url')" npm run admin -- key list --account 'a b'`);
  });

  it("points the admin CLI at the user's DATABASE_URL explicitly (another shell would use tmp/services.env), never its password", () => {
    expect(
      adminExample({ kind: 'postgres', url: 'postgres://app:***@db:5432/airtime', passwordHidden: true }, 'demo'),
    ).toBe(`DATABASE_URL='postgres://app:***@db:5432/airtime' npm run admin -- key list --account demo`);
    expect(
      adminExample({ kind: 'postgres', url: 'postgres://app@db:5432/airtime', passwordHidden: false }, 'demo'),
    ).toBe('DATABASE_URL=postgres://app@db:5432/airtime npm run admin -- key list --account demo');
    const withPassword = nextSteps({
      ...platform,
      database: { kind: 'postgres', url: 'postgres://app:***@db:5432/airtime', passwordHidden: true },
    });
    expect(withPassword).toContain(
      "\n  DATABASE_URL='postgres://app:***@db:5432/airtime' npm run admin -- key list --account demo\n",
    );
    expect(withPassword).toContain(
      "with the admin CLI on this start's DATABASE_URL (without it, the admin CLI uses tmp/services.env's database), its password in place of ***:",
    );
    expect(withPassword).not.toContain('(same DATABASE_URL)');
    const withoutPassword = nextSteps({
      ...platform,
      database: { kind: 'postgres', url: 'postgres://app@db:5432/airtime', passwordHidden: false },
    });
    expect(withoutPassword).toContain(
      "with the admin CLI on this start's DATABASE_URL (without it, the admin CLI uses tmp/services.env's database):",
    );
    expect(withoutPassword).toContain(
      '\n  DATABASE_URL=postgres://app@db:5432/airtime npm run admin -- key list --account demo\n',
    );
  });

  it('says when this start deposited the money, and names a PostgreSQL of the user and RabbitMQ', () => {
    const text = nextSteps({
      ...platform,
      account: { ...platform.account, depositedNow: true, available: '1000.00' },
      database: { kind: 'postgres', url: 'postgres://app:***@db:5432/airtime', passwordHidden: true },
      messaging: 'rabbitmq',
    });
    expect(text).toContain('demo: funded with USD 1000.00 now; USD 1000.00 available');
    expect(text).toContain('  database        PostgreSQL postgres://app:***@db:5432/airtime\n');
    expect(text).toContain('  messaging       RabbitMQ (AMQP_URL), the workers in the API process\n');
    expect(text).toContain('Ctrl-C stops the API (it finishes what it is doing), the simulator; a second');
    expect(nextSteps(platform)).toContain('the simulator and the embedded PostgreSQL; a second Ctrl-C kills the API.');
  });
});

describe('demoStatusLine', () => {
  it('shows the class, the detailed status when it says more, and the time since the send', () => {
    expect(demoStatusLine({ id: 't-1', statusId: 'CREATED', statusClass: 'CREATED', elapsedMs: 12 })).toBe(
      'demo top-up t-1: CREATED after 0.0 s',
    );
    expect(demoStatusLine({ id: 't-1', statusId: 'COMPLETED-00000', statusClass: 'COMPLETED', elapsedMs: 3_456 })).toBe(
      'demo top-up t-1: COMPLETED (COMPLETED-00000) after 3.5 s',
    );
  });
});
