// The DT One adapter's transaction listing over HTTP against a fake DVS that
// sends no pagination headers (no X-Next-Page, no X-Total-Pages): the listing
// goes on after every full page to a short or empty one, so nothing after
// the first hundred is ever lost silently.
import type { ListProgress, TransactionWindow } from '@airtime/domain';
import { Effect } from 'effect';
import { type FakeDvsServer, type RecordedRequest, startFakeDvsServer } from '../../testing/dvs-server.fake';
import { sampleDvsTransaction } from '../../testing/dvs.fixture';
import { makeDtOneProvider } from './dtone.adapter';

const FROM = Date.UTC(2026, 2, 14);
const window: TransactionWindow = { from: new Date(FROM), to: new Date(FROM + 86_400_000) };

let fake: FakeDvsServer;

beforeAll(async () => {
  fake = await startFakeDvsServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const provider = () =>
  makeDtOneProvider({
    apiKey: 'k',
    apiSecret: 's',
    baseUrl: fake.baseUrl,
    // a timeout a loaded CI machine's local answers stay well within
    timeoutMs: 5_000,
    productCacheTtlMs: 60_000,
    maxRetriesOn429: 1,
  });

const transactions = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    sampleDvsTransaction({
      id: 1_000 + index,
      external_id: `day-${index}`,
      creation_date: new Date(FROM + index * 1_000).toISOString(),
    }),
  );

/** Pages of `items` by `page`/`per_page` (served at most `cap` a page), with `headers` only (none unless given). */
const headerlessPages =
  (items: readonly unknown[], cap = 100, headers: Record<string, string> = {}) =>
  (request: RecordedRequest) => {
    const page = Number(request.query.get('page'));
    const perPage = Math.min(cap, Number(request.query.get('per_page')));
    return { json: items.slice((page - 1) * perPage, page * perPage), headers };
  };

const pagesAsked = () =>
  fake.requests.filter((request) => request.path === '/v1/transactions').map((request) => request.query.get('page'));

const list = (progress: ListProgress[] = []) =>
  Effect.runPromise(provider().listTransactions(window, (read) => progress.push(read)));

describe('listing DVS transactions when DVS sends no pagination headers', () => {
  it('reads 250 transactions on pages of 100 to the short third page', async () => {
    fake.on('GET', '/transactions', headerlessPages(transactions(250)));
    const progress: ListProgress[] = [];
    const listed = await list(progress);
    expect(listed.map((transaction) => transaction.providerExternalId)).toEqual(
      Array.from({ length: 250 }, (_, index) => `day-${index}`),
    );
    expect(pagesAsked()).toEqual(['1', '2', '3']);
    expect(progress).toEqual([
      { fetched: 100, page: 1, total: undefined, pages: undefined },
      { fetched: 200, page: 2, total: undefined, pages: undefined },
      { fetched: 250, page: 3, total: undefined, pages: undefined },
    ]);
  });

  it('reads exactly 200 to the empty page after them', async () => {
    fake.on('GET', '/transactions', headerlessPages(transactions(200)));
    expect(await list()).toHaveLength(200);
    expect(pagesAsked()).toEqual(['1', '2', '3']);
  });

  it('reads one short page as the whole list', async () => {
    fake.on('GET', '/transactions', headerlessPages(transactions(40)));
    expect(await list()).toHaveLength(40);
    expect(pagesAsked()).toEqual(['1']);
  });

  it('follows pages DVS fills to its own X-Per-Page (50) when that is less than asked', async () => {
    fake.on('GET', '/transactions', headerlessPages(transactions(120), 50, { 'X-Per-Page': '50' }));
    expect(await list()).toHaveLength(120);
    expect(pagesAsked()).toEqual(['1', '2', '3']);
  });

  it('keeps a transaction repeated on a later page once when alike, and every listing when its status changed', async () => {
    const items = transactions(150);
    const declined = { id: 90000, message: 'DECLINED', class: { id: 9, message: 'DECLINED' } };
    // page 2 repeats day-10 as it was, and day-20 with another status (it changed while the pages were read)
    items.splice(120, 0, { ...items[10] }, { ...items[20], status: declined });
    fake.on('GET', '/transactions', headerlessPages(items));
    const listed = await list();
    expect(listed).toHaveLength(151);
    expect(listed.filter((transaction) => transaction.providerExternalId === 'day-10')).toHaveLength(1);
    expect(
      listed
        .filter((transaction) => transaction.providerExternalId === 'day-20')
        .map((transaction) => [transaction.providerTransactionId, transaction.status.status]),
    ).toEqual([
      ['1020', 'COMPLETED'],
      ['1020', 'DECLINED'],
    ]);
  });
});
