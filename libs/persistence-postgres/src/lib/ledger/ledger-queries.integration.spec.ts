import { LedgerQueries, type LedgerQueriesService } from '@airtime/application';
import { makeInMemoryDatabase, makeInMemoryLedgerQueries, makeInMemoryLedgerStore } from '@airtime/application/testing';
import { currencyOf, type JournalEntry, type LedgerStoreService, PersistenceFailure } from '@airtime/domain';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { ledgerQueriesLayer, makeLedgerQueries } from './ledger-queries.adapter';
import { makeLedgerStore } from './ledger-store.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

const CURRENCIES = ['USD', 'KES', 'PHP'].map((code) => Either.getOrThrow(currencyOf(code)));
const [USD, KES, PHP] = CURRENCIES as [
  (typeof CURRENCIES)[number],
  (typeof CURRENCIES)[number],
  (typeof CURRENCIES)[number],
];

/** Every page of an account's journal (offset 0, limit, 2 * limit, ...) until the total is passed. */
const allPages = async (queries: LedgerQueriesService, accountId: string, limit: number) => {
  const pages = [];
  for (let offset = 0; ; offset += limit) {
    const page = await run(queries.journalOf({ accountId, offset, limit }));
    pages.push(page);
    if (offset + limit >= page.total) return pages;
  }
};

