// The API's concurrent top-up requests written in batches (issue 12: "the
// API's concurrent requests share commits through the same mechanism" as the
// consumer's commands), attacked over real HTTP on the real PostgreSQL and
// RabbitMQ. The same hostile bursts go to an API batching its requests
// (COMMAND_BATCH_MAX=50) and to one writing each in a unit of work of its own
// (COMMAND_BATCH_MAX=1): every request must be answered the same way by both
// (status, error code, new or repeated), twins and repeats must name one
// top-up, a conflicting body must be refused, the barely funded account must
// hold as many top-ups as its funds pay for, and both databases must show
// each key written once and every top-up traced (its request, one hold).
// The batched API must really have shared units of work: requests written
// in one transaction share their rows' xmin (a unit of its own in a group
// commit has a subtransaction of its own, so one by one they never do).
import { type ApiHarness, type HttpAnswer, startApiHarness } from '../testing/api-harness.fixture';
import { expectEveryKeyOnceAndTraced, topUpTraces } from '../testing/top-up-trace.fixture';

type Json = Record<string, unknown>;

const RICH = 'team-rich';
const POOR = 'team-poor';

/** One request of a burst: a label to compare answers by, and what is sent. */
interface Sent {
  readonly label: string;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const body = (externalId: string, overrides: Json = {}): Json => ({
  external_id: externalId,
  account_id: RICH,
  phone_number: '+639171234100',
  currency: 'PHP',
  max_amount: '30',
  ...overrides,
});

/** What an answer says, without what differs between two runs (ids, times). */
const shapeOf = (answer: HttpAnswer): string => {
  const answered = answer.body as Json | undefined;
  if (answer.status !== 202) {
    const error = (answered?.['error'] ?? {}) as Json;
    return `${answer.status} ${String(error['code'])} ${String(error['field'] ?? '')}`;
  }
  const status = (answered?.['status'] ?? {}) as Json;
  return `202 ${String(status['class'])}`;
};

/** The first burst: new requests, twins, conflicting twins, bad input, a header/body key clash, an unscoped account, over-spends. */
const firstBurst = (): Sent[] => [
  ...Array.from({ length: 20 }, (_, index) => ({ label: `new-${index}`, body: body(`new-${index}`) })),
  ...Array.from({ length: 4 }, (_, index) => [
    { label: `twin-${index}`, body: body(`twin-${index}`, { max_amount: '50' }) },
    { label: `twin-${index}`, body: body(`twin-${index}`, { max_amount: '50' }) },
  ]).flat(),
  ...Array.from({ length: 3 }, (_, index) => [
    { label: `conflict-${index}`, body: body(`conflict-${index}`) },
    { label: `conflict-${index}`, body: body(`conflict-${index}`, { phone_number: '+639171234199' }) },
  ]).flat(),
  { label: 'header-key', body: body('ignored', { external_id: undefined }), headers: { 'idempotency-key': 'hdr-1' } },
  { label: 'header-twin', body: body('hdr-2', { external_id: undefined }), headers: { 'idempotency-key': 'hdr-2' } },
  { label: 'header-twin', body: body('hdr-2'), headers: { 'idempotency-key': 'hdr-2' } },
  { label: 'key-clash', body: body('body-key'), headers: { 'idempotency-key': 'header-key' } },
  { label: 'bad-phone', body: body('bad-phone', { phone_number: '12' }) },
  { label: 'bad-currency', body: body('bad-currency', { currency: 'XXX1' }) },
  { label: 'negative', body: body('negative', { max_amount: '-5' }) },
  { label: 'not-text-key', body: body('x', { external_id: 42 }) },
  { label: 'lone-surrogate', body: body('lone-\ud800-key') },
  { label: 'nul-key', body: body('nul-\u0000-key') },
  { label: 'unscoped', body: body('unscoped', { account_id: 'team-elsewhere' }) },
  { label: 'bad-callback', body: body('bad-callback', { callback_url: 'ftp://example.com/x' }) },
  ...Array.from({ length: 8 }, (_, index) => ({ label: 'poor', body: body(`poor-${index}`, { account_id: POOR }) })),
];

/** The second burst: repeats and conflicts of the first one's keys, mixed with new ones. */
const secondBurst = (): Sent[] => [
  ...Array.from({ length: 10 }, (_, index) => ({ label: `new-${index}`, body: body(`new-${index}`) })),
  ...Array.from({ length: 5 }, (_, index) => ({
    label: `changed-${index}`,
    body: body(`new-${10 + index}`, { max_amount: '50' }),
  })),
  ...Array.from({ length: 10 }, (_, index) => ({ label: `later-${index}`, body: body(`later-${index}`) })),
  { label: 'poor-repeat', body: body('poor-0', { account_id: POOR }) },
];

const send = (api: ApiHarness, key: string, burst: readonly Sent[]) =>
  Promise.all(
    burst.map((sent) =>
      api
        .request('POST', '/v1/topups', {
          key,
          headers: { 'content-type': 'application/json', ...sent.headers },
          rawBody: JSON.stringify(sent.body),
        })
        .then(
          (answer) => answer,
          (error: unknown) => ({
            status: 0,
            headers: new Headers(),
            body: { error: { code: String(error) } },
            text: '',
          }),
        ),
    ),
  );

/** Each label's answer shapes, sorted (twins may be answered in either order). */
const byLabel = (burst: readonly Sent[], answers: readonly HttpAnswer[]) => {
  const shapes = new Map<string, string[]>();
  burst.forEach((sent, index) => {
    const answer = answers[index];
    if (answer === undefined) throw new Error('an answer is missing');
    shapes.set(sent.label, [...(shapes.get(sent.label) ?? []), shapeOf(answer)].sort());
  });
  return Object.fromEntries(shapes);
};

const idOf = (answer: HttpAnswer | undefined): unknown => (answer?.body as Json | undefined)?.['id'];

describe("the API's concurrent requests, batched against one by one", () => {
  let batched: ApiHarness;
  let oneByOne: ApiHarness;
  const keys = new Map<ApiHarness, string>();
  /** The cost of one request of `body()` in USD minor units (the simulator's price). */
  let costMinor = 0n;

  const startApi = async (label: string, batchMax: string) => {
    const api = await startApiHarness({ label, environment: { COMMAND_BATCH_MAX: batchMax } });
    started.push(api);
    await api.openAccount(RICH);
    return api;
  };
  const started: ApiHarness[] = [];

  beforeAll(async () => {
    [batched, oneByOne] = await Promise.all([startApi('api-batched', '50'), startApi('api-one-by-one', '1')]);
    // the price of one request, asked of the batched API: the poor account is funded for two and a half of them
    const probeKey = await batched.issueKey(RICH);
    const probe = await batched.request('POST', '/v1/topups', { key: probeKey, body: body('probe') });
    expect(probe.status).toBe(202);
    const [row] = (await topUpTraces(batched)).filter((topUp) => topUp.external_id === 'probe');
    costMinor = BigInt(row?.cost_minor ?? '0');
    expect(costMinor).toBeGreaterThan(0n);
    const funds = (costMinor * 5n) / 2n;
    const usd = `${funds / 100n}.${String(funds % 100n).padStart(2, '0')}`;
    for (const api of [batched, oneByOne]) {
      await api.openAccount(POOR, usd);
      keys.set(api, await api.issueKey(RICH, POOR));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(started.map((api) => api.close()));
  });

  it('answers every request the same both ways, and writes each key once, traced and within funds', async () => {
    const first = firstBurst();
    const second = secondBurst();
    const answered = new Map<ApiHarness, HttpAnswer[][]>();
    for (const burst of [first, second]) {
      const [fromBatched, fromOneByOne] = await Promise.all([
        send(batched, keys.get(batched) ?? '', burst),
        send(oneByOne, keys.get(oneByOne) ?? '', burst),
      ]);
      expect(byLabel(burst, fromBatched)).toEqual(byLabel(burst, fromOneByOne));
      answered.set(batched, [...(answered.get(batched) ?? []), fromBatched]);
      answered.set(oneByOne, [...(answered.get(oneByOne) ?? []), fromOneByOne]);
    }

    for (const api of [batched, oneByOne]) {
      const [firstAnswers = [], secondAnswers = []] = answered.get(api) ?? [];
      const shapes = byLabel(first, firstAnswers);
      // a twin names its sibling's top-up; a conflicting body is refused, the first one written stands
      for (let index = 0; index < 4; index += 1) {
        const pair = first.flatMap((sent, at) => (sent.label === `twin-${index}` ? [firstAnswers[at]] : []));
        expect(pair.map((answer) => answer?.status)).toEqual([202, 202]);
        expect(idOf(pair[0])).toBe(idOf(pair[1]));
        expect(shapes[`conflict-${index % 3}`]).toEqual(['202 CREATED', '409 EXTERNAL_ID_CONFLICT phone_number']);
      }
      expect(shapes['header-twin']).toEqual(['202 CREATED', '202 CREATED']);
      for (const refused of ['key-clash', 'bad-phone', 'bad-currency', 'negative', 'not-text-key', 'bad-callback']) {
        expect([refused, shapes[refused]?.[0]?.slice(0, 3)]).toEqual([refused, '400']);
      }
      expect(shapes['unscoped']).toEqual(['404 ACCOUNT_NOT_FOUND ']);
      // the poor account: two held (its funds pay for two and a half), the rest refused, in either order
      expect(shapes['poor']).toEqual([...Array(2).fill('202 CREATED'), ...Array(6).fill('202 REJECTED')]);
      // the second burst's repeats name the first burst's top-ups; a changed body is a conflict
      first.forEach((sent, at) => {
        if (!/^new-\d$/.test(sent.label)) return;
        const again = second.findIndex((other) => other.label === sent.label);
        expect([sent.label, idOf(secondAnswers[again])]).toEqual([sent.label, idOf(firstAnswers[at])]);
      });
      const secondShapes = byLabel(second, secondAnswers);
      for (let index = 0; index < 5; index += 1) {
        expect(secondShapes[`changed-${index}`]).toEqual(['409 EXTERNAL_ID_CONFLICT max_amount']);
      }

      // each key written once, with its request and one hold; the poor account within its funds
      const rows = await expectEveryKeyOnceAndTraced(api);
      const poorHeld = rows.filter((row) => row.account_id === POOR && row.status_class !== 'REJECTED');
      expect(poorHeld.length).toBe(2);
      expect(poorHeld.reduce((sum, row) => sum + BigInt(row.cost_minor), 0n)).toBeLessThanOrEqual(
        (costMinor * 5n) / 2n,
      );
    }

    // the batched API shared units of work (rows of one transaction share an xmin); one by one never did
    const largestUnit = async (api: ApiHarness) => {
      const [row] = (await api.db.dataSource.query(
        `SELECT COALESCE(max(n), 0)::int AS largest FROM (SELECT count(*) AS n FROM top_up_requests GROUP BY xmin::text) c`,
      )) as { largest: number }[];
      return row?.largest ?? 0;
    };
    expect(await largestUnit(batched)).toBeGreaterThan(1);
    expect(await largestUnit(oneByOne)).toBe(1);
  }, 120_000);
});
