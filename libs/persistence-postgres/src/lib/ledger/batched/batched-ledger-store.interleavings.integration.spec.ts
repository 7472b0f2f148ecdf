// Many concurrent callers through the batched ledger store, in random
// interleavings chosen by fast-check's scheduler: repeats and twins of one
// key, conflicts, refusals and an over-spend race. On one lane (the order of
// its queue is the order of decision) every answer must be the pure
// ledger's; on several lanes every answer must be one the store kept. After
// every run the stored rows keep the domain's ledger invariants.
import {
  checkInvariants,
  type Currency,
  currencyOf,
  emptyLedger,
  type JournalEntry,
  type Ledger,
  type LedgerStoreService,
} from '@airtime/domain';
import { type LedgerOperation, stepLedgerOperation } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  accountOf,
  entryOf,
  type HoldRow,
  JOURNAL_COLUMNS,
  type JournalRow,
} from '../ledger-rows.mapper';
import { makeBatchedLedgerStore } from './batched-ledger-store.adapter';
import { ledgerOf } from './ledger-batch';

const KES: Currency = Either.getOrThrow(currencyOf('KES'));
const ACCOUNTS = ['a', 'b', 'c'];
const KIND = { deposit: 'DEPOSIT', authorize: 'AUTHORIZE', voidHold: 'VOID', capture: 'CAPTURE', reverse: 'REVERSE' };

type Movement = Exclude<LedgerOperation, { kind: 'openAccount' | 'setCreditLimit' }>;

/** Movements over 3 accounts, 6 transaction ids and 3 deposit ids: repeats, conflicts and refusals are common. */
const movement: fc.Arbitrary<Movement> = fc.oneof(
  fc.record({
    kind: fc.constant('authorize' as const),
    input: fc.record({
      accountId: fc.constantFrom(...ACCOUNTS),
      currency: fc.constant(KES),
      transactionId: fc.constantFrom('t0', 't1', 't2', 't3', 't4', 't5'),
      amountMinor: fc.oneof(fc.constantFrom(100n, 250n), fc.bigInt(0n, 600n)),
    }),
  }),
  fc.record({
    kind: fc.constant('deposit' as const),
    input: fc.record({
      accountId: fc.constantFrom(...ACCOUNTS),
      currency: fc.constant(KES),
      depositId: fc.constantFrom('d0', 'd1', 'd2'),
      amountMinor: fc.constantFrom(200n, 500n),
    }),
  }),
  fc.record({
    kind: fc.constant('voidHold' as const),
    input: fc.record({ transactionId: fc.constantFrom('t0', 't1', 't2', 't3') }),
  }),
  fc.record({
    kind: fc.constant('capture' as const),
    input: fc.record({
      transactionId: fc.constantFrom('t0', 't1', 't2', 't3'),
      amountMinor: fc.constantFrom(0n, 100n, 250n, 300n),
    }),
  }),
  fc.record({
    kind: fc.constant('reverse' as const),
    input: fc.record({ transactionId: fc.constantFrom('t0', 't1', 't2') }),
  }),
);

/** Movements, each sent by 1 to 3 callers at once (twins of one key). */
const movements = fc
  .array(fc.tuple(movement, fc.integer({ min: 1, max: 3 })), { minLength: 5, maxLength: 30 })
  .map((pairs) => pairs.flatMap(([operation, copies]) => Array.from({ length: copies }, () => operation)));

const scoped = (prefix: string, operation: Movement): Movement => {
  const input = { ...operation.input } as Record<string, unknown>;
  for (const key of ['accountId', 'transactionId', 'depositId'])
    if (typeof input[key] === 'string') input[key] = `${prefix}${input[key] as string}`;
  return { ...operation, input } as unknown as Movement;
};

const onStore = (store: LedgerStoreService, operation: Movement): Effect.Effect<unknown, { _tag: string }> =>
  (store[operation.kind] as (input: unknown) => Effect.Effect<unknown, { _tag: string }>)(operation.input);

const outcomeOf = (result: Either.Either<unknown, { _tag: string }>): string =>
  JSON.stringify(
    Either.match(result, {
      onLeft: (error) => ({ ...error, _tag: error._tag }),
      onRight: (value) => {
        const { entry, applied } = value as { entry: { sequence: number }; applied: boolean };
        const { sequence: _sequence, ...rest } = entry;
        return { entry: rest, applied };
      },
    }),
    (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v),
  );

