import { createTestDatabase, type TestDatabase } from '../../testing/test-database';

const tables = async (db: TestDatabase): Promise<string[]> =>
  (
    (await db.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name`,
    )) as { table_name: string }[]
  ).map((row) => row.table_name);

/** The schema as the catalogue describes it: columns, constraints, indexes, triggers, functions. */
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
    `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`,
  ),
});

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db.drop());

  it('apply to an empty database, revert to empty, and apply again', async () => {
    expect(await tables(db)).toEqual([]);
    const applied = await db.dataSource.runMigrations({ transaction: 'all' });
    expect(applied.map((m) => m.name)).toEqual(['InitialSchema1763900000000']);
    expect(await tables(db)).toEqual([
      'ledger_accounts',
      'ledger_holds',
      'ledger_journal',
      'outbox',
      'processed_messages',
      'provider_products',
      'top_up_attempts',
      'top_ups',
    ]);
    expect(await db.dataSource.showMigrations()).toBe(false);

    await db.dataSource.undoLastMigration({ transaction: 'all' });
    expect(await tables(db)).toEqual([]);
    const functions = await db.dataSource.query(`SELECT 1 FROM pg_proc WHERE proname = 'ledger_journal_append_only'`);
    expect(functions).toEqual([]);

    await db.dataSource.runMigrations({ transaction: 'all' });
    expect(await tables(db)).toHaveLength(8);
  });

  it('down then up (one transaction each, as db:migrate runs them) rebuilds exactly the same schema', async () => {
    const before = await catalogue(db);
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await catalogue(db)).toEqual({ columns: [], constraints: [], indexes: [], triggers: [], functions: [] });
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await catalogue(db)).toEqual(before);
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
