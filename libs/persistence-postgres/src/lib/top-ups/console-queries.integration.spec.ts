// The console's reads on PostgreSQL (issue 13): a search by phone number, a
// top-up's resends and events, some accounts' activity and a top-up's ledger
// movements, each held to the in-memory queries the use-case specs run on
// (same seed, same answers) and to the scope: another account's rows never
// appear.
import type { StoredTopUpRequest } from '@airtime/application';
import {
  makeInMemoryDatabase,
  makeInMemoryOutbox,
  makeInMemoryOutboxFeed,
  makeInMemoryTopUpQueries,
  makeInMemoryTopUpRepository,
  makeInMemoryTopUpRequestStore,
} from '@airtime/application/testing';
import {
  attemptFailed,
  attemptSucceeded,
  cancelTopUp,
  createTopUp,
  currencyOf,
  type OutboxEvent,
  parseExternalId,
  type PhoneNumber,
  PersistenceFailure,
  type Quote,
  recordAttemptOutcome,
  startAttempt,
  type TopUp,
} from '@airtime/domain';
import { sampleNewTopUp, sampleQuote } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeLedgerQueries } from '../ledger/ledger-queries.adapter';
import { makeLedgerStore } from '../ledger/ledger-store.adapter';
import { makeOutbox } from '../outbox/outbox.adapter';
import { makeOutboxRelayStore } from '../outbox/outbox-relay.adapter';
import { makeTopUpRequestStore } from '../top-up-requests/top-up-request-store.adapter';
import { makeTopUpQueries } from './top-up-queries.adapter';
import { makeTopUpRepository } from './top-up-repository.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 2, 1, 9, 0, 0);
const PH_1: PhoneNumber = { e164: '+639171234100', countryIso: 'PH', callingCode: '63' };
const PH_2: PhoneNumber = { e164: '+639171234101', countryIso: 'PH', callingCode: '63' };

const globeQuote = (): Quote => {
  const quote = sampleQuote();
  return { ...quote, product: { ...quote.product, operator: { id: 'globe-ph', name: 'Globe', countryIso: 'PH' } } };
};

interface Seed {
  readonly id: string;
  readonly accountId: string;
  readonly destination: PhoneNumber;
  readonly createdAt: number;
  /** What became of it: left created, cancelled, or sent once to `provider` and completed or declined. */
  readonly outcome: 'created' | 'cancelled' | { readonly provider: string; readonly completed: boolean };
  readonly globe?: boolean;
  readonly resendOf?: string;
}

const SEEDS: readonly Seed[] = [
  {
    id: 'tu-1',
    accountId: 'acct-a',
    destination: PH_1,
    createdAt: BASE,
    outcome: { provider: 'dvs', completed: false },
  },
  { id: 'tu-2', accountId: 'acct-a', destination: PH_2, createdAt: BASE + 10, outcome: 'created' },
  // resends of tu-1: two of acct-a, and one of acct-b that names it (its metadata is its caller's own)
  {
    id: 'tu-3',
    accountId: 'acct-a',
    destination: PH_1,
    createdAt: BASE + HOUR,
    outcome: 'cancelled',
    resendOf: 'tu-1',
  },
  {
    id: 'tu-4',
    accountId: 'acct-a',
    destination: PH_1,
    createdAt: BASE + 2 * HOUR + 5,
    outcome: { provider: 'at', completed: true },
    resendOf: 'tu-1',
    globe: true,
  },
  {
    id: 'tu-5',
    accountId: 'acct-b',
    destination: PH_1,
    createdAt: BASE + HOUR,
    outcome: { provider: 'dvs', completed: true },
    resendOf: 'tu-1',
  },
  { id: 'tu-6', accountId: 'acct-b', destination: PH_2, createdAt: BASE + 3 * HOUR, outcome: 'cancelled' },
  {
    id: 'tu-7',
    accountId: 'acct-a',
    destination: PH_1,
    createdAt: BASE + 3 * HOUR - 1,
    outcome: { provider: 'dvs', completed: true },
  },
];

