// The DT One adapter's transaction listing over real HTTP against the DVS
// simulator: a day of more than 100 transactions over several pages, the
// window's bounds (DVS's to_date is inclusive), long windows split, rate
// limits, duplicates, and what each transaction charged.
import { type ListProgress, money, preciseOf, ProviderResponseInvalid, type TransactionWindow } from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import type { TransferLogRecord } from '@airtime/provider-http-kit';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Effect, Either, Option } from 'effect';
import { pagedReply, startFakeDvsServer } from '../../testing/dvs-server.fake';
import { sampleDvsTransaction } from '../../testing/dvs.fixture';
import type { DvsConfig } from '../config/dvs.config';
import { type DtOneProviderOptions, makeDtOneProvider } from './dtone.adapter';

const DAY_MS = 86_400_000;
const FROM = Date.UTC(2026, 2, 14);
const TO = FROM + DAY_MS;
const window: TransactionWindow = { from: new Date(FROM), to: new Date(TO) };
const USD = testCurrency('USD');

let sim: DvsSimulatorTestServer;
let exchanges: TransferLogRecord[];

beforeAll(async () => {
  sim = await startDvsSimulatorServer({ autoRun: false });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  exchanges = [];
});

const config = (baseUrl: string): DvsConfig => ({
  apiKey: sim.apiKey,
  apiSecret: sim.apiSecret,
  baseUrl,
  timeoutMs: 5_000,
  productCacheTtlMs: 60_000,
  maxRetriesOn429: 5,
});
const providerWith = (options: DtOneProviderOptions = {}, baseUrl = sim.baseUrl) =>
  makeDtOneProvider(config(baseUrl), {
    onExchange: (record) => Effect.sync(() => void exchanges.push(record)),
    ...options,
  });
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

const seed = (externalId: string, at: number, status = 'COMPLETED', productId = 101) =>
  sim.injectTransaction({
    externalId,
    productId,
    creditPartyMobileNumber: productId === 303 ? '+254712345678' : '+639170000100',
    status: status as 'COMPLETED',
    createdAtMs: at,
  });

/** `count` transactions spread over the window, the first at `from` exactly, the last a millisecond before `to`. */
const seedDay = (count: number, prefix = 'day') =>
  Array.from({ length: count }, (_, index) =>
    seed(`${prefix}-${index}`, index === count - 1 ? TO - 1 : FROM + Math.floor((index * DAY_MS) / count)),
  );

const listedQueries = () =>
  exchanges
    .filter((record) => new URL(record.url).pathname === '/v1/transactions')
    .map((record) => Object.fromEntries(new URL(record.url).searchParams));

