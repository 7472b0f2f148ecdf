// LedgerStore.settleAll on PostgreSQL, both stores: each capture, void and
// reverse answered and stored as its own method one by one in order would
// (a fast-check property against a second, identical database; inside a
// unit of work, a group-commit one, and none): twins, holds settled before,
// refused holds, unknown and hostile ids, captures above the hold; nothing
// kept of a unit that fails after it, every balance the sum of its journal.
import {
  type Currency,
  currencyOf,
  type HoldSettlement,
  IDENTIFIER_RULES,
  isValidIdentifier,
  type LedgerStoreService,
  settleHold,
} from '@airtime/domain';
import { HOSTILE_LEDGER_IDS } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import {
  aroundFailedUnit,
  type Answer,
  bothSides,
  disagreements,
  journalBreaks,
  type Mode,
  MODES,
  openSide,
  run,
  show,
  type Side,
  storedEntryMismatches,
  storedOf,
  within,
} from '../../testing/ledger-runs.fixture';
import { LEDGER_STORES as STORES } from '../../testing/ledger-stores.fixture';

const KES = Either.getOrThrow(currencyOf('KES'));
const USD = Either.getOrThrow(currencyOf('USD'));

/** The holds of a run: on which account, in which currency, for how much, and how each stands before the run. */
const HOLDS = [
  { id: 'h1', account: 'a', currency: KES, amount: 400n, before: 'held' },
  { id: 'h2', account: 'a', currency: KES, amount: 250n, before: 'held' },
  { id: "h3 o'q", account: 'a', currency: KES, amount: 100n, before: 'held' },
  { id: 'h4', account: 'b \\ 字😀', currency: KES, amount: 700n, before: 'held' },
  { id: 'h5', account: 'usd', currency: USD, amount: 300n, before: 'held' },
  { id: 'captured', account: 'a', currency: KES, amount: 200n, before: 'captured' },
  { id: 'voided', account: 'b \\ 字😀', currency: KES, amount: 150n, before: 'voided' },
  { id: 'refused', account: 'a', currency: KES, amount: 99_999n, before: 'refused' },
] as const satisfies readonly {
  id: string;
  account: string;
  currency: Currency;
  amount: bigint;
  before: 'held' | 'captured' | 'voided' | 'refused';
}[];
const TRANSACTIONS = [...HOLDS.map((hold) => hold.id), 'never-held'] as const;

/** Opens and funds the run's accounts and claims its holds, settling some of them first. */
const setUp = async (store: LedgerStoreService, prefix: string) => {
  const accounts = [...new Set(HOLDS.map((hold) => `${hold.account}|${hold.currency.code}`))];
  for (const key of accounts) {
    const [account, code] = key.split('|') as [string, string];
    const currency = code === 'USD' ? USD : KES;
    const accountId = `${prefix}${account}`;
    await Effect.runPromise(store.openAccount({ accountId, currency, creditLimitMinor: 100n }));
    await Effect.runPromise(
      store.deposit({ accountId, currency, depositId: `${accountId}-fund`, amountMinor: 2_000n }),
    );
  }
  for (const hold of HOLDS) {
    const transactionId = `${prefix}${hold.id}`;
    const held = await run(
      store.authorize({
        accountId: `${prefix}${hold.account}`,
        currency: hold.currency,
        transactionId,
        amountMinor: hold.amount,
      }),
    );
    expect(Either.isRight(held)).toBe(hold.before !== 'refused');
    if (hold.before === 'captured')
      await Effect.runPromise(store.capture({ transactionId, amountMinor: hold.amount - 50n }));
    if (hold.before === 'voided') await Effect.runPromise(store.voidHold({ transactionId }));
  }
};

type Drawn =
  | {
      readonly kind: 'new';
      readonly settlement: HoldSettlement['kind'];
      readonly transaction: string;
      /** A capture's amount: the hold's, less, more, nothing, negative, or far too much. */
      readonly amount: 'all' | 'less' | 'more' | 'zero' | 'negative' | 'huge';
    }
  | { readonly kind: 'repeat'; readonly of: number };

const arbitraryDrawn: fc.Arbitrary<Drawn> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('new' as const),
      settlement: fc.oneof(
        { weight: 4, arbitrary: fc.constant('capture' as const) },
        { weight: 2, arbitrary: fc.constant('voidHold' as const) },
        { weight: 1, arbitrary: fc.constant('reverse' as const) },
      ),
      transaction: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom<string>(...TRANSACTIONS) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_LEDGER_IDS).map((id) => `!${id}`) },
      ),
      amount: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('all' as const, 'less' as const) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('more' as const, 'zero' as const, 'negative' as const, 'huge' as const),
        },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), of: fc.nat() }) },
);

const amountOf = (transaction: string, amount: Extract<Drawn, { kind: 'new' }>['amount']): bigint => {
  const held = HOLDS.find((hold) => hold.id === transaction)?.amount ?? 500n;
  switch (amount) {
    case 'all':
      return held;
    case 'less':
      return held / 2n;
    case 'more':
      return held + 1n;
    case 'zero':
      return 0n;
    case 'negative':
      return -1n;
    case 'huge':
      return 2n ** 51n + 1n;
  }
};

/** The settlements of a run: each drawn one, or a repeat of an earlier one (a twin). */
const settlementsOf = (prefix: string, drawn: readonly Drawn[]): HoldSettlement[] => {
  const settlements: HoldSettlement[] = [];
  for (const one of drawn) {
    if (one.kind === 'repeat') {
      const earlier = settlements[one.of % Math.max(settlements.length, 1)];
      if (earlier) settlements.push(earlier);
      continue;
    }
    // a hostile id is used as it is (a prefix could make it valid)
    const transactionId = one.transaction.startsWith('!') ? one.transaction.slice(1) : `${prefix}${one.transaction}`;
    settlements.push(
      one.settlement === 'capture'
        ? { kind: 'capture', input: { transactionId, amountMinor: amountOf(one.transaction, one.amount) } }
        : { kind: one.settlement, input: { transactionId } },
    );
  }
  return settlements;
};