describe.each([1, 4])('batched ledger store, %i lane(s), concurrent callers (fast-check scheduler)', (lanes) => {
  let db: TestDatabase;
  let store: LedgerStoreService;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 12 });
    store = makeBatchedLedgerStore(db.dataSource, { lanes, maxBatch: 8 });
  });
  afterAll(async () => db.drop());

  /** The run's stored rows as a pure ledger (journal renumbered 1, 2, ... in sequence order). */
  const storedLedger = async (prefix: string): Promise<Ledger> => {
    const like = [`${prefix}%`];
    const accounts = (await db.dataSource.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE account_id LIKE $1`,
      like,
    )) as AccountRow[];
    const holds = (await db.dataSource.query(
      `SELECT * FROM ledger_holds WHERE transaction_id LIKE $1`,
      like,
    )) as HoldRow[];
    const rows = (await db.dataSource.query(
      `SELECT ${JOURNAL_COLUMNS} FROM ledger_journal WHERE account_id LIKE $1 ORDER BY sequence`,
      like,
    )) as JournalRow[];
    const renumbered = rows.map((row, index) => ({ ...row, sequence: String(index + 1) }));
    const ledger = ledgerOf({
      accounts: await Promise.all(accounts.map((row) => Effect.runPromise(accountOf(row)))),
      holds,
      entries: renumbered,
    });
    // the journal holds the very entry objects the holds and deposits point to (the invariants compare identities)
    const byMovement = new Map<string, JournalEntry>();
    for (const hold of ledger.holds.values())
      for (const entry of [hold.authorization, hold.settlement, hold.reversal])
        if (entry) byMovement.set(`${entry.kind} ${entry.reference}`, entry);
    for (const entry of ledger.deposits.values()) byMovement.set(`${entry.kind} ${entry.reference}`, entry);
    return {
      ...ledger,
      journal: renumbered.map((row) => byMovement.get(`${row.kind} ${row.reference}`) ?? entryOf(row)),
    };
  };

  it('answers every caller as the pure ledger would, and the stored ledger keeps its invariants', async () => {
    let runNumber = 0;
    await fc.assert(
      fc.asyncProperty(movements, fc.scheduler(), async (raw, scheduler) => {
        runNumber += 1;
        const prefix = `l${lanes}r${runNumber}-`;
        let pure: Ledger = emptyLedger;
        for (const [index, accountId] of ACCOUNTS.entries()) {
          const input = {
            accountId: `${prefix}${accountId}`,
            currency: KES,
            creditLimitMinor: index === 0 ? 0n : 100n,
          };
          await Effect.runPromise(store.openAccount(input));
          pure = stepLedgerOperation(pure, { kind: 'openAccount', input }).ledger;
        }
        const operations = raw.map((operation) => scoped(prefix, operation));
        const submitted: number[] = [];
        const answers = operations.map((operation, index) =>
          scheduler.schedule(Promise.resolve(index)).then(() => {
            // on one lane the operation joins the queue synchronously here: this is its order of decision
            submitted.push(index);
            return Effect.runPromise(Effect.either(onStore(store, operation)));
          }),
        );
        await scheduler.waitAll();
        const results = await Promise.all(answers);

        const journal = (await db.dataSource.query(
          `SELECT ${JOURNAL_COLUMNS} FROM ledger_journal WHERE account_id LIKE $1`,
          [`${prefix}%`],
        )) as JournalRow[];
        const stored = new Set(journal.map((row) => `${row.kind} ${row.reference} ${row.sequence}`));
        const appliedBy = new Map<string, number>();
        results.forEach((result, index) => {
          const operation = operations[index] as Movement;
          if (Either.isRight(result)) {
            const { entry, applied } = result.right as {
              entry: { kind: string; reference: string; sequence: number; amountMinor: bigint };
              applied: boolean;
            };
            // every success is its own operation's, and names an entry the store kept, with its real sequence
            const key = operation.kind === 'deposit' ? operation.input.depositId : operation.input.transactionId;
            expect([index, entry.kind, entry.reference]).toEqual([index, KIND[operation.kind], key]);
            if (operation.kind === 'authorize' || operation.kind === 'deposit')
              expect([index, entry.amountMinor]).toEqual([index, operation.input.amountMinor]);
            expect(stored.has(`${entry.kind} ${entry.reference} ${entry.sequence}`)).toBe(true);
            if (applied)
              appliedBy.set(
                `${entry.kind} ${entry.reference}`,
                (appliedBy.get(`${entry.kind} ${entry.reference}`) ?? 0) + 1,
              );
          } else {
            expect([index, result.left._tag]).not.toEqual([index, 'PersistenceFailure']);
          }
        });
        // each stored entry was answered `applied: true` to exactly one caller
        expect([...appliedBy.values()].every((callers) => callers === 1)).toBe(true);
        expect(appliedBy.size).toBe(journal.length);
        if (lanes === 1) {
          for (const index of submitted) {
            const operation = operations[index] as Movement;
            const step = stepLedgerOperation(pure, operation);
            pure = step.ledger;
            const expected = outcomeOf(step.result as Either.Either<unknown, { _tag: string }>);
            const actual = outcomeOf(results[index] as Either.Either<unknown, { _tag: string }>);
            if (actual !== expected)
              throw new Error(`#${index} ${operation.kind}: store gave ${actual}, pure ledger ${expected}`);
          }
          const after = await storedLedger(prefix);
          for (const account of pure.accounts.values())
            expect(after.accounts.get(JSON.stringify([account.accountId, 'KES']))).toEqual(account);
        }
        expect(checkInvariants(await storedLedger(prefix))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
