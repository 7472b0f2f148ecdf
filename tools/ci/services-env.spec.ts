// tmp/services.env reaches tests and tools: known keys only, the environment wins.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { parseServicesEnv, loadServicesEnv } = require('./services-env.js') as {
  parseServicesEnv: (text: string) => Record<string, string>;
  loadServicesEnv: (file: string, environment: Record<string, string | undefined>) => string[];
};

const fileWith = (text: string): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'services-env-')), 'services.env');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};

const SAMPLE = [
  '# written by tools/ci/ensure-services.sh',
  'DATABASE_URL=postgres://airtime_test:0a1b@127.0.0.1:5432/airtime_test',
  'AMQP_URL=amqp://guest:guest@127.0.0.1:5672',
  'NODE_OPTIONS=--inspect',
  '',
].join('\n');

describe('services env file', () => {
  it('reads the two service URLs and nothing else', () => {
    expect(parseServicesEnv(SAMPLE)).toEqual({
      DATABASE_URL: 'postgres://airtime_test:0a1b@127.0.0.1:5432/airtime_test',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    });
  });

  it('fills unset variables and never overrides one the environment sets', () => {
    const environment: Record<string, string | undefined> = { AMQP_URL: 'amqp://other:5673' };
    expect(loadServicesEnv(fileWith(SAMPLE), environment)).toEqual(['DATABASE_URL']);
    expect(environment).toEqual({
      AMQP_URL: 'amqp://other:5673',
      DATABASE_URL: 'postgres://airtime_test:0a1b@127.0.0.1:5432/airtime_test',
    });
  });

  it('changes nothing when the file is missing', () => {
    const environment: Record<string, string | undefined> = {};
    expect(loadServicesEnv(path.join(tmpdir(), 'no-such-dir-services', 'services.env'), environment)).toEqual([]);
    expect(environment).toEqual({});
  });

  it('is loaded by the jest preset, through SERVICES_ENV_FILE, in a fresh process', () => {
    const preset = path.join(__dirname, '..', '..', 'jest.preset.js');
    const { DATABASE_URL: _database, AMQP_URL: _amqp, ...rest } = process.env;
    const printed = execFileSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(preset)}); console.log(process.env.DATABASE_URL, process.env.AMQP_URL)`],
      { env: { ...rest, SERVICES_ENV_FILE: fileWith(SAMPLE) }, encoding: 'utf8' },
    );
    expect(printed.trim()).toBe(
      'postgres://airtime_test:0a1b@127.0.0.1:5432/airtime_test amqp://guest:guest@127.0.0.1:5672',
    );
  });
});
