// The transaction index answers exactly what a plain scan of every stored
// transaction answers: on its own (random puts, replacements, moves, clears)
// and inside the engine (random creations, confirmations, cancellations,
// reversals, seeded duplicates, amendments, clock moves and resets), for
// lookups by id and by external id and for listings with or without filters.
import { DETAILED_STATUSES, type DetailedStatus } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import { DEFAULT_CATALOGUE } from './catalogue.fixture';
import { countryOfProduct, productById } from './catalogue.queries';
import { type Catalogue, PRODUCT_TYPES, type ProductType } from './catalogue.types';
import { statusIdOf } from './dvs-status.table';
import { SimulatorEngine } from './simulator-engine';
import { TransactionIndex } from './transaction-index';
import { matchesTransactionQuery, type TransactionQuery } from './transaction.queries';
import type { SimTransaction } from './transaction.types';

const EPOCH = Date.UTC(2026, 0, 10, 12);
const DAY_MS = 86_400_000;
const EXTERNAL_IDS = ['ext-a', 'ext-b', 'ext-c', 'ext-d'] as const;
const UNKNOWN_EXTERNAL_ID = 'never-used';

/** Newest first, as the engine lists. */
const scan = (transactions: Iterable<SimTransaction>, keep: (transaction: SimTransaction) => boolean) =>
  [...transactions].filter(keep).sort((a, b) => b.id - a.id);

/** The filter as it was before the index: one closure per filter, built per transaction. */
const referenceMatches = (catalogue: Catalogue, transaction: SimTransaction, query: TransactionQuery): boolean => {
  const product = productById(catalogue, transaction.productId);
  const credit = transaction.creditPartyIdentifier;
  const checks: readonly (readonly [unknown, () => boolean])[] = [
    [query.externalId, () => transaction.externalId === query.externalId],
    [query.fromMs, () => transaction.createdAtMs >= (query.fromMs ?? 0)],
    [query.toMs, () => transaction.createdAtMs <= (query.toMs ?? 0)],
    [query.statusId, () => statusIdOf(transaction.status) === query.statusId],
    [query.productType, () => product?.type === query.productType],
    [query.serviceId, () => product?.serviceId === query.serviceId],
    [query.subserviceId, () => product?.subserviceId === query.subserviceId],
    [query.operatorId, () => product?.operatorId === query.operatorId],
    [
      query.countryIsoCode,
      () => product !== undefined && countryOfProduct(catalogue, product)?.isoCode === query.countryIsoCode,
    ],
    [query.creditPartyMobileNumber, () => credit?.['mobile_number'] === query.creditPartyMobileNumber],
    [query.creditPartyAccountNumber, () => credit?.['account_number'] === query.creditPartyAccountNumber],
  ];
  return checks.every(([filter, passes]) => filter === undefined || passes());
};

const ids = (transactions: readonly SimTransaction[]) => transactions.map((transaction) => transaction.id);

const anyStatus = fc.constantFrom<DetailedStatus>(...DETAILED_STATUSES);
const anyExternalId = fc.constantFrom(...EXTERNAL_IDS);

