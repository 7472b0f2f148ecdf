// npm run ledger:fund as a user runs it (the script's tsx command line), on
// databases of this file's own: a deposit opens and funds the account, the
// same command again adds nothing, another deposit id adds; an account with
// no account record (the admin CLI's account create) is funded with a note
// saying how to make it; a known deposit
// id with another amount is refused; an unmigrated database is left as it
// is with the advice to migrate; the database password is never printed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';

const workspaceRoot = path.resolve(__dirname, '../..');
const execute = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run ledger:fund -- ...args` with DATABASE_URL set to `url`. */
const fund = async (url: string, args: readonly string[]): Promise<Outcome> => {
  const command = [
    '--tsconfig',
    'tools/tsconfig.json',
    '--require',
    './tools/ci/services-env.js',
    'tools/ledger/fund.ts',
    ...args,
  ];
  try {
    const { stdout, stderr } = await execute(path.join(workspaceRoot, 'node_modules/.bin/tsx'), command, {
      cwd: workspaceRoot,
      env: { ...process.env, DATABASE_URL: url },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
};

const acme = (depositId: string, amount: string, ...more: string[]): string[] => [
  '--account',
  'acme',
  '--currency',
  'USD',
  '--amount',
  amount,
  '--deposit-id',
  depositId,
  ...more,
];

let database: TestDatabase;
let unmigrated: TestDatabase;

beforeAll(async () => {
  [database, unmigrated] = await Promise.all([
    createTestDatabase({ poolSize: 2 }),
    createTestDatabase({ migrate: false, poolSize: 1 }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([database?.drop(), unmigrated?.drop()]);
});

const balances = async () =>
  (await database.dataSource.query(
    `SELECT available_minor::text AS available, funded_minor::text AS funded, credit_limit_minor::text AS limit
       FROM ledger_accounts WHERE account_id = 'acme' AND currency = 'USD'`,
  )) as { available: string; funded: string; limit: string }[];

const deposits = async () =>
  (await database.dataSource.query(
    `SELECT reference, amount_minor::text AS amount FROM ledger_journal
      WHERE account_id = 'acme' AND kind = 'DEPOSIT' ORDER BY sequence`,
  )) as { reference: string; amount: string }[];

/** The password of a URL, when it has one: it must never be printed. */
const passwordOf = (url: string): string => decodeURIComponent(new URL(url).password);

it('opens and funds the account, adds nothing on a re-run, and adds for another deposit id', async () => {
  const first = await fund(database.config.url, acme('acme-usd-1', '100.00'));
  expect(first).toMatchObject({ code: 0, stderr: '' });
  expect(first.stdout).toContain('opened account acme in USD (credit limit USD 0.00)');
  expect(first.stdout).toContain(
    'note: acme has no account record, so npm run admin refuses its API keys, credit limits and callback secret',
  );
  expect(first.stdout).toContain('make it first: npm run admin -- account create --id acme --name "<name>"');
  expect(first.stdout).toContain('deposited USD 100.00 under deposit id acme-usd-1');
  expect(first.stdout).toMatch(/available: +USD 100\.00/);
  expect(await balances()).toEqual([{ available: '10000', funded: '10000', limit: '0' }]);

  const again = await fund(database.config.url, acme('acme-usd-1', '100.00'));
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('deposit id acme-usd-1 was already recorded: nothing added');
  expect(again.stdout).not.toContain('opened');
  expect(again.stdout).toMatch(/funded: +USD 100\.00/);
  expect(await balances()).toEqual([{ available: '10000', funded: '10000', limit: '0' }]);

  await database.dataSource.query(`INSERT INTO accounts (id, name, created_at) VALUES ('acme', 'Acme', now())`);
  const another = await fund(database.config.url, acme('acme-usd-2', '25.5', '--credit-limit', '40'));
  expect(another.code).toBe(0);
  expect(another.stdout).not.toContain('note:');
  expect(another.stdout).toContain('deposited USD 25.50 under deposit id acme-usd-2');
  expect(another.stdout).toContain('credit limit set to USD 40.00');
  expect(another.stdout).toMatch(/available: +USD 125\.50/);
  expect(await balances()).toEqual([{ available: '12550', funded: '12550', limit: '4000' }]);
  expect(await deposits()).toEqual([
    { reference: 'acme-usd-1', amount: '10000' },
    { reference: 'acme-usd-2', amount: '2550' },
  ]);

  const secret = passwordOf(database.config.url);
  for (const outcome of [first, again, another]) {
    if (secret !== '') expect(outcome.stdout + outcome.stderr).not.toContain(secret);
  }
}, 120_000);

it('refuses a known deposit id with another amount (exit 2), and bad arguments before connecting', async () => {
  const conflict = await fund(database.config.url, acme('acme-usd-1', '999.00'));
  expect(conflict.code).toBe(2);
  expect(conflict.stderr).toMatch(/^ledger:fund: refused: DEPOSIT "acme-usd-1" was already recorded/);
  expect(conflict.stderr).toContain('recorded as USD 100.00 to "acme", now USD 999.00 to "acme"');
  expect(await deposits()).toHaveLength(2);

  const inexact = await fund('postgres://nobody@127.0.0.1:1/none', acme('acme-usd-3', '1.999'));
  expect(inexact.code).toBe(2);
  expect(inexact.stderr).toMatch(/^ledger:fund: --amount: USD has 2 decimal places/);
}, 120_000);

it('leaves an unmigrated database as it is and says to migrate it (exit 1)', async () => {
  const outcome = await fund(unmigrated.config.url, acme('acme-usd-1', '100.00'));
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toMatch(/is not migrated \(\d+ migrations not applied\): run npm run db:migrate first/);
  const [tables] = (await unmigrated.dataSource.query(
    `SELECT count(*)::int AS count FROM pg_tables WHERE schemaname = 'public'`,
  )) as { count: number }[];
  expect(tables).toEqual({ count: 0 });
}, 120_000);

it('fails with exit 1 on an unreachable database, its password masked', async () => {
  const outcome = await fund('postgres://someone:hunter2-secret@127.0.0.1:1/airtime', acme('acme-usd-1', '1'));
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('cannot open the database postgres://someone:***@127.0.0.1:1/airtime');
  expect(outcome.stdout + outcome.stderr).not.toContain('hunter2');
}, 120_000);
