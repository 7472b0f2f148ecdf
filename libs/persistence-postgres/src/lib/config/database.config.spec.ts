import { Either } from 'effect';
import { databaseConfigFrom, DEFAULT_DATABASE_URL, redactUrl } from './database.config';

describe('database configuration', () => {
  it('has defaults for a local server', () => {
    expect(Either.getOrThrow(databaseConfigFrom({}))).toEqual({
      url: DEFAULT_DATABASE_URL,
      poolSize: 10,
      statementTimeoutMs: 5_000,
      connectTimeoutMs: 5_000,
      idleInTransactionTimeoutMs: 60_000,
      migrateOnStart: false,
    });
  });

  it('reads every setting from the environment', () => {
    const config = databaseConfigFrom({
      DATABASE_URL: 'postgresql://app:s3cret@db.internal:6432/airtime',
      DATABASE_POOL_SIZE: '40',
      DATABASE_STATEMENT_TIMEOUT_MS: '2500',
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '30000',
      DATABASE_MIGRATE_ON_START: 'true',
      UNRELATED: 'ignored',
    });
    expect(Either.getOrThrow(config)).toEqual({
      url: 'postgresql://app:s3cret@db.internal:6432/airtime',
      poolSize: 40,
      statementTimeoutMs: 2_500,
      connectTimeoutMs: 1_500,
      idleInTransactionTimeoutMs: 30_000,
      migrateOnStart: true,
    });
  });

  it('refuses bad values with a typed error naming the variable, never the secret', () => {
    const result = databaseConfigFrom({
      DATABASE_URL: 'mysql://root:hunter2@x/y',
      DATABASE_POOL_SIZE: 'many',
      DATABASE_MIGRATE_ON_START: 'yes',
    });
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toMatchObject({ _tag: 'InvalidDatabaseConfig', code: 'INVALID_DATABASE_CONFIG' });
      expect(result.left.reason).toMatch(/DATABASE_URL/);
      expect(result.left.reason).toMatch(/DATABASE_POOL_SIZE/);
      expect(result.left.reason).toMatch(/DATABASE_MIGRATE_ON_START/);
      expect(result.left.message).not.toMatch(/hunter2/);
    }
    expect(Either.isLeft(databaseConfigFrom({ DATABASE_POOL_SIZE: '0' }))).toBe(true);
    expect(Either.isLeft(databaseConfigFrom({ DATABASE_STATEMENT_TIMEOUT_MS: '1.5' }))).toBe(true);
  });

  it('says what each bad variable expects, once, never its value', () => {
    const result = databaseConfigFrom({
      DATABASE_CONNECT_TIMEOUT_MS: '-5',
      DATABASE_POOL_SIZE: 'abc',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'hello',
    });
    expect(Either.isLeft(result) && result.left.reason.split('; ')).toEqual([
      'DATABASE_POOL_SIZE: expected an integer from 1 to 500',
      'DATABASE_CONNECT_TIMEOUT_MS: expected an integer from 100 to 600000 (milliseconds)',
      'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: expected an integer from 1000 to 3600000 (milliseconds)',
    ]);
  });

  it('masks a password holding a raw @ whole (the authority ends at its last @, as the driver reads it)', () => {
    expect(redactUrl('postgres://app:s3cr@t-pa55@h:1/x')).toBe('postgres://app:***@h:1/x');
    expect(redactUrl('postgres://app:a@b@c@h:1')).toBe('postgres://app:***@h:1');
    // an @ past the authority (in the path or the query) is not part of the password
    expect(redactUrl('postgres://app:s3cret@h:1/x?application_name=ops@night')).toBe(
      'postgres://app:***@h:1/x?application_name=ops@night',
    );
    expect(redactUrl('postgres://app:s3cr@t@h:1/x?application_name=ops@night')).not.toContain('t@h');
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(redactUrl('postgres://app@db:5432/x?sslmode=require&password=s3cret&application_name=a')).toBe(
      'postgres://app@db:5432/x?sslmode=require&password=***&application_name=a',
    );
    expect(redactUrl('postgres://app@db/x?PASSWORD=s3cret')).toBe('postgres://app@db/x?PASSWORD=***');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe(
      'postgres://postgres@127.0.0.1:5432/postgres',
    );
  });
});