describe('transaction index', () => {
  /** A bare transaction: only id, external id and status matter to the index. */
  const bare = (id: number, externalId: string, status: DetailedStatus = 'CREATED'): SimTransaction =>
    ({ id, externalId, status }) as SimTransaction;

  it('answers by id and by external id what a scan of the stored transactions answers, for any sequence of writes', () => {
    const write = fc.oneof(
      fc.record({ op: fc.constant('put' as const), id: fc.integer({ min: 1, max: 12 }), externalId: anyExternalId }),
      fc.record({ op: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), anyStatus, (writes, status) => {
        const index = new TransactionIndex();
        const stored = new Map<number, SimTransaction>();
        for (const step of writes) {
          if (step.op === 'clear') {
            index.clear();
            stored.clear();
          } else {
            // a new id, a replacement, or a move to another external id; ids in any order
            const transaction = bare(step.id, step.externalId, status);
            index.put(transaction);
            stored.set(step.id, transaction);
          }
          expect(index.size).toBe(stored.size);
          expect([...index.values()]).toEqual([...stored.values()]);
          for (let id = 0; id <= 13; id++) expect(index.get(id)).toBe(stored.get(id));
          for (const externalId of [...EXTERNAL_IDS, UNKNOWN_EXTERNAL_ID]) {
            const expected = scan(stored.values(), (transaction) => transaction.externalId === externalId);
            expect(index.byExternalId(externalId)).toEqual([...expected].reverse());
            expect(index.newestByExternalId(externalId)).toBe(expected[0]);
            expect(index.hasExternalId(externalId)).toBe(expected.length > 0);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keeps several transactions under one external id, ascending by id, the newest answered', () => {
    const index = new TransactionIndex();
    index.put(bare(5, 'dup'));
    index.put(bare(7, 'dup'));
    index.put(bare(6, 'other'));
    index.put(bare(5, 'dup', 'COMPLETED'));
    expect(ids(index.byExternalId('dup'))).toEqual([5, 7]);
    expect(index.byExternalId('dup')[0]?.status).toBe('COMPLETED');
    expect(index.newestByExternalId('dup')?.id).toBe(7);
    expect(index.byExternalId('missing')).toEqual([]);
    expect(index.newestByExternalId('missing')).toBeUndefined();
  });
});

describe('transaction filters', () => {
  const transactionArb = fc.record({
    id: fc.integer({ min: 1, max: 9 }),
    externalId: anyExternalId,
    productId: fc.constantFrom(101, 201, 301, 401, 501, 601, 701, 901, 999),
    createdAtMs: fc.integer({ min: -5, max: 5 }),
    status: anyStatus,
    creditPartyIdentifier: fc.option(
      fc.record(
        {
          mobile_number: fc.constantFrom('+639170000100', '+639170000101'),
          account_number: fc.constantFrom('A1', 'A2'),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  });
  type TransactionValue = typeof transactionArb extends fc.Arbitrary<infer T> ? T : never;
  /** A filter that is mostly absent or passed by `own` (so that queries often match), sometimes another value. */
  const filterOn = <A>(own: A, others: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constant(own) },
      { weight: 1, arbitrary: others },
    );
  /** A query for `transaction`: every filter of GET /v1/transactions, NaN dates included. */
  const queryFor = (transaction: TransactionValue): fc.Arbitrary<TransactionQuery> => {
    const product = productById(DEFAULT_CATALOGUE, transaction.productId);
    const country = product && countryOfProduct(DEFAULT_CATALOGUE, product);
    const credit = transaction.creditPartyIdentifier;
    const bound = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constant(Number.NaN));
    return fc.record({
      externalId: filterOn(transaction.externalId, fc.constantFrom(...EXTERNAL_IDS, UNKNOWN_EXTERNAL_ID)),
      productType: filterOn<ProductType>(product?.type ?? 'RANGED_VALUE_PAYMENT', fc.constantFrom(...PRODUCT_TYPES)),
      serviceId: filterOn(product?.serviceId ?? 1, fc.constantFrom(1, 2, 3)),
      subserviceId: filterOn(product?.subserviceId ?? 11, fc.constantFrom(11, 12, 13, 21, 99)),
      countryIsoCode: filterOn(country?.isoCode ?? 'PHL', fc.constantFrom('PHL', 'KEN', 'SGP', 'NGA', 'XXX')),
      operatorId: filterOn(product?.operatorId ?? 1, fc.constantFrom(1, 2, 3, 7, 9)),
      statusId: filterOn(statusIdOf(transaction.status), fc.constantFrom(...DETAILED_STATUSES.map(statusIdOf), 0)),
      creditPartyMobileNumber: filterOn(
        credit?.mobile_number ?? '+639170000100',
        fc.constantFrom('+639170000100', '+639170000101'),
      ),
      creditPartyAccountNumber: filterOn(credit?.account_number ?? 'A1', fc.constantFrom('A1', 'A2')),
      fromMs: filterOn(transaction.createdAtMs, bound),
      toMs: filterOn(transaction.createdAtMs, bound),
    });
  };

  it('match exactly what the closure-per-filter form matched, for any transaction and query', () => {
    fc.assert(
      fc.property(
        transactionArb.chain((transaction) => fc.tuple(fc.constant(transaction), queryFor(transaction))),
        ([transaction, query]) => {
          const simTransaction = transaction as unknown as SimTransaction;
          expect(matchesTransactionQuery(DEFAULT_CATALOGUE, simTransaction, query)).toBe(
            referenceMatches(DEFAULT_CATALOGUE, simTransaction, query),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('the engine on its index', () => {
  type Step =
    | {
        readonly op: 'create';
        readonly externalId: string;
        readonly productId: number;
        readonly mobile: string;
        readonly autoConfirm: boolean;
      }
    | {
        readonly op: 'inject';
        readonly externalId: string;
        readonly status: DetailedStatus;
        readonly createdOffsetMs: number | undefined;
      }
    | { readonly op: 'amend'; readonly pick: number; readonly status: DetailedStatus | undefined }
    | { readonly op: 'confirm' | 'cancel' | 'reverse'; readonly pick: number }
    | { readonly op: 'advance'; readonly ms: number }
    | { readonly op: 'setNow'; readonly offsetMs: number }
    | { readonly op: 'reset' };

  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('create' as const),
        externalId: fc.oneof(anyExternalId, fc.constantFrom('ext-e', 'ext-f', 'ext-g')),
        productId: fc.constantFrom(101, 201, 901),
        // sandbox suffixes: completes in 3 s, declines in 3 s, PIN in 20 s, completes in 5 min; none
        mobile: fc.constantFrom('+639170000100', '+639170000106', '+639170000201', '+639170000300', '+639171234567'),
        autoConfirm: fc.boolean(),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('inject' as const),
        externalId: anyExternalId,
        status: anyStatus,
        createdOffsetMs: fc.option(fc.integer({ min: -3 * DAY_MS, max: DAY_MS }), { nil: undefined }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('amend' as const),
        pick: fc.nat(),
        status: fc.option(anyStatus, { nil: undefined }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('confirm', 'cancel', 'reverse'), pick: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('advance' as const),
        ms: fc.constantFrom(0, 1_500, 3_000, 20_000, 300_000, DAY_MS),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('setNow' as const),
        offsetMs: fc.integer({ min: -2 * DAY_MS, max: DAY_MS }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reset' as const) }) },
  );

  const run = async (engine: SimulatorEngine, known: readonly number[], next: Step): Promise<void> => {
    const picked = (pick: number) => known[pick % Math.max(1, known.length)] ?? 1;
    switch (next.op) {
      case 'create':
        engine.createTransaction({
          externalId: next.externalId,
          productId: next.productId,
          autoConfirm: next.autoConfirm,
          creditPartyIdentifier: { mobile_number: next.mobile },
        });
        return;
      case 'inject':
        engine.injectTransaction({
          externalId: next.externalId,
          productId: 101,
          creditPartyMobileNumber: '+639170000100',
          status: next.status,
          ...(next.createdOffsetMs === undefined ? {} : { createdAtMs: engine.now() + next.createdOffsetMs }),
        });
        return;
      case 'amend':
        engine.amendTransaction(picked(next.pick), next.status === undefined ? {} : { status: next.status });
        return;
      case 'confirm':
      case 'cancel':
      case 'reverse':
        engine[next.op](picked(next.pick));
        return;
      case 'advance':
        await engine.advance(next.ms);
        return;
      case 'setNow':
        engine.setNow(engine.now() + next.offsetMs);
        return;
      case 'reset':
        engine.reset();
        return;
    }
  };

  it('answers lookups and listings exactly as a plain scan of every transaction it reported', async () => {
    const anyFilter = fc.record(
      {
        statusId: fc.constantFrom(...DETAILED_STATUSES.map(statusIdOf)),
        creditPartyMobileNumber: fc.constantFrom('+639170000100', '+639170000106'),
        productType: fc.constantFrom('FIXED_VALUE_RECHARGE', 'FIXED_VALUE_PIN_PURCHASE'),
        fromOffsetMs: fc.integer({ min: -3 * DAY_MS, max: DAY_MS }),
        toOffsetMs: fc.integer({ min: -3 * DAY_MS, max: DAY_MS }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), anyFilter, async (steps, filter) => {
        const engine = new SimulatorEngine({
          autoRun: false,
          epochMs: EPOCH,
          callbackSender: () => Promise.resolve({ status: 200 }),
        });
        // what the engine reported, kept apart from its storage
        const reported = new Map<number, SimTransaction>();
        engine.onChange((transaction) => reported.set(transaction.id, transaction));
        try {
          for (const next of steps) {
            await run(engine, [...reported.keys()], next);
            if (next.op === 'reset') reported.clear();
            const now = engine.now();
            const filters: TransactionQuery = {
              ...(filter.statusId === undefined ? {} : { statusId: filter.statusId }),
              ...(filter.creditPartyMobileNumber === undefined
                ? {}
                : { creditPartyMobileNumber: filter.creditPartyMobileNumber }),
              ...(filter.productType === undefined ? {} : { productType: filter.productType }),
              ...(filter.fromOffsetMs === undefined ? {} : { fromMs: now + filter.fromOffsetMs }),
              ...(filter.toOffsetMs === undefined ? {} : { toMs: now + filter.toOffsetMs }),
            };
            for (const id of [...reported.keys(), 0, 999_999_999]) {
              const found = engine.transaction(id);
              expect(Either.isRight(found) ? found.right : undefined).toBe(reported.get(id));
            }
            for (const externalId of [...EXTERNAL_IDS, 'ext-e', UNKNOWN_EXTERNAL_ID]) {
              const all = scan(reported.values(), (transaction) => transaction.externalId === externalId);
              expect(ids(engine.transactions({ externalId }))).toEqual(ids(all));
              expect(engine.transactions({ externalId })).toEqual(all);
              expect(engine.transactionByExternalId(externalId)).toBe(all[0]);
              const query = { ...filters, externalId };
              expect(ids(engine.transactions(query))).toEqual(
                ids(scan(reported.values(), (transaction) => referenceMatches(DEFAULT_CATALOGUE, transaction, query))),
              );
            }
            // without an external id: the last 24 hours unless dates are given
            expect(ids(engine.transactions())).toEqual(
              ids(scan(reported.values(), (transaction) => transaction.createdAtMs >= now - DAY_MS)),
            );
            const window = filters.fromMs === undefined && filters.toMs === undefined ? { fromMs: now - DAY_MS } : {};
            expect(ids(engine.transactions(filters))).toEqual(
              ids(
                scan(reported.values(), (transaction) =>
                  referenceMatches(DEFAULT_CATALOGUE, transaction, { ...filters, ...window }),
                ),
              ),
            );
          }
        } finally {
          engine.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