describe('ledger queries on PostgreSQL', () => {
  let db: TestDatabase;
  let store: LedgerStoreService;
  const queries = () => makeLedgerQueries(db.dataSource);
  /** The entries the store answered for 'team-q', in the order they were made. */
  const made: JournalEntry[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = makeLedgerStore(db.dataSource);
    const keep = async (effect: Effect.Effect<{ entry: JournalEntry }, unknown>) => {
      made.push((await run(effect)).entry);
    };
    // opened out of currency order; another account's entries interleave
    for (const currency of [USD, PHP, KES]) {
      await run(store.openAccount({ accountId: 'team-q', currency, creditLimitMinor: 0n }));
    }
    await run(store.openAccount({ accountId: 'team-other', currency: USD, creditLimitMinor: 0n }));
    for (let i = 0; i < 12; i += 1) {
      const currency = CURRENCIES[i % 3] ?? USD;
      await keep(
        store.deposit({ accountId: 'team-q', currency, depositId: `dep-${i}`, amountMinor: 1_000n + BigInt(i) }),
      );
      await run(store.deposit({ accountId: 'team-other', currency: USD, depositId: `other-${i}`, amountMinor: 5n }));
      await keep(store.authorize({ accountId: 'team-q', currency, transactionId: `tx-${i}`, amountMinor: 100n }));
      await keep(
        i % 2 === 0
          ? store.capture({ transactionId: `tx-${i}`, amountMinor: 60n })
          : store.voidHold({ transactionId: `tx-${i}` }),
      );
    }
    // a repeat applies nothing and journals nothing
    await run(store.deposit({ accountId: 'team-q', currency: USD, depositId: 'dep-0', amountMinor: 1_000n }));
  });
  afterAll(async () => db.drop());

  it('gives every ledger account of the account, by currency code, as the store has it', async () => {
    const balances = await run(queries().balancesOf('team-q'));
    expect(balances.map((account) => account.currency.code)).toEqual(['KES', 'PHP', 'USD']);
    for (const account of balances) {
      expect(account).toEqual(await run(store.account('team-q', account.currency.code)));
    }
    expect(balances.find((account) => account.currency.code === 'USD')).toMatchObject({
      availableMinor: 1_000n + 1_003n + 1_006n + 1_009n - 2n * 60n,
      holdingMinor: 0n,
      capturedMinor: 120n,
    });
  });

  it('has no balances for an account with none, or an id no account can have', async () => {
    for (const id of ['team-none', 'TEAM-Q', '', 'nul\u0000', 'x'.repeat(100_000), ' team-q']) {
      expect(await run(queries().balancesOf(id))).toEqual([]);
    }
  });

  it.each([1, 2, 5, 35, 36, 100])(
    'pages of %i partition the journal in every currency, newest first, with the total',
    async (limit) => {
      const pages = await allPages(queries(), 'team-q', limit);
      const entries = pages.flatMap((page) => page.items);
      // each read entry carries the time its row was recorded (created_at); the store's answers do not
      for (const entry of entries) expect(entry.recordedAt).toBeInstanceOf(Date);
      expect(entries.map(({ recordedAt: _recordedAt, ...entry }) => entry)).toEqual([...made].reverse());
      expect(entries).toHaveLength(36);
      for (const page of pages) expect(page.total).toBe(36);
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
    },
  );

  it('answers the total with no entries past the end, and nothing for an account with no journal', async () => {
    for (const offset of [36, 37, Number.MAX_SAFE_INTEGER]) {
      expect(await run(queries().journalOf({ accountId: 'team-q', offset, limit: 10 }))).toEqual({
        items: [],
        total: 36,
      });
    }
    for (const accountId of ['team-none', '', 'nul\u0000', 'x'.repeat(100_000)]) {
      expect(await run(queries().journalOf({ accountId, offset: 0, limit: 10 }))).toEqual({ items: [], total: 0 });
    }
    const other = await run(queries().journalOf({ accountId: 'team-other', offset: 0, limit: 100 }));
    expect(other.total).toBe(12);
    expect(other.items.every((entry) => entry.accountId === 'team-other' && entry.kind === 'DEPOSIT')).toBe(true);
  });

  it('refuses a bad window with a non-retryable failure', async () => {
    for (const [offset, limit] of [
      [-1, 10],
      [0.5, 10],
      [Number.NaN, 10],
      [0, 0],
      [0, 1.5],
      [0, Number.POSITIVE_INFINITY],
    ] as const) {
      const failure = await failureOf(queries().journalOf({ accountId: 'team-q', offset, limit }));
      expect(failure).toBeInstanceOf(PersistenceFailure);
      expect(failure).toMatchObject({ retryable: false });
    }
  });

  it('joins the unit of work: a movement made in it is seen there first', async () => {
    const seen = await failureOf(
      makeUnitOfWork(db.dataSource).transactionally(
        Effect.gen(function* () {
          yield* store.deposit({ accountId: 'team-q', currency: KES, depositId: 'dep-uow', amountMinor: 7n });
          const page = yield* queries().journalOf({ accountId: 'team-q', offset: 0, limit: 1 });
          const balances = yield* queries().balancesOf('team-q');
          return yield* Effect.fail({ page, kes: balances[0]?.availableMinor });
        }),
      ),
    );
    const before = await run(store.account('team-q', 'KES'));
    expect(seen).toMatchObject({
      page: { total: 37, items: [{ reference: 'dep-uow', kind: 'DEPOSIT' }] },
      kes: before.availableMinor + 7n,
    });
    expect((await run(queries().journalOf({ accountId: 'team-q', offset: 0, limit: 1 }))).total).toBe(36);
  });

  it('is provided by its layer', async () => {
    const balances = await run(
      Effect.provide(
        Effect.flatMap(LedgerQueries, (service) => service.balancesOf('team-other')),
        ledgerQueriesLayer(db.dataSource),
      ),
    );
    expect(balances.map((account) => [account.accountId, account.currency.code])).toEqual([['team-other', 'USD']]);
  });

  it('agrees with the in-memory queries of @airtime/application/testing after random movements (fast-check)', async () => {
    type Operation =
      | { kind: 'deposit'; account: number; currency: number; ref: number; amount: bigint }
      | { kind: 'authorize'; account: number; currency: number; ref: number; amount: bigint }
      | { kind: 'capture'; ref: number; amount: bigint }
      | { kind: 'void'; ref: number };
    const account = fc.integer({ min: 0, max: 1 });
    const currency = fc.integer({ min: 0, max: 2 });
    const ref = fc.integer({ min: 0, max: 6 });
    const amount = fc.bigInt({ min: 1n, max: 900n });
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      fc.record({ kind: fc.constant('deposit' as const), account, currency, ref, amount }),
      fc.record({ kind: fc.constant('authorize' as const), account, currency, ref, amount }),
      fc.record({ kind: fc.constant('capture' as const), ref, amount }),
      fc.record({ kind: fc.constant('void' as const), ref }),
    );
    const windows = fc.array(
      fc.record({ offset: fc.integer({ min: 0, max: 12 }), limit: fc.integer({ min: 1, max: 12 }) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    /** An entry without its sequence: PostgreSQL's has gaps (a claim that conflicts still takes a number). */
    const withoutSequence = ({ items, total }: { items: readonly JournalEntry[]; total: number }) => ({
      items: items.map(({ sequence: _sequence, recordedAt: _recordedAt, ...entry }) => entry),
      total,
    });

    let runNumber = 0;
    let multiEntryPages = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: 500n }), { minLength: 6, maxLength: 6 }),
        fc.array(operation, { minLength: 20, maxLength: 40, size: 'max' }),
        windows,
        async (creditLimits, operations, pageWindows) => {
          runNumber += 1;
          const accounts = [`r${runNumber}-a`, `r${runNumber}-b`];
          const reference = (kind: string, n: number) => `r${runNumber}-${kind}-${n}`;
          const memory = makeInMemoryDatabase();
          const stores = [store, makeInMemoryLedgerStore(memory)] as const;
          const readers = [queries(), makeInMemoryLedgerQueries(memory)] as const;
          for (const ledger of stores) {
            for (const [index, limit] of creditLimits.entries()) {
              const opened = ledger.openAccount({
                accountId: accounts[index % 2] ?? '',
                currency: CURRENCIES[Math.floor(index / 2)] ?? USD,
                creditLimitMinor: limit,
              });
              await run(opened);
            }
            for (const step of operations) {
              const effect =
                step.kind === 'deposit'
                  ? ledger.deposit({
                      accountId: accounts[step.account] ?? '',
                      currency: CURRENCIES[step.currency] ?? USD,
                      depositId: reference('dep', step.ref),
                      amountMinor: step.amount,
                    })
                  : step.kind === 'authorize'
                    ? ledger.authorize({
                        accountId: accounts[step.account] ?? '',
                        currency: CURRENCIES[step.currency] ?? USD,
                        transactionId: reference('tx', step.ref),
                        amountMinor: step.amount,
                      })
                    : step.kind === 'capture'
                      ? ledger.capture({ transactionId: reference('tx', step.ref), amountMinor: step.amount })
                      : ledger.voidHold({ transactionId: reference('tx', step.ref) });
              await run(Effect.either(effect));
            }
          }
          const [fromPostgres, fromMemory] = readers;
          for (const accountId of accounts) {
            expect(await run(fromPostgres.balancesOf(accountId))).toEqual(await run(fromMemory.balancesOf(accountId)));
            for (const window of pageWindows) {
              const page = await run(fromPostgres.journalOf({ accountId, ...window }));
              expect(withoutSequence(page)).toEqual(
                withoutSequence(await run(fromMemory.journalOf({ accountId, ...window }))),
              );
              const sequences = page.items.map((entry) => entry.sequence);
              expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
              if (page.items.length > 1) multiEntryPages += 1;
            }
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(multiEntryPages).toBeGreaterThan(15);
  });
});
