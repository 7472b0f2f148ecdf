import { Either } from 'effect';
import { LOCAL_SIMULATOR_DVS_URL } from '@airtime/platform-runtime';
import { reconcilerConfigFrom } from './reconciler.config';

const given = {
  DATABASE_URL: 'postgres://app:pw@db:5432/airtime',
  DTONE_API_KEY: 'key-123',
  DTONE_API_SECRET: 'very-secret-value',
};

const problemsOf = (environment: Record<string, string | undefined>, providerId?: string): readonly string[] => {
  const result = reconcilerConfigFrom(environment, providerId);
  if (Either.isRight(result)) throw new Error('expected the configuration to be refused');
  return result.left.problems;
};

describe('reconcilerConfigFrom', () => {
  it('defaults: the DT One adapter at the local simulator, 15 min before settling, 24 h before a decision', () => {
    const config = Either.getOrThrow(reconcilerConfigFrom(given));
    expect(config.provider).toMatchObject({ kind: 'simulator-http', dvs: { baseUrl: LOCAL_SIMULATOR_DVS_URL } });
    expect(config).toMatchObject({
      database: { url: 'postgres://app:pw@db:5432/airtime', statementTimeoutMs: 60_000, migrateOnStart: false },
      settleAfterMs: 900_000,
      decisionAfterMs: 86_400_000,
      reportDir: 'reports/reconciliation',
      pushgatewayUrl: undefined,
      // a command line: warnings and errors unless LOG_LEVEL says otherwise
      logLevel: 'warn',
      clockScale: 1,
    });
  });

  it('reads every setting it is given', () => {
    const config = Either.getOrThrow(
      reconcilerConfigFrom({
        ...given,
        PROVIDER: 'dtone',
        DTONE_BASE_URL: 'https://dvs.example.com/v1/',
        DATABASE_STATEMENT_TIMEOUT_MS: '5000',
        RECONCILE_SETTLE_AFTER_MS: '0',
        RECONCILE_DECISION_AFTER_MS: '3600000',
        RECONCILE_REPORT_DIR: '/var/lib/airtime/reports',
        PUSHGATEWAY_URL: 'http://pushgateway:9091/',
        LOG_LEVEL: 'warn',
      }),
    );
    expect(config).toMatchObject({
      provider: { kind: 'dtone', dvs: { baseUrl: 'https://dvs.example.com/v1' } },
      database: { statementTimeoutMs: 5_000 },
      settleAfterMs: 0,
      decisionAfterMs: 3_600_000,
      reportDir: '/var/lib/airtime/reports',
      pushgatewayUrl: 'http://pushgateway:9091',
      logLevel: 'warn',
    });
  });

  it('refuses the in-process simulator: it knows no transaction of ours, so a run would be a false MATCHED', () => {
    expect(problemsOf({ DATABASE_URL: given.DATABASE_URL, PROVIDER: 'simulator', SIMULATOR_TIME_SCALE: '0' })).toEqual([
      'PROVIDER: the in-process simulator has no books to reconcile; use simulator-http or dtone',
    ]);
  });

  it('requires DATABASE_URL: the books to reconcile are never a default', () => {
    expect(problemsOf({ ...given, DATABASE_URL: undefined })).toEqual([
      'DATABASE_URL: required, postgres://user@host:port/database (the books to reconcile)',
    ]);
    expect(problemsOf({ ...given, DATABASE_URL: '' })).toHaveLength(1);
  });

  it('lists every bad variable at once, with what it expects, never echoing a value', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://root:s3cr3t@db/x',
      PROVIDER: 'dtone',
      DTONE_API_KEY: 'key',
      DTONE_API_SECRET: 'has a s3cr3t space',
      LOG_LEVEL: 'loud',
      RECONCILE_SETTLE_AFTER_MS: 'soon',
      RECONCILE_DECISION_AFTER_MS: '-1',
      RECONCILE_REPORT_DIR: '   ',
      PUSHGATEWAY_URL: 'http://user:s3cr3t@gateway:9091',
    });
    expect(problems.map((line) => line.split(':')[0])).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'DTONE_API_SECRET',
      'RECONCILE_SETTLE_AFTER_MS',
      'RECONCILE_DECISION_AFTER_MS',
      'RECONCILE_REPORT_DIR',
      'PUSHGATEWAY_URL',
    ]);
    expect(problems).toContain(
      'RECONCILE_SETTLE_AFTER_MS: expected an integer from 0 to 2592000000 (ms, up to 30 days)',
    );
    expect(problems.join('; ')).not.toMatch(/s3cr3t|mysql|loud|soon|-1/);
  });

  it('refuses settle and decision ages out of range or not whole', () => {
    for (const value of ['2592000001', '1.5', '15 min']) {
      expect(problemsOf({ ...given, RECONCILE_SETTLE_AFTER_MS: value })).toEqual([
        'RECONCILE_SETTLE_AFTER_MS: expected an integer from 0 to 2592000000 (ms, up to 30 days)',
      ]);
    }
    expect(problemsOf({ ...given, RECONCILE_DECISION_AFTER_MS: '7776000001' })).toEqual([
      'RECONCILE_DECISION_AFTER_MS: expected an integer from 0 to 7776000000 (ms, up to 90 days)',
    ]);
  });

  it('takes an empty variable as unset', () => {
    const config = Either.getOrThrow(
      reconcilerConfigFrom({ ...given, RECONCILE_REPORT_DIR: '', PUSHGATEWAY_URL: '', RECONCILE_SETTLE_AFTER_MS: '' }),
    );
    expect(config).toMatchObject({
      reportDir: 'reports/reconciliation',
      pushgatewayUrl: undefined,
      settleAfterMs: 900_000,
    });
  });

  describe("for --provider africastalking or engagespark (that provider's own adapter)", () => {
    const base = { DATABASE_URL: given.DATABASE_URL };

    it("decodes that provider's variables, and needs no DT One keys", () => {
      const at = Either.getOrThrow(
        reconcilerConfigFrom(
          { ...base, AFRICASTALKING_USERNAME: 'sandbox', AFRICASTALKING_API_KEY: 'atsk_key' },
          'africastalking',
        ),
      );
      expect(at.provider).toMatchObject({
        kind: 'africastalking',
        config: { username: 'sandbox', baseUrl: 'https://api.sandbox.africastalking.com' },
      });
      expect(at).toMatchObject({ settleAfterMs: 900_000, logLevel: 'warn' });
      const es = Either.getOrThrow(
        reconcilerConfigFrom({ ...base, ENGAGESPARK_ORG_ID: 'org-1', ENGAGESPARK_TOKEN: 'token' }, 'engagespark'),
      );
      expect(es.provider).toMatchObject({ kind: 'engagespark', config: { orgId: 'org-1' } });
      // PROVIDER is the process's other provider: not read for these
      expect(
        Either.isRight(
          reconcilerConfigFrom(
            { ...base, PROVIDER: 'simulator', ENGAGESPARK_ORG_ID: 'org-1', ENGAGESPARK_TOKEN: 'token' },
            'engagespark',
          ),
        ),
      ).toBe(true);
    });

    it('lists their missing variables by name, never a value', () => {
      expect(problemsOf({ ...base, AFRICASTALKING_API_KEY: 's3cr3t' }, 'africastalking')).toEqual([
        'AFRICASTALKING_USERNAME is required',
      ]);
      const problems = problemsOf({ ...base, ENGAGESPARK_ORG_ID: 'has space', LOG_LEVEL: 'loud' }, 'engagespark');
      expect(problems.map((problem) => problem.split(/[: ]/)[0])).toEqual([
        'LOG_LEVEL',
        'ENGAGESPARK_ORG_ID',
        'ENGAGESPARK_TOKEN',
      ]);
      expect(problems.join('; ')).not.toMatch(/has space|loud/);
    });

    it("reads PROVIDER and DT One for any other id (the mismatch is the runner's to tell)", () => {
      expect(Either.getOrThrow(reconcilerConfigFrom(given, 'dtone')).provider.kind).toBe('simulator-http');
      expect(Either.getOrThrow(reconcilerConfigFrom(given, 'reloadly')).provider.kind).toBe('simulator-http');
    });
  });
});