describe('listing DVS transactions of a window, against the simulator', () => {
  it("follows every page of a day of 130 transactions, keeping [from, to) and dropping DVS's inclusive to_date", async () => {
    const day = seedDay(130);
    seed('before', FROM - 1);
    seed('at-to', TO);
    seed('after', TO + 1);
    const progress: ListProgress[] = [];
    const listed = await run(providerWith().listTransactions(window, (page) => progress.push(page)));

    expect(listed.map((transaction) => transaction.providerExternalId)).toEqual(day.map((t) => t.externalId));
    expect(listed.map((transaction) => transaction.providerTransactionId)).toEqual(day.map((t) => String(t.id)));
    expect(listed[0]?.createdAt).toEqual(new Date(FROM));
    expect(listed.at(-1)?.createdAt).toEqual(new Date(TO - 1));
    // DVS answered the item at to_date too (131 in all), on two pages of 100
    expect(progress).toEqual([
      { fetched: 100, page: 1, total: 131, pages: 2 },
      { fetched: 131, page: 2, total: 131, pages: 2 },
    ]);
    expect(listedQueries()).toEqual([
      { from_date: window.from.toISOString(), to_date: window.to.toISOString(), page: '1', per_page: '100' },
      { from_date: window.from.toISOString(), to_date: window.to.toISOString(), page: '2', per_page: '100' },
    ]);
  });

  it('reads each one with its status, delivered amount, creation date and what it charged (wholesale + fee)', async () => {
    const globe = seed('globe', FROM + 1_000);
    const declined = seed('declined', FROM + 2_000, 'DECLINED-BARRED-CREDIT-PARTY');
    const ranged = sim.injectTransaction({
      externalId: 'ranged',
      productId: 303,
      creditPartyMobileNumber: '+254712345678',
      status: 'SUBMITTED',
      createdAtMs: FROM + 3_000,
      destinationAmount: '100',
    });
    const listed = await run(providerWith().listTransactions(window));
    expect(listed).toEqual([
      {
        providerTransactionId: String(globe.id),
        providerExternalId: 'globe',
        status: { class: 'COMPLETED', status: 'COMPLETED' },
        receive: preciseOf(money(1_000n, testCurrency('PHP'))),
        operatorReference: `SIM-OP-${globe.id}`,
        createdAt: new Date(FROM + 1_000),
        charged: preciseOf(money(19n, USD)),
      },
      {
        providerTransactionId: String(declined.id),
        providerExternalId: 'declined',
        status: { class: 'DECLINED', status: 'DECLINED-BARRED-CREDIT-PARTY' },
        createdAt: new Date(FROM + 2_000),
        charged: preciseOf(money(19n, USD)),
      },
      {
        providerTransactionId: String(ranged.id),
        providerExternalId: 'ranged',
        status: { class: 'SUBMITTED', status: 'SUBMITTED' },
        receive: preciseOf(money(10_000n, testCurrency('KES'))),
        createdAt: new Date(FROM + 3_000),
        // KES 100 at 128.2 KES/USD: 0.79 rounded up, plus the 0.05 fee
        charged: preciseOf(money(84n, USD)),
      },
    ]);
  });

  it('lists a duplicate at DVS (two transactions under one external id) as two', async () => {
    const first = seed('dup', FROM + 10);
    const second = seed('dup', FROM + 20, 'DECLINED');
    const listed = await run(providerWith().listTransactions(window));
    expect(listed.map((transaction) => [transaction.providerExternalId, transaction.providerTransactionId])).toEqual([
      ['dup', String(first.id)],
      ['dup', String(second.id)],
    ]);
  });

  it('splits a window longer than DVS accepts into day pieces, each transaction once', async () => {
    const threeDays: TransactionWindow = { from: new Date(FROM), to: new Date(FROM + 3 * DAY_MS) };
    const seeded = [FROM, FROM + DAY_MS - 1, FROM + DAY_MS, FROM + 2 * DAY_MS, FROM + 3 * DAY_MS - 1].map((at, index) =>
      seed(`span-${index}`, at),
    );
    seed('end', FROM + 3 * DAY_MS);
    const listed = await run(providerWith().listTransactions(threeDays));
    expect(listed.map((transaction) => transaction.providerExternalId)).toEqual(seeded.map((t) => t.externalId));
    const pieces = listedQueries().map((query) => [query['from_date'], query['to_date']]);
    expect(pieces).toEqual(
      [0, 1, 2].map((day) => [
        new Date(FROM + day * DAY_MS).toISOString(),
        new Date(FROM + (day + 1) * DAY_MS).toISOString(),
      ]),
    );
    // a smaller maximum gives more pieces, and the same transactions
    exchanges = [];
    const hourly = await run(providerWith({ maxListWindowMs: 12 * 3_600_000 }).listTransactions(threeDays));
    expect(hourly).toEqual(listed);
    expect(listedQueries()).toHaveLength(6);
  });

  it("waits out DVS's rate limit (429 with Retry-After, an exhausted quota) page after page, losing nothing", async () => {
    const day = seedDay(60);
    sim.setFaults({ rateLimitPerSecond: 2 });
    // the quota is per wall-clock second: begin at the start of one, so that the two calls below and the first
    // page (milliseconds of work) fall in the same second, not in two when they happen to straddle its end
    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000)));
    // someone else used this second's quota: the first page is refused with 429 and Retry-After
    for (let call = 0; call < 2; call += 1)
      await fetch(`${sim.baseUrl}/services`, { headers: { authorization: sim.authorization } });
    const listed = await run(providerWith({ perPage: 20 }).listTransactions(window));
    expect(listed.map((transaction) => transaction.providerExternalId)).toEqual(day.map((t) => t.externalId));
    const statuses = exchanges.map((record) => record.status);
    expect(statuses[0]).toBe(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    // and the quota (X-Ratelimit-Remaining: 0) held the next page back rather than being refused again
    const started = exchanges.map((record) => Date.parse(record.startedAt));
    expect((started.at(-1) ?? 0) - (started[0] ?? 0)).toBeGreaterThanOrEqual(900);
    sim.clearFaults();
  }, 20_000);

  it('answers the status of one transaction with its creation date and charge too', async () => {
    const one = seed('status-1', FROM + 42);
    const found = await run(providerWith().statusByExternalId('status-1'));
    expect(Option.getOrThrow(found)).toMatchObject({
      providerTransactionId: String(one.id),
      createdAt: new Date(FROM + 42),
      charged: preciseOf(money(19n, USD)),
    });
  });

  it('answers nothing for an empty window, without asking DVS', async () => {
    expect(await run(providerWith().listTransactions({ from: new Date(TO), to: new Date(TO) }))).toEqual([]);
    expect(listedQueries()).toEqual([]);
  });
});

describe('listing DVS transactions: an item that cannot be read', () => {
  it('fails the listing naming where the item is, never leaving it out', async () => {
    const fake = await startFakeDvsServer();
    try {
      const good = (index: number) =>
        sampleDvsTransaction({
          id: 1_000 + index,
          external_id: `ok-${index}`,
          creation_date: new Date(FROM + index).toISOString(),
        });
      const cases: readonly [string, unknown, RegExp][] = [
        [
          'no creation date',
          sampleDvsTransaction({ id: 7, creation_date: null }),
          /page 2 item 1 \(DVS transaction 7\): creation_date: missing/,
        ],
        [
          'a date that is no instant',
          sampleDvsTransaction({ id: 7, creation_date: 'today' }),
          /page 2 item 1 .*creation_date/,
        ],
        [
          'an unknown status',
          sampleDvsTransaction({ id: 7, status: { message: 'WEIRD', class: { message: 'ODD' } } }),
          /page 2 item 1 .*status/,
        ],
        [
          'a charge that cannot be read',
          sampleDvsTransaction({
            id: 7,
            prices: { wholesale: { unit_type: 'CURRENCY', unit: 'XYZ', amount: 1, fee: 0 } },
          }),
          /page 2 item 1 .*prices\.wholesale\.unit/,
        ],
        ['a body that is no transaction', { id: 'seven' }, /page 2: GET \/transactions/],
      ];
      for (const [what, bad, reason] of cases) {
        fake.reset();
        const items = [...Array.from({ length: 3 }, (_, index) => good(index)), bad];
        fake.on('GET', '/transactions', (request) => pagedReply(items, request));
        const listed = await Effect.runPromise(
          Effect.either(providerWith({ perPage: 3 }, fake.baseUrl).listTransactions(window)),
        );
        const error = Either.isLeft(listed) ? listed.left : undefined;
        expect({ what, invalid: error instanceof ProviderResponseInvalid }).toEqual({ what, invalid: true });
        if (error instanceof ProviderResponseInvalid)
          expect({ what, reason: error.reason }).toEqual({ what, reason: expect.stringMatching(reason) });
      }
    } finally {
      await fake.close();
    }
  });
});
