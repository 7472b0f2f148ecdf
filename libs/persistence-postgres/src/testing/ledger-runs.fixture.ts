// What the specs of the ledger's many-at-once methods (authorizeAll,
// settleAll) share: two identical databases side by side (one runs the
// batch, the other one by one), the units of work a call runs in, what a
// run stored, and the checks that its balances are the sums of its journal.
import type { LedgerStoreService, PersistenceFailure, UnitOfWorkService } from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { DataSource } from 'typeorm';
import { makeGroupCommitUnitOfWork } from '../lib/unit-of-work/group-commit/group-commit-unit-of-work.adapter';
import { makeUnitOfWork } from '../lib/unit-of-work/unit-of-work.adapter';
import { outcomeOf } from './ledger-stores.fixture';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A store's answer: a value, or a typed error. */
export type Answer = Either.Either<unknown, { readonly _tag: string }>;

export const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));

/** JSON with bigints as `123n`. */
export const show = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Per answer what both sides must agree on: the entry without its sequence, or the error's tag and fields. */
export const outcomes = (answers: readonly Answer[]) => answers.map((answer) => show(outcomeOf(answer)));

/** One database, its store and its units of work. */
export interface Side {
  readonly db: TestDatabase;
  readonly store: LedgerStoreService;
  readonly units: Readonly<Record<'a unit of work' | 'a group-commit unit of work', UnitOfWorkService>>;
}
export type Mode = keyof Side['units'] | 'no unit of work';
export const MODES: readonly Mode[] = ['a unit of work', 'a group-commit unit of work', 'no unit of work'];

/** A database of its own with `makeStore`'s store and both kinds of unit of work. */
export const openSide = async (makeStore: (dataSource: DataSource) => LedgerStoreService): Promise<Side> => {
  const db = await createTestDatabase({ poolSize: 12 });
  return {
    db,
    store: makeStore(db.dataSource),
    units: {
      'a unit of work': makeUnitOfWork(db.dataSource),
      'a group-commit unit of work': makeGroupCommitUnitOfWork(db.dataSource, { groups: 1, maxGroup: 8 }),
    },
  };
};

export const within =
  (side: Side, mode: Mode) =>
  <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | PersistenceFailure> =>
    mode === 'no unit of work' ? effect : side.units[mode].transactionally(effect);

/**
 * Where a batch's answers differ from one by one's, input by input (none:
 * they agree): `batch` and `single` name the two calls in the message.
 */
export const disagreements = (
  inputs: readonly unknown[],
  all: readonly Answer[],
  one: readonly Answer[],
  names: { readonly batch: string; readonly single: string },
): string[] => {
  if (all.length !== inputs.length) return [`${names.batch} answered ${all.length} of ${inputs.length} inputs`];
  const [expected, actual] = [outcomes(one), outcomes(all)];
  return inputs.flatMap((input, index) =>
    actual[index] === expected[index]
      ? []
      : [`input ${index} ${show(input)}: ${names.batch} gave ${actual[index]}, ${names.single} ${expected[index]}`],
  );
};

/** What a run stored: its accounts, its claims, and the journal of each account in order (no sequences, no times). */
export const storedOf = async (db: TestDatabase, prefix: string) => ({
  accounts: await db.dataSource.query(
    `SELECT account_id, currency, currency_exponent, credit_limit_minor, available_minor, holding_minor,
            captured_minor, reversed_minor, funded_minor
       FROM ledger_accounts WHERE starts_with(account_id, $1) ORDER BY account_id, currency`,
    [prefix],
  ),
  holds: await db.dataSource.query(
    `SELECT transaction_id, account_id, currency, amount_minor, status, captured_minor, refusal
       FROM ledger_holds WHERE starts_with(transaction_id, $1) ORDER BY transaction_id`,
    [prefix],
  ),
  journal: await db.dataSource.query(
    `SELECT account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor
       FROM ledger_journal WHERE starts_with(account_id, $1) ORDER BY account_id, currency, sequence`,
    [prefix],
  ),
});

/**
 * Runs `call` in a unit of work of `mode` that then fails (its caller gives
 * up), and answers how the unit ended with what the run stored before and
 * after it, which must be the same (nothing kept); none outside a unit.
 */
export const aroundFailedUnit = async <A, E>(side: Side, mode: Mode, prefix: string, call: Effect.Effect<A, E>) => {
  if (mode === 'no unit of work') return undefined;
  const before = await storedOf(side.db, prefix);
  const failed = await run(within(side, mode)(Effect.zipRight(call, Effect.fail('caller gives up' as const))));
  return { failed, before, after: await storedOf(side.db, prefix) };
};

/** What the two sides stored for a run, and the accounts of either whose balances break their journal. */
export const bothSides = async (a: Side, b: Side, prefix: string) => ({
  stored: [await storedOf(a.db, prefix), await storedOf(b.db, prefix)] as const,
  breaks: [...(await journalBreaks(a.db, prefix)), ...(await journalBreaks(b.db, prefix))],
});

/** The accounts of a run whose balances are not the sums of their journal, or that break an invariant. */
export const journalBreaks = (db: TestDatabase, prefix: string): Promise<unknown[]> =>
  db.dataSource.query(
    `SELECT a.account_id FROM ledger_accounts a
       LEFT JOIN (SELECT account_id, currency, SUM(available_delta_minor) AS available, SUM(holding_delta_minor) AS holding,
                         SUM(amount_minor) FILTER (WHERE kind = 'DEPOSIT') AS funded
                    FROM ledger_journal GROUP BY account_id, currency) j USING (account_id, currency)
      WHERE starts_with(a.account_id, $1)
        AND (COALESCE(j.available, 0) <> a.available_minor OR COALESCE(j.holding, 0) <> a.holding_minor
             OR COALESCE(j.funded, 0) <> a.funded_minor OR a.holding_minor < 0
             OR a.available_minor < -a.credit_limit_minor
             OR a.available_minor + a.holding_minor + a.captured_minor - a.reversed_minor <> a.funded_minor)`,
    [prefix],
  );

/** The answered movements whose entry is not the one stored for its reference and kind (its real sequence). */
export const storedEntryMismatches = async (db: TestDatabase, answers: readonly Answer[]): Promise<string[]> => {
  const mismatches: string[] = [];
  for (const answer of answers) {
    if (Either.isLeft(answer)) continue;
    const { entry } = answer.right as { entry: { reference: string; sequence: number; kind: string } };
    const rows = (await db.dataSource.query(
      `SELECT sequence::text AS sequence FROM ledger_journal WHERE reference = $1 AND kind = $2`,
      [entry.reference, entry.kind],
    )) as { sequence: string }[];
    if (rows.length !== 1 || Number(rows[0]?.sequence) !== entry.sequence)
      mismatches.push(`${entry.kind} ${entry.reference}: answered ${entry.sequence}, stored ${show(rows)}`);
  }
  return mismatches;
};