const topUpOf = (seed: Seed): TopUp => {
  const now = new Date(seed.createdAt);
  const created = Either.getOrThrow(
    createTopUp(
      sampleNewTopUp({
        id: seed.id,
        accountId: seed.accountId,
        externalId: Either.getOrThrow(parseExternalId(`order-${seed.id}`)),
        destination: seed.destination,
        now,
        ...(seed.globe === true ? { quote: globeQuote() } : {}),
      }),
    ),
  ).topUp;
  const later = new Date(seed.createdAt + 1_000);
  const { outcome } = seed;
  if (outcome === 'created') return created;
  if (outcome === 'cancelled') return Either.getOrThrow(cancelTopUp(created, later)).topUp;
  return Either.getOrThrow(
    Either.flatMap(startAttempt(created, later, outcome.provider), (started) =>
      recordAttemptOutcome(
        started.topUp,
        outcome.completed
          ? attemptSucceeded(`${outcome.provider}-${seed.id}`)
          : attemptFailed({ reason: 'DECLINED_BY_OPERATOR' }),
        later,
      ),
    ),
  ).topUp;
};

const TOP_UPS = SEEDS.map(topUpOf);

const requestOf = (seed: Seed): StoredTopUpRequest => ({
  topUpId: seed.id,
  accountId: seed.accountId,
  externalId: `order-${seed.id}`,
  request: {
    currency: 'PHP',
    max_amount: '100.00',
    exact_amount: false,
    ...(seed.resendOf === undefined ? {} : { metadata: { note: 'again', resend_of: seed.resendOf } }),
  },
  callbackToken: `token-${seed.id}-0123456789abcdef`,
});

const eventOf = (id: string, aggregateId: string, type: string, at: number): OutboxEvent => ({
  id,
  type,
  aggregateId,
  payload: { topUpId: aggregateId, note: { nested: [1, 'two'] } },
  occurredAt: new Date(at),
});

// interleaved aggregates, appended out of time order: the append order is the answer
const EVENTS = [
  eventOf('ev-1', 'tu-1', 'topup.created', BASE + 2),
  eventOf('ev-2', 'tu-2', 'topup.created', BASE + 1),
  eventOf('ev-3', 'tu-1', 'topup.failed', BASE + 1),
  eventOf('ev-4', 'tu-1', 'topup.failed.late', BASE + 3),
];

