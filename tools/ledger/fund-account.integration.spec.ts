// fundAccount on PostgreSQL (a database of this file's own): runs repeated
// and at once credit the deposit id once, and the books balance.
import { currencyOf, LedgerStore } from '@airtime/domain';
import { makeLedgerStore } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { Effect, Either } from 'effect';
import { fundAccount, type FundAccountInput } from './fund-account.use-case';

const USD = Either.getOrThrow(currencyOf('USD'));
const demo: FundAccountInput = { accountId: 'demo', currency: USD, amountMinor: 100_000n, depositId: 'demo-usd-1' };

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

const run = (input: FundAccountInput = demo) =>
  Effect.runPromise(
    Effect.either(fundAccount(input).pipe(Effect.provideService(LedgerStore, makeLedgerStore(database.dataSource)))),
  );

it('credits the deposit once, however often and however concurrently it runs', async () => {
  const first = Either.getOrThrow(await run());
  expect(first).toMatchObject({ opened: true, deposited: true });
  const results = await Promise.all(Array.from({ length: 8 }, () => run()));
  for (const result of results) expect(Either.getOrThrow(result).deposited).toBe(false);

  const rows = (await database.dataSource.query(
    `SELECT kind, amount_minor::text AS amount FROM ledger_journal WHERE account_id = 'demo' ORDER BY sequence`,
  )) as { kind: string; amount: string }[];
  expect(rows).toEqual([{ kind: 'DEPOSIT', amount: '100000' }]);
  const [account] = (await database.dataSource.query(
    `SELECT available_minor::text AS available, funded_minor::text AS funded FROM ledger_accounts WHERE account_id = 'demo'`,
  )) as { available: string; funded: string }[];
  expect(account).toEqual({ available: '100000', funded: '100000' });
}, 30_000);

it('opens and funds a new account from concurrent first runs exactly once', async () => {
  const input = { ...demo, accountId: 'demo-race', depositId: 'demo-race-usd-1' };
  const results = (await Promise.all(Array.from({ length: 6 }, () => run(input)))).map((r) => Either.getOrThrow(r));
  expect(results.filter((r) => r.deposited)).toHaveLength(1);
  const final = Either.getOrThrow(await run(input));
  expect(final.account.fundedMinor).toBe(100_000n);
}, 30_000);
