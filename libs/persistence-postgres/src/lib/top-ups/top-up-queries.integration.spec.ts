import { TopUpQueries, type TopUpQueriesService, type TopUpSearch } from '@airtime/application';
import {
  makeInMemoryDatabase,
  makeInMemoryTopUpQueries,
  makeInMemoryTopUpRepository,
} from '@airtime/application/testing';
import {
  attemptAccepted,
  attemptSucceeded,
  cancelTopUp,
  createTopUp,
  parseExternalId,
  PersistenceFailure,
  recordAttemptOutcome,
  rejectForRefusedHold,
  startAttempt,
  type TopUp,
  TRANSACTION_CLASSES,
  type TransactionClass,
} from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTopUpQueries, topUpQueriesLayer } from './top-up-queries.adapter';
import { makeTopUpRepository } from './top-up-repository.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

const ACCOUNTS = ['acct-a', 'acct-b', 'acct-c'] as const;
const BASE = Date.UTC(2026, 2, 1, 9, 0, 0);
const COUNT = 90;

/**
 * The i-th top-up of the seed: accounts in turn, one external id on each of
 * the three accounts, creation times that tie in groups (13 distinct times),
 * ids in no particular order (upper and lower case, `_` and `-`: code-point
 * order differs from a linguistic one), and a status class by i % 5.
 */
const seedTopUp = (i: number): TopUp => {
  const createdAt = new Date(BASE + ((i * 7) % 13) * 60_000);
  const created = Either.getOrThrow(
    createTopUp(
      sampleNewTopUp({
        id: `${['T', 't', '_', '-'][i % 4]}u${String((i * 37) % COUNT).padStart(2, '0')}`,
        accountId: ACCOUNTS[i % 3] ?? 'acct-a',
        externalId: Either.getOrThrow(parseExternalId(`order-${Math.floor(i / 3)}`)),
        now: createdAt,
      }),
    ),
  ).topUp;
  const later = new Date(createdAt.getTime() + 1_000);
  const attempted = (outcome: Parameters<typeof recordAttemptOutcome>[1]) =>
    Either.flatMap(startAttempt(created, later, 'dvs'), (started) =>
      recordAttemptOutcome(started.topUp, outcome, later),
    );
  const change: Either.Either<{ readonly topUp: TopUp }, unknown> =
    i % 5 === 1
      ? cancelTopUp(created, later)
      : i % 5 === 2
        ? rejectForRefusedHold(created, later)
        : i % 5 === 3
          ? attempted(attemptSucceeded(`dvs-${i}`))
          : i % 5 === 4
            ? attempted(attemptAccepted(`dvs-${i}`))
            : Either.right({ topUp: created });
  return Either.getOrThrow(change).topUp;
};

const SEED = Array.from({ length: COUNT }, (_, i) => seedTopUp(i));

const search = (overrides: Partial<TopUpSearch> = {}): TopUpSearch => ({
  accountIds: [...ACCOUNTS],
  offset: 0,
  limit: 10,
  ...overrides,
});

