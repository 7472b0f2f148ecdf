import { checkIdentifier, IDENTIFIER_RULES, type IdentifierRule } from '@airtime/domain';
import {
  arbitraryHostileIdentifier,
  arbitraryValidIdentifier,
  FORBIDDEN_IDENTIFIER_CHARACTERS,
  HOSTILE_LEDGER_IDS,
} from '@airtime/domain/testing';
import { Either } from 'effect';
import type { MigrationInterface } from 'typeorm';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { InvisibleIdentifierCharacters1764100000000 } from './1764100000000-invisible-identifier-characters.migration';
import { OutboxSequence1764300000000 } from './1764300000000-outbox-sequence.migration';
import { migrations } from './index';

const tables = async (db: TestDatabase): Promise<string[]> =>
  (
    (await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name`,
    )) as { table_name: string }[]
  ).map((row) => row.table_name);

/** The schema as the catalogue describes it: columns, constraints, indexes, triggers, functions, their bodies, markings and settings. */
const catalogue = async (db: TestDatabase): Promise<unknown> => ({
  columns: await db.dataSource.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, column_name`,
  ),
  constraints: await db.dataSource.query(
    `SELECT conrelid::regclass::text AS on_table, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations' ORDER BY 1, 2`,
  ),
  indexes: await db.dataSource.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`,
  ),
  triggers: await db.dataSource.query(`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`),
  functions: await db.dataSource.query(
    `SELECT proname, prosrc, proisstrict, provolatile, proparallel, proconfig FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`,
  ),
});

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db.drop());

  const undoAll = async (transaction: 'all' | 'each') => {
    for (const _ of migrations) await db.dataSource.undoLastMigration({ transaction });
  };

  /** From every migration applied, undoes the newest ones, `migration` the last of them. */
  const undoDownTo = async (migration: (typeof migrations)[number]) => {
    for (let index = migrations.length - 1; index >= migrations.indexOf(migration); index -= 1)
      await db.dataSource.undoLastMigration({ transaction: 'each' });
  };

  it('apply to an empty database, revert to empty, and apply again', async () => {
    expect(await tables(db)).toEqual([]);
    const applied = await db.dataSource.runMigrations({ transaction: 'all' });
    expect(applied.map((m) => m.name)).toEqual([
      'InitialSchema1763900000000',
      'IdentifierRules1764000000000',
      'InvisibleIdentifierCharacters1764100000000',
      'TopUpFlow1764200000000',
      'OutboxSequence1764300000000',
      'ApiAccess1764400000000',
      'Reconciliation1764500000000',
      'LedgerBatchGuard1764600000000',
      'InlineIdentifierCheck1764700000000',
      'ConsoleSessions1764800000000',
      'TransferLogConsole1764900000000',
      'LedgerBatchWrite1765000000000',
      'LedgerBatchWriteGenericPlan1765100000000',
      'LedgerBatchWriteAccountsFirst1765200000000',
    ]);
    expect(await tables(db)).toEqual([
      'account_callback_secrets',
      'accounts',
      'api_key_accounts',
      'api_keys',
      'callback_deliveries',
      'callback_delivery_tries',
      'console_sessions',
      'ledger_accounts',
      'ledger_holds',
      'ledger_journal',
      'outbox',
      'processed_messages',
      'provider_products',
      'reconciliation_runs',
      'reconciliation_settlements',
      'top_up_attempts',
      'top_up_requests',
      'top_ups',
      'transfer_log',
    ]);
    expect(await db.dataSource.showMigrations()).toBe(false);

    await undoAll('all');
    expect(await tables(db)).toEqual([]);
    const functions = await db.dataSource.query(
      `SELECT 1 FROM pg_proc WHERE proname IN ('ledger_journal_append_only', 'identifier_is_valid', 'append_only_table', 'reconciliation_runs_guard', 'reconciliation_settlements_guard', 'ledger_batch_guard', 'ledger_batch_write', 'ledger_batch_write_v2')`,
    );
    expect(functions).toEqual([]);

    await db.dataSource.runMigrations({ transaction: 'all' });
    expect(await tables(db)).toHaveLength(19);
  });

  it('the batched ledger write is planned with index lookups only, once per connection: both versions of its function turn seq scans, hash and merge joins off and force a generic plan', async () => {
    const migrated = await createTestDatabase();
    const writes = (await migrated.dataSource
      .query(
        `SELECT proname, proconfig FROM pg_proc WHERE proname LIKE 'ledger_batch_write%' AND pronamespace = 'public'::regnamespace ORDER BY proname`,
      )
      .finally(() => migrated.drop())) as { proname: string; proconfig: string[] | null }[];
    const settings = [
      'enable_hashjoin=off',
      'enable_mergejoin=off',
      'enable_seqscan=off',
      'plan_cache_mode=force_generic_plan',
    ];
    expect(writes.map((write) => ({ name: write.proname, settings: [...(write.proconfig ?? [])].sort() }))).toEqual([
      { name: 'ledger_batch_write', settings },
      { name: 'ledger_batch_write_v2', settings },
    ]);
  });

  it('down then up (one transaction each, as db:migrate runs them) rebuilds exactly the same schema', async () => {
    const before = await catalogue(db);
    await undoAll('each');
    expect(await catalogue(db)).toEqual({ columns: [], constraints: [], indexes: [], triggers: [], functions: [] });
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await catalogue(db)).toEqual(before);
  });

  /** The catalogue of a fresh database that has only `applied` run, in order. */
  const catalogueAfter = async (applied: readonly MigrationInterface[]): Promise<unknown> => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const runner = fresh.dataSource.createQueryRunner();
      for (const migration of applied) await migration.up(runner);
      await runner.release();
      return await catalogue(fresh);
    } finally {
      await fresh.drop();
    }
  };

  it('each migration after the first comes and goes on its own: down leaves exactly the schema before it', async () => {
    const withRules = await catalogue(db);
    // newest first: undoing migration i leaves the schema of a fresh database that ran only those before it
    for (let count = migrations.length - 1; count >= 1; count -= 1) {
      await db.dataSource.undoLastMigration({ transaction: 'each' });
      expect(await catalogue(db)).toEqual(
        await catalogueAfter(migrations.slice(0, count).map((Migration) => new Migration())),
      );
    }
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await catalogue(db)).toEqual(withRules);
  });

  it('the invisible-character rule checks the rows already stored, and names the constraint they break', async () => {
    await db.dataSource.runMigrations({ transaction: 'each' });
    await undoDownTo(InvisibleIdentifierCharacters1764100000000);
    await db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent) VALUES ($1, 'KES', 2)`,
      ['\u3164'],
    );
    await expect(db.dataSource.runMigrations({ transaction: 'each' })).rejects.toThrow(
      /ledger_accounts_account_id_valid/,
    );
    expect(await db.dataSource.showMigrations()).toBe(true);
    await db.dataSource.query(`DELETE FROM ledger_accounts WHERE account_id = $1`, ['\u3164']);
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('numbers the outbox rows already stored in the order the relay used, (occurred_at, id), and new rows after them', async () => {
    await db.dataSource.runMigrations({ transaction: 'each' });
    await undoDownTo(OutboxSequence1764300000000);
    const insert = (id: string, occurredAt: string) =>
      db.dataSource.query(
        `INSERT INTO outbox (id, type, aggregate_id, payload, occurred_at) VALUES ($1, 'topup.created', 'agg', '{}', $2)`,
        [id, occurredAt],
      );
    await insert('old-c', '2026-01-01T00:00:02Z');
    await insert('old-b', '2026-01-01T00:00:01Z');
    await insert('old-a', '2026-01-01T00:00:02Z');
    await db.dataSource.runMigrations({ transaction: 'each' });
    await insert('new-z', '2025-01-01T00:00:00Z');
    const order = (await db.dataSource.query(`SELECT id, sequence::int AS sequence FROM outbox ORDER BY sequence`)) as {
      id: string;
      sequence: number;
    }[];
    expect(order).toEqual([
      { id: 'old-b', sequence: 1 },
      { id: 'old-a', sequence: 2 },
      { id: 'old-c', sequence: 3 },
      { id: 'new-z', sequence: 4 },
    ]);
    // numbered by the database only
    await expect(
      db.dataSource.query(
        `INSERT INTO outbox (id, type, aggregate_id, payload, occurred_at, sequence) VALUES ('x', 't', 'agg', '{}', now(), 99)`,
      ),
    ).rejects.toThrow(/sequence/);
    const [plan] = (await db.dataSource.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'outbox' AND indexname = 'outbox_unsent_in_order'`,
    )) as { indexdef: string }[];
    expect(plan?.indexdef).toMatch(/\(sequence\) WHERE \(sent_at IS NULL\)/);
    await db.dataSource.query(`DELETE FROM outbox`);
  });

  it('keeps the journal append-only and a hold settled once', async () => {
    await db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent) VALUES ('a', 'KES', 2)`,
    );
    await db.dataSource.query(
      `INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
       VALUES ('a', 'KES', 'd1', 'DEPOSIT', 0, 0, 0)`,
    );
    await expect(db.dataSource.query(`UPDATE ledger_journal SET amount_minor = 5`)).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM ledger_journal`)).rejects.toThrow(/append-only/);
    const settle = (kind: string) =>
      db.dataSource.query(
        `INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
         VALUES ('a', 'KES', 'tx-1', $1, 0, 0, 0)`,
        [kind],
      );
    await settle('VOID');
    await expect(settle('CAPTURE')).rejects.toThrow(/ledger_journal_settled_once/);
  });

  it('refuses balances that break the ledger rules at the database too', async () => {
    await expect(
      db.dataSource.query(`UPDATE ledger_accounts SET available_minor = -1, funded_minor = -1 WHERE account_id = 'a'`),
    ).rejects.toThrow(/ledger_accounts_within_credit/);
    await expect(
      db.dataSource.query(`UPDATE ledger_accounts SET available_minor = 10 WHERE account_id = 'a'`),
    ).rejects.toThrow(/ledger_accounts_balanced/);
  });
});

describe('the identifier rule at the database (CHECK constraints)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent) VALUES ('a', 'KES', 2)`,
    );
    await db.dataSource.query(
      `INSERT INTO top_ups (id, account_id, external_id, destination_e164, destination_country, status_class, status,
                            product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote,
                            created_at, updated_at)
       VALUES ('tu-1', 'a', 'order-1', '+254711000111', 'KE', 'CREATED', 'CREATED', 'p', 'o', 1, 'KES', 1, 'USD', '{}', now(), now())`,
    );
  });
  afterAll(async () => db.drop());

  /** Writes a row whose identifier column is `value`, the rest valid; resolves with the error text or 'stored'. */
  const writers: Record<string, (value: string) => Promise<unknown>> = {
    ledger_accounts_account_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO ledger_accounts (account_id, currency, currency_exponent) VALUES ($1, 'USD', 2)`,
        [value],
      ),
    ledger_holds_transaction_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO ledger_holds (transaction_id, account_id, currency, amount_minor, status) VALUES ($1, 'a', 'KES', 1, 'HELD')`,
        [value],
      ),
    ledger_journal_reference_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
         VALUES ('a', 'KES', $1, 'DEPOSIT', 0, 0, 0)`,
        [value],
      ),
    top_ups_account_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO top_ups (id, account_id, external_id, destination_e164, destination_country, status_class, status,
                              product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote,
                              created_at, updated_at)
         VALUES (gen_random_uuid()::text, $1, 'order-2', '+254711000111', 'KE', 'CREATED', 'CREATED', 'p', 'o', 1, 'KES', 1, 'USD', '{}', now(), now())`,
        [value],
      ),
    top_ups_external_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO top_ups (id, account_id, external_id, destination_e164, destination_country, status_class, status,
                              product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote,
                              created_at, updated_at)
         VALUES (gen_random_uuid()::text, 'a', $1, '+254711000111', 'KE', 'CREATED', 'CREATED', 'p', 'o', 1, 'KES', 1, 'USD', '{}', now(), now())`,
        [value],
      ),
    top_up_attempts_provider_external_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO top_up_attempts (top_up_id, number, provider_external_id, state, started_at, updated_at)
         VALUES ('tu-1', (SELECT coalesce(max(number), 0) + 1 FROM top_up_attempts WHERE top_up_id = 'tu-1'), $1, 'InFlight', now(), now())`,
        [value],
      ),
    top_up_requests_account_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO top_up_requests (top_up_id, account_id, external_id, request, callback_token)
         VALUES ('tu-1', $1, 'order-1', '{}', 'token-0123456789abcdef')`,
        [value],
      ),
    top_up_requests_external_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO top_up_requests (top_up_id, account_id, external_id, request, callback_token)
         VALUES ('tu-1', 'a', $1, '{}', 'token-0123456789abcdef')`,
        [value],
      ),
    transfer_log_reference_valid: (value) =>
      db.dataSource.query(`INSERT INTO transfer_log (provider, reference, record) VALUES ('dtone', $1, '{}')`, [value]),
    callback_deliveries_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO callback_deliveries (id, event_id, top_up_id, account_id, url, body, next_attempt_at, created_at)
         VALUES ($1, gen_random_uuid()::text, 'tu-1', 'a', 'https://example.com/cb', '{}', now(), now())`,
        [value],
      ),
    callback_deliveries_account_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO callback_deliveries (id, event_id, top_up_id, account_id, url, body, next_attempt_at, created_at)
         VALUES (gen_random_uuid()::text, gen_random_uuid()::text, 'tu-1', $1, 'https://example.com/cb', '{}', now(), now())`,
        [value],
      ),
    accounts_id_valid: (value) =>
      db.dataSource.query(`INSERT INTO accounts (id, name, created_at) VALUES ($1, 'Team', now())`, [value]),
    account_callback_secrets_account_id_valid: (value) =>
      db.dataSource.query(
        `INSERT INTO account_callback_secrets (account_id, secret) VALUES ($1, 'a-secret-of-16-chars')`,
        [value],
      ),
  };

  // the invisible identifiers of issue 8: Hangul filler, Braille blank, Hangul choseong filler
  // inside, a variation selector, a noncharacter, a combining mark first
  const INVISIBLE_IDENTIFIERS = ['\u3164', '\u2800', 'a\u115Fb', 'order\uFE0F', 'order\uFFFF', '\u0301order'];

  /** `value` for a test name: printable ASCII as it is, any other character as <U+XXXX>. */
  const codePoints = (value: string): string =>
    [...value]
      .map((c) =>
        /^[!-~]$/.test(c) ? c : `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
      )
      .join('');

  // what a text column can hold at all: no NUL, no lone surrogate
  const storable = (value: string) => !value.includes('\u0000') && !/\p{Cs}/u.test(value);
  const hostile = [
    ...HOSTILE_LEDGER_IDS,
    ...FORBIDDEN_IDENTIFIER_CHARACTERS.map((character) => `id${character}1`),
    'acct\u202egpj.exe',
    'd'.repeat(100_000),
    ...INVISIBLE_IDENTIFIERS,
  ].filter(storable);

  it.each(Object.keys(writers))('%s: rows with bad identifiers written with SQL are refused', async (constraint) => {
    const write = writers[constraint] as (value: string) => Promise<unknown>;
    for (const value of hostile) {
      await expect(write(value)).rejects.toThrow(new RegExp(constraint));
    }
  });

  it('an 8,000-character deposit id fails on its CHECK, not late on the index size (54000)', async () => {
    await expect(writers['ledger_journal_reference_valid']?.('d'.repeat(8_000))).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '23514', constraint: 'ledger_journal_reference_valid' }),
    });
  });

  it.each(INVISIBLE_IDENTIFIERS.map((value) => [codePoints(value), value]))(
    'refuses the invisible identifier %s as a deposit id, an account id and an external id',
    async (_, value) => {
      await expect(writers['ledger_journal_reference_valid']?.(value)).rejects.toThrow(
        /ledger_journal_reference_valid/,
      );
      await expect(writers['ledger_accounts_account_id_valid']?.(value)).rejects.toThrow(
        /ledger_accounts_account_id_valid/,
      );
      await expect(writers['top_ups_external_id_valid']?.(value)).rejects.toThrow(/top_ups_external_id_valid/);
    },
  );

  it('takes a combining mark after its base character', async () => {
    await expect(writers['ledger_accounts_account_id_valid']?.('cafe\u0301')).resolves.toBeDefined();
    await expect(writers['top_ups_external_id_valid']?.('order-\u0915\u093f')).resolves.toBeDefined();
  });

  it('keeps the transfer log and the callback tries append-only', async () => {
    await db.dataSource.query(`INSERT INTO transfer_log (provider, reference, record) VALUES ('dtone', 'ref-1', '{}')`);
    await expect(db.dataSource.query(`UPDATE transfer_log SET provider = 'x'`)).rejects.toThrow(
      /transfer_log is append-only/,
    );
    await expect(db.dataSource.query(`DELETE FROM transfer_log`)).rejects.toThrow(/transfer_log is append-only/);
    await db.dataSource.query(
      `INSERT INTO callback_deliveries (id, event_id, top_up_id, account_id, url, body, next_attempt_at, created_at)
       VALUES ('d-append', 'e-append', 'tu-1', 'a', 'https://example.com/cb', '{}', now(), now())`,
    );
    await db.dataSource.query(
      `INSERT INTO callback_delivery_tries (delivery_id, number, at, duration_ms, status) VALUES ('d-append', 1, now(), 5, 500)`,
    );
    await expect(db.dataSource.query(`UPDATE callback_delivery_tries SET status = 200`)).rejects.toThrow(
      /callback_delivery_tries is append-only/,
    );
    await expect(db.dataSource.query(`DELETE FROM callback_delivery_tries`)).rejects.toThrow(
      /callback_delivery_tries is append-only/,
    );
  });

  it('a callback delivery is pending with a next try, or settled once (delivered or abandoned) with none', async () => {
    const insert = (id: string, next: string, delivered: string, abandoned: string, url = 'https://example.com/cb') =>
      db.dataSource.query(
        `INSERT INTO callback_deliveries (id, event_id, top_up_id, account_id, url, body, next_attempt_at, delivered_at, abandoned_at, created_at)
         VALUES ($1, $1, 'tu-1', 'a', $2, '{}', ${next}, ${delivered}, ${abandoned}, now())`,
        [id, url],
      );
    await expect(insert('p1', 'NULL', 'NULL', 'NULL')).rejects.toThrow(/callback_deliveries_pending_scheduled/);
    await expect(insert('p2', 'now()', 'now()', 'NULL')).rejects.toThrow(/callback_deliveries_pending_scheduled/);
    await expect(insert('p3', 'NULL', 'now()', 'now()')).rejects.toThrow(/callback_deliveries_settled_once/);
    await expect(insert('p4', 'now()', 'NULL', 'NULL', 'ftp://example.com/cb')).rejects.toThrow(
      /callback_deliveries_url_valid/,
    );
    await expect(insert('p5', 'now()', 'NULL', 'NULL', 'https://example.com/a b')).rejects.toThrow(
      /callback_deliveries_url_valid/,
    );
    await expect(insert('p6', 'now()', 'NULL', 'NULL')).resolves.toBeDefined();
    await expect(insert('p7', 'NULL', 'now()', 'NULL')).resolves.toBeDefined();
    await expect(insert('p8', 'NULL', 'NULL', 'now()')).resolves.toBeDefined();
  });

  it('account names and key labels are 1..200 characters with no control character', async () => {
    const writeName = (value: string) =>
      db.dataSource.query(`INSERT INTO accounts (id, name, created_at) VALUES (gen_random_uuid()::text, $1, now())`, [
        value,
      ]);
    const writeLabel = (value: string) =>
      db.dataSource.query(
        `INSERT INTO api_keys (id, prefix, secret_hash, label, created_at)
         VALUES (gen_random_uuid(), substr(md5(random()::text), 1, 12), repeat('ab', 32), $1, now())`,
        [value],
      );
    const controls = [
      ...Array.from({ length: 0x1f }, (_, index) => index + 1),
      ...Array.from({ length: 0x21 }, (_, index) => 0x7f + index),
    ];
    const refused = ['', 'x'.repeat(201), ...controls.map((cp) => `Team${String.fromCodePoint(cp)}1`), '\u001b[31mred'];
    for (const value of refused) {
      await expect(writeName(value)).rejects.toThrow(/accounts_name_valid/);
      await expect(writeLabel(value)).rejects.toThrow(/api_keys_label_valid/);
    }
    // emoji sequences keep their zero-width joiners and variation selectors; 200 astral characters fit
    for (const value of [
      'Team Growth (Kenya)',
      'x'.repeat(200),
      'Équipe café \u{1F469}\u200D\u{1F4BB} \u2764\uFE0F',
      '\u{1F680}'.repeat(200),
    ]) {
      await expect(writeName(value)).resolves.toBeDefined();
      await expect(writeLabel(value)).resolves.toBeDefined();
    }
  });

  it('an API key has a 12-hex prefix held by no other key, a SHA-256 hex hash, and accounts of the directory', async () => {
    await db.dataSource.query(`INSERT INTO accounts (id, name, created_at) VALUES ('team-a', 'Team A', now())`);
    const insertKey = (id: string, prefix: string, hash = 'ab'.repeat(32)) =>
      db.dataSource.query(
        `INSERT INTO api_keys (id, prefix, secret_hash, label, created_at) VALUES ($1, $2, $3, 'ops', now())`,
        [id, prefix, hash],
      );
    const key = '018f0000-0000-7000-8000-000000000001';
    await insertKey(key, '0123456789ab');
    await expect(insertKey('018f0000-0000-7000-8000-000000000002', '0123456789ab')).rejects.toThrow(
      /api_keys_prefix_once/,
    );
    for (const prefix of ['0123456789AB', '0123456789a', '0123456789abc', 'g123456789ab', '']) {
      await expect(insertKey('018f0000-0000-7000-8000-000000000003', prefix)).rejects.toThrow(/api_keys_prefix_valid/);
    }
    for (const hash of ['AB'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33), `${'ab'.repeat(31)}zz`]) {
      await expect(insertKey('018f0000-0000-7000-8000-000000000003', 'ba9876543210', hash)).rejects.toThrow(
        /api_keys_secret_hash_valid/,
      );
    }
    await expect(insertKey('not-a-uuid', 'ba9876543210')).rejects.toThrow(/uuid/);
    const scope = (account: string, position: number) =>
      db.dataSource.query(`INSERT INTO api_key_accounts (api_key_id, account_id, position) VALUES ($1, $2, $3)`, [
        key,
        account,
        position,
      ]);
    await scope('team-a', 1);
    await expect(scope('team-a', 2)).rejects.toThrow(/api_key_accounts_pkey/);
    await expect(scope('team-unknown', 2)).rejects.toThrow(/api_key_accounts_account_id_fkey/);
    await db.dataSource.query(`INSERT INTO accounts (id, name, created_at) VALUES ('team-b', 'Team B', now())`);
    await expect(scope('team-b', 1)).rejects.toThrow(/api_key_accounts_position_once/);
    await expect(scope('team-b', 0)).rejects.toThrow(/api_key_accounts_position_check/);
  });

  it('external ids refuse an inner space; the other identifiers take one', async () => {
    await expect(writers['top_ups_external_id_valid']?.('order 3')).rejects.toThrow(/top_ups_external_id_valid/);
    await expect(writers['ledger_accounts_account_id_valid']?.('team growth')).resolves.toBeDefined();
  });

  /** The code points the database refuses in `before || chr(cp) || after`, surrogates left out. */
  const databaseRefuses = async (space: boolean, before: string, after: string): Promise<number[]> =>
    (
      (await db.dataSource.query(
        `SELECT cp FROM generate_series(1, 1114111) AS cp
          WHERE cp NOT BETWEEN 55296 AND 57343 AND NOT identifier_is_valid($2 || chr(cp) || $3, 100, $1)
          ORDER BY cp`,
        [space, before, after],
      )) as { cp: number }[]
    ).map((row) => row.cp);

  /** The code points the domain refuses in `${before}${character}${after}`, surrogates left out. */
  const domainRefuses = (rule: IdentifierRule, before: string, after: string): number[] => {
    const refused: number[] = [];
    for (let cp = 1; cp <= 0x10ffff; cp += 1) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (Either.isLeft(checkIdentifier(rule, `${before}${String.fromCodePoint(cp)}${after}`))) refused.push(cp);
    }
    return refused;
  };

  it('refuses exactly the characters the domain refuses, code point by code point', async () => {
    expect(await databaseRefuses(true, 'a', 'b')).toEqual(domainRefuses(IDENTIFIER_RULES.ACCOUNT_ID, 'a', 'b'));
    expect(await databaseRefuses(false, 'a', 'b')).toEqual(domainRefuses(IDENTIFIER_RULES.EXTERNAL_ID, 'a', 'b'));
  });

  it('refuses exactly the first characters the domain refuses (combining marks), code point by code point', async () => {
    expect(await databaseRefuses(true, '', 'b')).toEqual(domainRefuses(IDENTIFIER_RULES.ACCOUNT_ID, '', 'b'));
    expect(await databaseRefuses(false, '', 'b')).toEqual(domainRefuses(IDENTIFIER_RULES.EXTERNAL_ID, '', 'b'));
  });

  it('counts code points as the domain does: 40 emoji are an external id, 41 are not', async () => {
    for (const [value, maxLength, spaceInside] of [
      ['😀'.repeat(40), 40, false],
      ['😀'.repeat(41), 40, false],
      ['字😀'.repeat(50), 100, true],
      ['字😀'.repeat(50) + 'x', 100, true],
    ] as const) {
      const rows = (await db.dataSource.query(`SELECT identifier_is_valid($1, $2, $3) AS ok`, [
        value,
        maxLength,
        spaceInside,
      ])) as { ok: boolean }[];
      const rule = Object.values(IDENTIFIER_RULES).find(
        (r) => r.maxLength === maxLength && r.spaceInside === spaceInside,
      );
      expect(rule).toBeDefined();
      expect(rows[0]?.ok).toBe(rule !== undefined && Either.isRight(checkIdentifier(rule, value)));
      expect(rows[0]?.ok).toBe([...value].length <= maxLength);
    }
  });

  it('agrees with the domain on valid and hostile identifiers of every kind (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...Object.values(IDENTIFIER_RULES))
          .chain((rule) =>
            fc.tuple(
              fc.constant(rule),
              fc.array(fc.oneof(arbitraryValidIdentifier(rule), arbitraryHostileIdentifier(rule)), { maxLength: 40 }),
            ),
          ),
        async ([rule, values]) => {
          const stored = values.filter(storable);
          const verdicts = (await db.dataSource.query(
            `SELECT identifier_is_valid(value, $2, $3) AS ok FROM unnest($1::text[]) WITH ORDINALITY AS v(value, n) ORDER BY n`,
            [stored, rule.maxLength, rule.spaceInside],
          )) as { ok: boolean }[];
          stored.forEach((value, index) => {
            // both count code points: they agree on every value, emoji-long ones included
            expect(verdicts[index]?.ok).toBe(Either.isRight(checkIdentifier(rule, value)));
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