/** The reference side: each settlement by its own method, in order, all in one unit (or outside any). */
const oneByOne = (side: Side, mode: Mode, settlements: readonly HoldSettlement[]) =>
  Effect.runPromise(
    within(
      side,
      mode,
    )(
      Effect.forEach(
        settlements,
        (settlement) => Effect.either(settleHold(side.store, settlement)) as Effect.Effect<Answer>,
      ),
    ),
  );

const expectAgreement = (settlements: readonly HoldSettlement[], all: readonly Answer[], one: readonly Answer[]) =>
  expect(disagreements(settlements, all, one, { batch: 'settleAll', single: 'one by one' })).toEqual([]);

describe.each(STORES)('LedgerStore.settleAll on PostgreSQL (%s store)', (storeName, makeStore) => {
  // side A runs settleAll, side B (an identical database) each settlement by its own method
  let a: Side;
  let b: Side;
  beforeAll(async () => {
    [a, b] = await Promise.all([openSide(makeStore), openSide(makeStore)]);
  });
  afterAll(async () => Promise.all([a?.db.drop(), b?.db.drop()]));

  let runs = 0;
  const nextPrefix = () => `${storeName[0]}s${++runs}.`;

  it('the ids of the runs are valid identifiers (so that only the drawn hostile ones are refused)', () => {
    const prefix = 'd999.';
    const accounts = [...new Set(HOLDS.map((hold) => `${prefix}${hold.account}`))];
    expect(accounts.every((id) => isValidIdentifier(IDENTIFIER_RULES.ACCOUNT_ID, id))).toBe(true);
    const transactions = TRANSACTIONS.map((id) => `${prefix}${id}`);
    expect(transactions.every((id) => isValidIdentifier(IDENTIFIER_RULES.TRANSACTION_ID, id))).toBe(true);
  });

  it.each(MODES)(
    'inside %s: answers and stores every settlement as its own method one by one in order on an identical database (fast-check)',
    async (mode) => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbitraryDrawn, { minLength: 1, maxLength: 24 }), async (drawn) => {
          const prefix = nextPrefix();
          const settlements = settlementsOf(prefix, drawn);
          await Promise.all([setUp(a.store, prefix), setUp(b.store, prefix)]);
          // a unit that fails after the call keeps nothing of it
          const around = await aroundFailedUnit(a, mode, prefix, a.store.settleAll(settlements));
          if (around !== undefined) {
            expect(around.failed).toEqual(Either.left('caller gives up'));
            expect(around.after).toEqual(around.before);
          }
          const all = await run(within(a, mode)(a.store.settleAll(settlements)));
          if (Either.isLeft(all)) throw new Error(`settleAll failed as a whole: ${show(all.left)}`);
          const one = await oneByOne(b, mode, settlements);
          expectAgreement(settlements, all.right, one);
          expect(await storedEntryMismatches(a.db, all.right)).toEqual([]);
          expect(await storedOf(a.db, prefix)).toEqual(await storedOf(b.db, prefix));
          // then every settlement again, one by one outside any unit (repeats now; the batched store's lane copy
          // may not know what the batch wrote)
          expectAgreement(
            settlements,
            await oneByOne(a, 'no unit of work', settlements),
            await oneByOne(b, 'no unit of work', settlements),
          );
          const sides = await bothSides(a, b, prefix);
          expect(sides.stored[0]).toEqual(sides.stored[1]);
          expect(sides.breaks).toEqual([]);
        }),
        { numRuns: 25 },
      );
    },
  );

  it('an empty list answers nothing, inside a unit of work and outside', async () => {
    expect(await Effect.runPromise(a.units['a unit of work'].transactionally(a.store.settleAll([])))).toEqual([]);
    expect(await Effect.runPromise(a.store.settleAll([]))).toEqual([]);
  });

  it('settles holds on many accounts in one call: each account moved by the sum of its own settlements', async () => {
    const prefix = nextPrefix();
    await setUp(a.store, prefix);
    const settlements: HoldSettlement[] = [
      { kind: 'capture', input: { transactionId: `${prefix}h1`, amountMinor: 400n } },
      { kind: 'capture', input: { transactionId: `${prefix}h2`, amountMinor: 200n } },
      { kind: 'voidHold', input: { transactionId: `${prefix}h3 o'q` } },
      { kind: 'capture', input: { transactionId: `${prefix}h4`, amountMinor: 700n } },
      { kind: 'voidHold', input: { transactionId: `${prefix}h5` } },
    ];
    const answers = await Effect.runPromise(a.units['a unit of work'].transactionally(a.store.settleAll(settlements)));
    expect(answers.every(Either.isRight)).toBe(true);
    const accountA = await Effect.runPromise(a.store.account(`${prefix}a`, 'KES'));
    // funded 2,000; holds 400 + 250 + 100 settled now (200 captured before, 50 of it released); 99,999 refused
    expect(accountA).toMatchObject({ holdingMinor: 0n, capturedMinor: 150n + 400n + 200n });
    expect(accountA.availableMinor).toBe(2_000n - 150n - 400n - 200n);
    expect(await Effect.runPromise(a.store.account(`${prefix}usd`, 'USD'))).toMatchObject({
      availableMinor: 2_000n,
      holdingMinor: 0n,
    });
    expect(await journalBreaks(a.db, prefix)).toEqual([]);
  });
});