describe('the console queries on PostgreSQL', () => {
  let db: TestDatabase;
  const queries = () => makeTopUpQueries(db.dataSource);
  const memory = makeInMemoryDatabase();
  const inMemory = makeInMemoryTopUpQueries(memory);

  beforeAll(async () => {
    db = await createTestDatabase();
    const stores = [
      {
        topUps: makeTopUpRepository(db.dataSource),
        requests: makeTopUpRequestStore(db.dataSource),
        outbox: makeOutbox(db.dataSource),
        feed: makeOutboxRelayStore(db.dataSource),
      },
      {
        topUps: makeInMemoryTopUpRepository(memory),
        requests: makeInMemoryTopUpRequestStore(memory),
        outbox: makeInMemoryOutbox(memory),
        feed: makeInMemoryOutboxFeed(memory),
      },
    ];
    for (const store of stores) {
      for (const [index, topUp] of TOP_UPS.entries()) {
        await run(store.topUps.insert(topUp));
        const seed = SEEDS[index];
        if (seed !== undefined) await run(store.requests.record(requestOf(seed)));
      }
      for (const event of EVENTS) await run(store.outbox.append(event));
      await run(store.feed.recordPublishFailure(['ev-1']));
      await run(store.feed.markSent(['ev-1', 'ev-2'], new Date(BASE + 60_000)));
    }
  });
  afterAll(async () => db.drop());

  it('finds top-ups by their exact E.164 destination within the accounts searched, as in memory', async () => {
    const search = { accountIds: ['acct-a'], offset: 0, limit: 10 };
    const ids = async (phoneNumber: string, accountIds = ['acct-a']) => {
      const found = await run(queries().search({ ...search, accountIds, phoneNumber }));
      expect(found).toEqual(await run(inMemory.search({ ...search, accountIds, phoneNumber })));
      return [found.total, found.items.map((topUp) => topUp.id)];
    };
    expect(await ids(PH_1.e164)).toEqual([4, ['tu-7', 'tu-4', 'tu-3', 'tu-1']]);
    expect(await ids(PH_2.e164)).toEqual([1, ['tu-2']]);
    expect(await ids(PH_2.e164, ['acct-a', 'acct-b'])).toEqual([2, ['tu-6', 'tu-2']]);
    for (const other of ['+639171234102', '639171234100', '+63 917 123 4100', "+63' OR 1=1 --"])
      expect(await ids(other)).toEqual([0, []]);
    const page = await run(queries().search({ ...search, phoneNumber: PH_1.e164, offset: 1, limit: 2 }));
    expect([page.total, page.items.map((topUp) => topUp.id)]).toEqual([4, ['tu-4', 'tu-3']]);
  });

  it("answers a top-up's resends of the account only, newest first, with their attempts, as in memory", async () => {
    const resends = await run(queries().resendsOf('acct-a', 'tu-1'));
    expect(resends.map((topUp) => topUp.id)).toEqual(['tu-4', 'tu-3']);
    expect(resends).toEqual(TOP_UPS.filter((topUp) => ['tu-4', 'tu-3'].includes(topUp.id)).reverse());
    expect(resends).toEqual(await run(inMemory.resendsOf('acct-a', 'tu-1')));
    expect((await run(queries().resendsOf('acct-b', 'tu-1'))).map((topUp) => topUp.id)).toEqual(['tu-5']);
    for (const [accountId, topUpId] of [
      ['acct-a', 'tu-2'],
      ['acct-a', 'tu-3'],
      ['acct-c', 'tu-1'],
      ['acct-a', ''],
      ['', 'tu-1'],
      ['acct-a', 'x'.repeat(10_000)],
    ] as const) {
      expect(await run(queries().resendsOf(accountId, topUpId))).toEqual([]);
    }
  });

  it("answers a top-up's events in the order they were appended, with what the relay did, as in memory", async () => {
    const events = await run(queries().eventsOf('tu-1'));
    expect(events).toEqual([
      {
        id: 'ev-1',
        type: 'topup.created',
        payload: { topUpId: 'tu-1', note: { nested: [1, 'two'] } },
        occurredAt: new Date(BASE + 2),
        sentAt: new Date(BASE + 60_000),
        publishAttempts: 1,
      },
      expect.objectContaining({ id: 'ev-3', sentAt: undefined, publishAttempts: 0 }),
      expect.objectContaining({ id: 'ev-4', type: 'topup.failed.late' }),
    ]);
    expect(events).toEqual(await run(inMemory.eventsOf('tu-1')));
    expect((await run(queries().eventsOf('tu-2'))).map((event) => event.id)).toEqual(['ev-2']);
    expect(await run(queries().eventsOf('tu-404'))).toEqual([]);
  });

  it('counts the activity of the accounts in the window by hour and class, provider and operator, as in memory', async () => {
    const query = { accountIds: ['acct-a'], createdFrom: new Date(BASE), createdBefore: new Date(BASE + 3 * HOUR) };
    const activity = await run(queries().activityOf(query));
    expect(activity).toEqual({
      hourly: [
        { hourStart: new Date(BASE), statusClass: 'CREATED', count: 1 },
        { hourStart: new Date(BASE), statusClass: 'DECLINED', count: 1 },
        { hourStart: new Date(BASE + HOUR), statusClass: 'CANCELLED', count: 1 },
        { hourStart: new Date(BASE + 2 * HOUR), statusClass: 'COMPLETED', count: 2 },
      ],
      byProvider: [
        { providerId: 'at', final: 1, completed: 1 },
        { providerId: 'dvs', final: 2, completed: 1 },
      ],
      byOperator: [
        { operatorId: 'globe-ph', operatorName: 'Globe', final: 1, completed: 1 },
        { operatorId: 'smart-ph', operatorName: 'Smart', final: 3, completed: 1 },
      ],
    });
    expect(activity).toEqual(await run(inMemory.activityOf(query)));
    for (const narrower of [
      { ...query, accountIds: ['acct-b'] },
      { ...query, accountIds: ['acct-a', 'acct-b', 'acct-a'] },
      { ...query, createdFrom: new Date(BASE + 1) },
      { ...query, createdBefore: new Date(BASE + 3 * HOUR - 1) },
      { ...query, accountIds: ['acct-z', ''] },
    ])
      expect(await run(queries().activityOf(narrower))).toEqual(await run(inMemory.activityOf(narrower)));
    expect((await run(queries().activityOf({ ...query, accountIds: ['acct-b'] }))).hourly).toEqual([
      { hourStart: new Date(BASE + HOUR), statusClass: 'COMPLETED', count: 1 },
    ]);
    for (const refused of [
      { ...query, accountIds: [] },
      { ...query, createdFrom: new Date(Number.NaN) },
      { ...query, createdBefore: new Date(Number.NaN) },
    ])
      expect(await failureOf(queries().activityOf(refused))).toEqual(
        expect.objectContaining({ _tag: 'PersistenceFailure', retryable: false }),
      );
    expect(await failureOf(queries().activityOf({ ...query, accountIds: [] }))).toBeInstanceOf(PersistenceFailure);
  });

  it("answers a top-up's ledger movements of the account, oldest first, never a deposit of the same reference", async () => {
    const usd = Either.getOrThrow(currencyOf('USD'));
    const store = makeLedgerStore(db.dataSource);
    for (const accountId of ['acct-a', 'acct-b'])
      await run(store.openAccount({ accountId, currency: usd, creditLimitMinor: 0n }));
    await run(store.deposit({ accountId: 'acct-a', currency: usd, depositId: 'tu-1', amountMinor: 1_000n }));
    await run(store.deposit({ accountId: 'acct-b', currency: usd, depositId: 'fund-b', amountMinor: 1_000n }));
    await run(store.authorize({ accountId: 'acct-a', currency: usd, transactionId: 'tu-1', amountMinor: 186n }));
    await run(store.authorize({ accountId: 'acct-b', currency: usd, transactionId: 'tu-5', amountMinor: 186n }));
    await run(store.voidHold({ transactionId: 'tu-1' }));
    await run(store.capture({ transactionId: 'tu-5', amountMinor: 186n }));
    const ledger = makeLedgerQueries(db.dataSource);
    const movements = await run(ledger.movementsOf('acct-a', 'tu-1'));
    expect(movements.map((entry) => [entry.kind, entry.reference, entry.accountId, entry.amountMinor])).toEqual([
      ['AUTHORIZE', 'tu-1', 'acct-a', 186n],
      ['VOID', 'tu-1', 'acct-a', 186n],
    ]);
    expect(movements.every((entry) => entry.recordedAt instanceof Date)).toBe(true);
    expect(movements[0]?.sequence).toBeLessThan(movements[1]?.sequence ?? 0);
    expect((await run(ledger.movementsOf('acct-b', 'tu-5'))).map((entry) => entry.kind)).toEqual([
      'AUTHORIZE',
      'CAPTURE',
    ]);
    for (const [accountId, topUpId] of [
      ['acct-b', 'tu-1'],
      ['acct-a', 'tu-5'],
      ['acct-a', 'fund-b'],
      ['acct-a', ''],
    ] as const)
      expect(await run(ledger.movementsOf(accountId, topUpId))).toEqual([]);
  });

  it('has an index for each read (the migration 1764900000000)', async () => {
    const indexes: { indexname: string }[] = await db.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE indexname = ANY($1) ORDER BY indexname`,
      [['outbox_by_aggregate', 'top_up_requests_resends', 'top_ups_by_account_destination']],
    );
    expect(indexes.map((index) => index.indexname)).toEqual([
      'outbox_by_aggregate',
      'top_up_requests_resends',
      'top_ups_by_account_destination',
    ]);
  });
});
