import {
  emptyLedger,
  IDENTIFIER_RULES,
  isValidIdentifier,
  type Ledger,
  type LedgerStoreService,
} from '@airtime/domain';
import {
  arbitraryLedgerOperation,
  arbitraryOpenAccountInputs,
  describeLedgerOperation,
  type LedgerOperation,
  stepLedgerOperation,
} from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { LEDGER_STORES as STORES, onStore, outcomeOf } from '../../testing/ledger-stores.fixture';

const RULES = {
  accountId: IDENTIFIER_RULES.ACCOUNT_ID,
  transactionId: IDENTIFIER_RULES.TRANSACTION_ID,
  depositId: IDENTIFIER_RULES.DEPOSIT_ID,
} as const;

/**
 * Gives one run's ids a prefix of their own, so that runs share one
 * database without colliding. A hostile id stays as it is (a prefix could
 * make it valid); both sides refuse it, so it never reaches the database.
 */
const scoped = (prefix: string, operation: LedgerOperation): LedgerOperation => {
  const input = { ...operation.input } as Record<string, unknown>;
  for (const [key, rule] of Object.entries(RULES)) {
    const id = input[key];
    if (typeof id === 'string' && isValidIdentifier(rule, id) && isValidIdentifier(rule, `${prefix}${id}`))
      input[key] = `${prefix}${id}`;
  }
  return { ...operation, input } as unknown as LedgerOperation;
};

/** Some accounts opened, then 20 to 60 operations of every kind, legal or not. */
const scenarios = fc
  .tuple(arbitraryOpenAccountInputs(), fc.array(arbitraryLedgerOperation(), { minLength: 20, maxLength: 60 }))
  .map(([accounts, operations]) => [
    ...accounts.map((input): LedgerOperation => ({ kind: 'openAccount', input })),
    ...operations,
  ]);

const show = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe.each(STORES)(
  'the PostgreSQL ledger agrees with the pure ledger (fast-check) (%s store)',
  (_store, makeStore) => {
    let db: TestDatabase;
    let store: LedgerStoreService;
    beforeAll(async () => {
      db = await createTestDatabase();
      store = makeStore(db.dataSource);
    });
    afterAll(async () => db.drop());

    it('on every result of random operation sequences, and the stored data keeps the invariants', async () => {
      let runNumber = 0;
      await fc.assert(
        fc.asyncProperty(scenarios, async (scenario) => {
          runNumber += 1;
          const prefix = `r${runNumber}-`;
          let pure: Ledger = emptyLedger;
          for (const raw of scenario) {
            const operation = scoped(prefix, raw);
            const step = stepLedgerOperation(pure, operation);
            pure = step.ledger;
            const stored = await Effect.runPromise(Effect.either(onStore(store, operation)));
            const expected = outcomeOf(step.result as Either.Either<unknown, { _tag: string }>);
            const actual = outcomeOf(stored as Either.Either<unknown, { _tag: string }>);
            if (show(actual) !== show(expected)) {
              throw new Error(
                `${describeLedgerOperation(operation)}: store gave ${show(actual)}, pure ledger ${show(expected)}`,
              );
            }
          }
          // the stored balances are the pure ledger's, and the stored journal sums to them
          for (const account of pure.accounts.values()) {
            const storedAccount = await Effect.runPromise(store.account(account.accountId, account.currency.code));
            expect(storedAccount).toEqual(account);
          }
          const mismatched = await db.dataSource.query(
            `SELECT a.account_id FROM ledger_accounts a
             LEFT JOIN (SELECT account_id, currency, SUM(available_delta_minor) AS available, SUM(holding_delta_minor) AS holding
                          FROM ledger_journal GROUP BY account_id, currency) j USING (account_id, currency)
            WHERE a.account_id LIKE $1
              AND (COALESCE(j.available, 0) <> a.available_minor OR COALESCE(j.holding, 0) <> a.holding_minor
                   OR a.holding_minor < 0 OR a.available_minor < -a.credit_limit_minor
                   OR a.available_minor + a.holding_minor + a.captured_minor - a.reversed_minor <> a.funded_minor)`,
            [`${prefix}%`],
          );
          expect(mismatched).toEqual([]);
          const [holds] = await db.dataSource.query(
            `SELECT count(*)::int AS n FROM ledger_holds WHERE transaction_id LIKE $1 AND status NOT IN ('REFUSED')`,
            [`${prefix}%`],
          );
          expect(holds.n).toBe(pure.holds.size);
          // per transaction: one AUTHORIZE, then at most one VOID or CAPTURE, and a REVERSE only after a CAPTURE
          const lifecycleBreaks = await db.dataSource.query(
            `SELECT reference FROM ledger_journal WHERE reference LIKE $1 AND kind <> 'DEPOSIT' GROUP BY reference
            HAVING count(*) FILTER (WHERE kind = 'AUTHORIZE') <> 1
                OR count(*) FILTER (WHERE kind IN ('VOID', 'CAPTURE')) > 1
                OR count(*) FILTER (WHERE kind = 'REVERSE') > count(*) FILTER (WHERE kind = 'CAPTURE')`,
            [`${prefix}%`],
          );
          expect(lifecycleBreaks).toEqual([]);
          // the running totals agree with the journal
          const totalsBreaks = await db.dataSource.query(
            `SELECT a.account_id FROM ledger_accounts a
             LEFT JOIN (SELECT account_id, currency,
                               SUM(amount_minor) FILTER (WHERE kind = 'CAPTURE') AS captured,
                               SUM(amount_minor) FILTER (WHERE kind = 'REVERSE') AS reversed,
                               SUM(amount_minor) FILTER (WHERE kind = 'DEPOSIT') AS funded
                          FROM ledger_journal GROUP BY account_id, currency) j USING (account_id, currency)
            WHERE a.account_id LIKE $1
              AND (COALESCE(j.captured, 0) <> a.captured_minor OR COALESCE(j.reversed, 0) <> a.reversed_minor OR COALESCE(j.funded, 0) <> a.funded_minor)`,
            [`${prefix}%`],
          );
          expect(totalsBreaks).toEqual([]);
        }),
        { numRuns: 30 },
      );
    });
  },
);