describe('top-up queries on PostgreSQL', () => {
  let db: TestDatabase;
  const queries = () => makeTopUpQueries(db.dataSource);
  const memory = makeInMemoryDatabase();
  const inMemory = makeInMemoryTopUpQueries(memory);

  /** Every page of `s` (offset 0, limit, 2 * limit, ...) until the total is passed. */
  const allPages = async (service: TopUpQueriesService, s: TopUpSearch) => {
    const pages = [];
    for (let offset = 0; ; offset += s.limit) {
      const page = await run(service.search({ ...s, offset }));
      pages.push(page);
      if (offset + s.limit >= page.total) return pages;
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const repository = makeTopUpRepository(db.dataSource);
    const memoryRepository = makeInMemoryTopUpRepository(memory);
    for (const topUp of SEED) {
      await run(repository.insert(topUp));
      await run(memoryRepository.insert(topUp));
    }
  });
  afterAll(async () => db.drop());

  it('the seed holds every kind of row the filters tell apart', () => {
    expect(new Set(SEED.map((topUp) => topUp.status.class))).toEqual(
      new Set<TransactionClass>(['CREATED', 'CANCELLED', 'REJECTED', 'COMPLETED', 'CONFIRMED']),
    );
    expect(SEED.filter((topUp) => topUp.attempts.length > 0).length).toBeGreaterThan(30);
    expect(new Set(SEED.map((topUp) => topUp.createdAt.getTime())).size).toBeLessThan(COUNT / 3);
  });

  it.each([1, 4, 7, 89, 90, 500])(
    'pages of %i partition the set, newest first (created_at, then id in code-point order, descending)',
    async (limit) => {
      const pages = await allPages(queries(), search({ limit }));
      const ids = pages.flatMap((page) => page.items.map((topUp) => topUp.id));
      const expected = [...SEED]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .map((topUp) => topUp.id);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(COUNT);
      for (const page of pages) expect(page.total).toBe(COUNT);
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(limit);
    },
  );

  it('answers the total with no items past the end', async () => {
    for (const offset of [COUNT, COUNT + 1, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(await run(queries().search(search({ offset })))).toEqual({ items: [], total: COUNT });
    }
  });

  it('sees only the accounts searched', async () => {
    for (const account of ACCOUNTS) {
      const pages = await allPages(queries(), search({ accountIds: [account], limit: 8 }));
      const items = pages.flatMap((page) => page.items);
      expect(items).toHaveLength(COUNT / 3);
      expect(items.every((topUp) => topUp.accountId === account)).toBe(true);
      expect(pages[0]?.total).toBe(COUNT / 3);
    }
    const two = await run(queries().search(search({ accountIds: ['acct-a', 'acct-c', 'acct-a'], limit: 100 })));
    expect(two.total).toBe((2 * COUNT) / 3);
    expect(new Set(two.items.map((topUp) => topUp.accountId))).toEqual(new Set(['acct-a', 'acct-c']));
    for (const accountIds of [['acct-z'], ['ACCT-A'], ['acct-a\u0000'], ['x'.repeat(100_000)], [' acct-a']]) {
      expect(await run(queries().search(search({ accountIds })))).toEqual({ items: [], total: 0 });
    }
    // one external id is on every account: the search finds only the searched account's
    const byKey = await run(queries().search(search({ accountIds: ['acct-b'], externalId: 'order-7' })));
    expect(byKey.items.map((topUp) => [topUp.accountId, topUp.externalId])).toEqual([['acct-b', 'order-7']]);
    expect(byKey.total).toBe(1);
  });

  it('gives each top-up with its attempts, exactly as stored', async () => {
    const repository = makeTopUpRepository(db.dataSource);
    const page = await run(queries().search(search({ classes: ['COMPLETED', 'CONFIRMED'], limit: 100 })));
    expect(page.items.length).toBeGreaterThan(30);
    for (const topUp of page.items) {
      expect(topUp.attempts.length).toBeGreaterThan(0);
      const stored = await run(repository.findById(topUp.id));
      expect(stored).toEqual(expect.objectContaining({ value: { topUp, version: 1 } }));
    }
  });

  it('refuses no accounts, a bad window or a bad date with a non-retryable failure', async () => {
    const refusals: TopUpSearch[] = [
      search({ accountIds: [] }),
      search({ offset: -1 }),
      search({ offset: 1.5 }),
      search({ offset: Number.NaN }),
      search({ limit: 0 }),
      search({ limit: 2.5 }),
      search({ limit: Number.POSITIVE_INFINITY }),
      search({ createdFrom: new Date(Number.NaN) }),
      search({ createdBefore: new Date(Number.NaN) }),
    ];
    for (const refused of refusals) {
      const failure = await failureOf(queries().search(refused));
      expect(failure).toBeInstanceOf(PersistenceFailure);
      expect(failure).toMatchObject({ retryable: false });
    }
  });

  it('joins the unit of work: a top-up written in it is found there, and gone after a rollback', async () => {
    const extra = Either.getOrThrow(
      createTopUp(
        sampleNewTopUp({
          id: 'uow-1',
          accountId: 'acct-a',
          externalId: Either.getOrThrow(parseExternalId('order-uow')),
          now: new Date(BASE + 3_600_000),
        }),
      ),
    ).topUp;
    const seen = await failureOf(
      makeUnitOfWork(db.dataSource).transactionally(
        Effect.gen(function* () {
          yield* makeTopUpRepository(db.dataSource).insert(extra);
          const page = yield* queries().search(search({ accountIds: ['acct-a'], limit: 1 }));
          return yield* Effect.fail({ page });
        }),
      ),
    );
    expect(seen).toMatchObject({ page: { total: COUNT / 3 + 1, items: [extra] } });
    expect((await run(queries().search(search({ accountIds: ['acct-a'] })))).total).toBe(COUNT / 3);
  });

  it('is provided by its layer', async () => {
    const page = await run(
      Effect.provide(
        Effect.flatMap(TopUpQueries, (service) => service.search(search({ limit: 3 }))),
        topUpQueriesLayer(db.dataSource),
      ),
    );
    expect(page.total).toBe(COUNT);
    expect(page.items).toHaveLength(3);
  });

  it('agrees with the in-memory queries of @airtime/application/testing on random searches (fast-check)', async () => {
    const times = fc.integer({ min: -1, max: 14 }).map((minutes) => new Date(BASE + minutes * 60_000));
    /** `arbitrary` one time in `1 + absent`, else left out. */
    const sometimes = <A>(arbitrary: fc.Arbitrary<A>, absent = 2) =>
      fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
    const arbitrarySearch: fc.Arbitrary<TopUpSearch> = fc.record({
      accountIds: fc.uniqueArray(fc.constantFrom(...ACCOUNTS, 'acct-z'), { minLength: 1, maxLength: 4 }),
      externalId: sometimes(fc.constantFrom('order-0', 'order-7', 'order-29', 'order-99', 'order 7', ''), 5),
      classes: sometimes(fc.subarray([...TRANSACTION_CLASSES])),
      createdFrom: sometimes(times),
      createdBefore: sometimes(times),
      offset: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 })),
      limit: fc.integer({ min: 1, max: 40 }),
    });
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(arbitrarySearch, async (s) => {
        const fromPostgres = await run(queries().search(s));
        if (fromPostgres.items.length > 0) nonEmpty += 1;
        expect(fromPostgres).toEqual(await run(inMemory.search(s)));
      }),
      { numRuns: 300 },
    );
    expect(nonEmpty).toBeGreaterThan(50);
  });
});
