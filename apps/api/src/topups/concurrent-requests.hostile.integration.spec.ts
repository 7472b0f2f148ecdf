// Hostile use of the API's batched top-up intake (COMMAND_BATCH_MAX), over
// real HTTP on the real PostgreSQL and RabbitMQ, against the same attacks on
// an API writing each request in a unit of work of its own
// (COMMAND_BATCH_MAX=1): the airtime service's GET and POST /v1/topups on
// the same keys at once; a storm of identical and conflicting twins of one
// key; several accounts, one nearly exhausted, with quotes that fail and
// bodies at (and past) their limits in the same burst; a client that goes
// away while its request is in a batch; the API stopped while a burst is in
// flight. The provider is reached through a proxy that can hold a chosen
// call, so a request is caught in the middle of its batch without a timer.
// Every answer must be one `requestTopUp` alone could give, every key
// written once and traced (request, one hold, journal entry, event, command).
import { TOKENS } from '../composition/tokens';
import { type ApiHarness, type HttpAnswer, startApiHarness } from '../testing/api-harness.fixture';
import {
  type GatedProviderProxy,
  type ProviderGate,
  startGatedProviderProxy,
} from '../testing/gated-provider-proxy.fixture';
import { expectEveryKeyOnceAndTraced, topUpTraces } from '../testing/top-up-trace.fixture';

type Json = Record<string, unknown>;

const RICH = 'team-rich';
const OTHER = 'team-other';
const POOR = 'team-poor';
/** A Globe number the probe quotes first: its operator and products are cached afterwards. */
const CACHED_PHONE = '+639171234100';

interface Api {
  readonly harness: ApiHarness;
  readonly proxy: GatedProviderProxy;
  readonly key: string;
}

const body = (externalId: string, overrides: Json = {}): Json => ({
  external_id: externalId,
  account_id: RICH,
  phone_number: CACHED_PHONE,
  currency: 'PHP',
  max_amount: '30',
  ...overrides,
});

const failed = (error: unknown): HttpAnswer => ({
  status: 0,
  headers: new Headers(),
  body: { error: { code: error instanceof Error ? error.name : String(error) } },
  text: '',
});

/** Sends one request; a transport failure (refused, reset, aborted) is answered status 0. */
const call = async (
  api: Api,
  method: string,
  path: string,
  options: { readonly body?: unknown; readonly raw?: string; readonly signal?: AbortSignal } = {},
): Promise<HttpAnswer> => {
  try {
    return await api.harness.request(method, path, {
      key: api.key,
      ...(options.raw === undefined ? { body: options.body } : { rawBody: options.raw }),
      ...(options.raw === undefined ? {} : { headers: { 'content-type': 'application/json' } }),
      signal: options.signal,
    });
  } catch (error) {
    return failed(error);
  }
};

const post = (api: Api, sent: unknown, signal?: AbortSignal) =>
  call(api, 'POST', '/v1/topups', { body: sent, ...(signal === undefined ? {} : { signal }) });

const airtime = (api: Api, externalId: string, amount = '30') =>
  call(
    api,
    'GET',
    `/airtime/invoke-send-airtime?phone=${CACHED_PHONE.slice(1)}&amount=${amount}&currency=PHP` +
      `&idempotencyKey=${encodeURIComponent(externalId)}&accountId=${RICH}`,
  );

/** The top-up an answer names (POST /v1/topups: the view; the airtime GET: its `top_up`). */
const idOf = (answer: HttpAnswer | undefined): unknown => {
  const answered = answer?.body as Json | undefined;
  return ((answered?.['top_up'] ?? answered) as Json | undefined)?.['id'];
};

const isSuccess = (answer: HttpAnswer) => answer.status === 200 || answer.status === 202;

/** What an answer says, without what differs between two runs (ids, times). */
const shapeOf = (answer: HttpAnswer): string => {
  const answered = answer.body as Json | undefined;
  if (!isSuccess(answer)) {
    const error = (answered?.['error'] ?? {}) as Json;
    return `${answer.status} ${String(error['code'])} ${String(error['field'] ?? '')}`.trim();
  }
  const view = ((answered?.['top_up'] ?? answered) as Json | undefined) ?? {};
  return `${answer.status} ${String((view['status'] as Json | undefined)?.['class'])}`;
};

const byLabel = (labels: readonly string[], answers: readonly HttpAnswer[]) => {
  const shapes = new Map<string, string[]>();
  labels.forEach((label, index) => {
    const answer = answers[index];
    if (answer === undefined) throw new Error('an answer is missing');
    shapes.set(label, [...(shapes.get(label) ?? []), shapeOf(answer)].sort());
  });
  return Object.fromEntries(shapes);
};

/** The top-up ids whose command (`api:<id>`) was enqueued so far (the queue is drained). */
const enqueuedCommands = async (harness: ApiHarness, seen: Set<string>): Promise<Set<string>> => {
  for (const message of await harness.broker.drain(harness.topology.queues.topUpCommands.name, 10_000)) {
    const messageId = String(message.properties.messageId);
    if (messageId.startsWith('api:')) seen.add(messageId.slice('api:'.length));
  }
  return seen;
};

/** The cost of one request of `body()` in USD minor units, asked once (it also warms the catalogue's cache). */
const probeCost = async (api: Api): Promise<bigint> => {
  const probe = await post(api, body('probe'));
  expect(probe.status).toBe(202);
  const [row] = (await topUpTraces(api.harness)).filter((topUp) => topUp.external_id === 'probe');
  return BigInt(row?.cost_minor ?? '0');
};

const usdOf = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

const startApi = async (label: string, batchMax: string, poorFunds: (cost: bigint) => bigint): Promise<Api> => {
  const proxy = await startGatedProviderProxy();
  const harness = await startApiHarness({
    label,
    environment: { COMMAND_BATCH_MAX: batchMax, DTONE_BASE_URL: `${proxy.url}/v1` },
  });
  proxy.setTarget(harness.simulator.url);
  await harness.openAccount(RICH);
  await harness.openAccount(OTHER);
  const api: Api = { harness, proxy, key: await harness.issueKey(RICH) };
  const cost = await probeCost(api);
  expect(cost).toBeGreaterThan(0n);
  await harness.openAccount(POOR, usdOf(poorFunds(cost)));
  return { ...api, key: await harness.issueKey(RICH, OTHER, POOR) };
};

/** A fresh Globe number per tag (never cached: its quote asks the provider). */
let freshNumbers = 0;
const freshPhone = () => `+63917${String(5_000_000 + (freshNumbers += 1)).padStart(7, '0')}`;

describe("the API's batched intake, attacked over HTTP (batched against one by one)", () => {
  let batched: Api;
  let oneByOne: Api;
  /** Gates to open whatever happens (a test that fails must not leave a provider call held). */
  const gates: ProviderGate[] = [];
  const commands = new Map<Api, Set<string>>();

  beforeAll(async () => {
    [batched, oneByOne] = await Promise.all([
      startApi('api-hostile-batched', '50', (cost) => (cost * 3n) / 2n),
      startApi('api-hostile-one-by-one', '1', (cost) => (cost * 3n) / 2n),
    ]);
    commands.set(batched, new Set());
    commands.set(oneByOne, new Set());
  }, 60_000);

  afterEach(() => {
    for (const gate of gates.splice(0)) gate.release();
  });

  afterAll(async () => {
    for (const api of [batched, oneByOne]) {
      if (api === undefined) continue;
      await api.harness.close();
      await api.proxy.close();
    }
  });

  const hold = (api: Api, text: string): ProviderGate => {
    const gate = api.proxy.hold(text);
    gates.push(gate);
    return gate;
  };

  it('the airtime GET and POST /v1/topups on the same keys at once name one top-up per key', async () => {
    const run = async (api: Api) => {
      const labels: string[] = [];
      const answers: Promise<HttpAnswer>[] = [];
      for (let round = 0; round < 3; round += 1) {
        for (let key = 0; key < 8; key += 1) {
          const externalId = `mix-${key}`;
          labels.push(`${externalId} exact`);
          answers.push(airtime(api, externalId));
          labels.push(`${externalId} exact`);
          // what the airtime GET requests: exactly 30 PHP to the number, under the key
          answers.push(post(api, body(externalId, { exact_amount: true })));
          if (key < 4 && round === 1) {
            labels.push(`${externalId} loose`);
            answers.push(post(api, body(externalId)));
          }
        }
      }
      return { labels, answers: await Promise.all(answers) };
    };
    const [fromBatched, fromOneByOne] = await Promise.all([run(batched), run(oneByOne)]);

    for (const [api, { labels, answers }] of [
      [batched, fromBatched],
      [oneByOne, fromOneByOne],
    ] as const) {
      const rows = await expectEveryKeyOnceAndTraced(api.harness);
      for (let key = 0; key < 8; key += 1) {
        const externalId = `mix-${key}`;
        const mine = labels.flatMap((label, at) => (label.startsWith(`${externalId} `) ? [[label, answers[at]]] : []));
        // one group of identical requests won the key: all of it answered with one top-up, the other group 409
        const winners = new Set(mine.filter(([, answer]) => answer !== undefined && isSuccess(answer as HttpAnswer)));
        const groups = new Set([...winners].map(([label]) => label));
        expect(groups.size).toBe(1);
        for (const [label, answer] of mine) {
          const answered = answer as HttpAnswer;
          if (groups.has(label as string))
            expect([label, idOf(answered)]).toEqual([label, idOf([...winners][0]?.[1] as HttpAnswer)]);
          else expect([label, shapeOf(answered)]).toEqual([label, '409 EXTERNAL_ID_CONFLICT exact_amount']);
        }
        const row = rows.filter((one) => one.external_id === externalId);
        expect(row.map((one) => one.id)).toEqual([idOf([...winners][0]?.[1] as HttpAnswer)]);
      }
      // keys without a loose twin: every request answered with the one top-up, both ways
      const plain = byLabel(labels, answers);
      for (let key = 4; key < 8; key += 1) {
        expect(plain[`mix-${key} exact`]).toEqual([...Array(3).fill('200 CREATED'), ...Array(3).fill('202 CREATED')]);
      }
      // every CREATED top-up's command was enqueued
      const enqueued = await enqueuedCommands(api.harness, commands.get(api) ?? new Set());
      for (const row of rows.filter((one) => one.status_class === 'CREATED'))
        expect([row.id, enqueued.has(row.id)]).toEqual([row.id, true]);
    }
  }, 60_000);

  it('a storm of 12 identical and 12 conflicting twins of one key writes one top-up and answers one group', async () => {
    const storm = () => [
      ...Array.from({ length: 12 }, () => ({ label: 'same', body: body('storm', { max_amount: '25' }) })),
      ...Array.from({ length: 12 }, (_, index) => ({
        label: `other-${index}`,
        body: body('storm', { max_amount: String(10 + index), metadata: { twin: index } }),
      })),
    ];
    for (const api of [batched, oneByOne]) {
      const sent = storm();
      const answers = await Promise.all(sent.map((one) => post(api, one.body)));
      const won = sent.flatMap((one, at) => (answers[at]?.status === 202 ? [one.label] : []));
      expect(new Set(won).size).toBe(1);
      const winner = won[0] ?? '';
      expect(won.length).toBe(winner === 'same' ? 12 : 1);
      expect(new Set(answers.filter((answer) => answer.status === 202).map(idOf)).size).toBe(1);
      sent.forEach((one, at) => {
        if (one.label !== winner) expect([one.label, answers[at]?.status]).toEqual([one.label, 409]);
      });
      const rows = (await expectEveryKeyOnceAndTraced(api.harness)).filter((row) => row.external_id === 'storm');
      expect(rows.map((row) => row.id)).toEqual([idOf(answers.find((answer) => answer.status === 202))]);
    }
  }, 60_000);

  it('several accounts, one nearly exhausted, failing quotes and bodies at their limits: answered as one by one', async () => {
    const ascii = (bytes: number) => ({ b: 'x'.repeat(bytes - '{"b":""}'.length) });
    const nested = (depth: number): Json => (depth <= 1 ? { leaf: 1 } : { n: nested(depth - 1) });
    const callback = (length: number) => {
      const base = 'https://example.com/';
      return `${base}${'c'.repeat(length - base.length)}`;
    };
    const burst: { label: string; body?: Json; raw?: string }[] = [
      ...Array.from({ length: 8 }, (_, index) => ({ label: `rich-${index}`, body: body(`limits-rich-${index}`) })),
      ...Array.from({ length: 8 }, (_, index) => ({
        label: `other-${index}`,
        body: body(`limits-other-${index}`, { account_id: OTHER, max_amount: '15' }),
      })),
      // the poor account pays for one and a half: one held, the rest REJECTED
      ...Array.from({ length: 6 }, (_, index) => ({
        label: 'poor',
        body: body(`limits-poor-${index}`, { account_id: POOR }),
      })),
      // quotes that fail, among good ones
      { label: 'no-operator', body: body('limits-no-operator', { phone_number: '+639991234567' }) },
      { label: 'no-country', body: body('limits-no-country', { phone_number: '+4915112345678' }) },
      { label: 'no-exact', body: body('limits-no-exact', { max_amount: '33', exact_amount: true }) },
      { label: 'no-product', body: body('limits-no-product', { product_id: 999_999 }) },
      { label: 'too-little', body: body('limits-too-little', { max_amount: '1' }) },
      // a key whose first request fails its quote, and a good twin: the good one is written either way
      { label: 'quote-then-good', body: body('limits-qg', { phone_number: '+639991234567' }) },
      { label: 'quote-then-good', body: body('limits-qg') },
      // a good request for a fresh number (its quote asks the provider) and for the poor account's scope
      { label: 'fresh-number', body: body('limits-fresh', { phone_number: freshPhone() }) },
      // bodies at and past their limits
      { label: 'metadata-4096', body: body('limits-m4096', { metadata: ascii(4096) }) },
      { label: 'metadata-4097', body: body('limits-m4097', { metadata: ascii(4097) }) },
      { label: 'metadata-multibyte', body: body('limits-mmb', { metadata: { b: 'é'.repeat(2040) } }) },
      { label: 'metadata-multibyte-over', body: body('limits-mmbo', { metadata: { b: 'é'.repeat(2050) } }) },
      { label: 'metadata-depth-32', body: body('limits-d32', { metadata: nested(31) }) },
      { label: 'metadata-depth-33', body: body('limits-d33', { metadata: nested(40) }) },
      { label: 'callback-2048', body: body('limits-cb2048', { callback_url: callback(2048) }) },
      { label: 'callback-2049', body: body('limits-cb2049', { callback_url: callback(2049) }) },
      { label: 'external-id-40', body: body('k'.repeat(40)) },
      { label: 'external-id-41', body: body('k'.repeat(41)) },
      { label: 'body-over-64KiB', raw: JSON.stringify(body('limits-huge', { pad: 'p'.repeat(70_000) })) },
      { label: 'not-json', raw: '{"external_id": "limits-broken",' },
    ];
    const labels = burst.map((one) => one.label);
    const send = (api: Api) =>
      Promise.all(
        burst.map((one) =>
          one.raw === undefined ? post(api, one.body) : call(api, 'POST', '/v1/topups', { raw: one.raw }),
        ),
      );
    const [fromBatched, fromOneByOne] = await Promise.all([send(batched), send(oneByOne)]);
    const shapes = byLabel(labels, fromBatched);
    expect(shapes).toEqual(byLabel(labels, fromOneByOne));
    expect(shapes['poor']).toEqual(['202 CREATED', ...Array(5).fill('202 REJECTED')]);
    expect(shapes['quote-then-good']?.[0]).toBe('202 CREATED');
    expect(shapes['body-over-64KiB']?.[0]?.slice(0, 3)).toBe('413');
    for (const good of ['fresh-number', 'metadata-4096', 'metadata-depth-32', 'callback-2048', 'external-id-40'])
      expect([good, shapes[good]]).toEqual([good, ['202 CREATED']]);

    for (const api of [batched, oneByOne]) {
      const rows = await expectEveryKeyOnceAndTraced(api.harness);
      const poorHeld = rows.filter((row) => row.account_id === POOR && row.status_class !== 'REJECTED');
      expect(poorHeld.length).toBe(1);
      // a refused request left nothing behind
      const refused = burst.flatMap((one, at) =>
        (api === batched ? fromBatched : fromOneByOne)[at]?.status === 202 ? [] : [String(one.body?.['external_id'])],
      );
      expect(rows.filter((row) => refused.includes(row.external_id) && row.external_id !== 'limits-qg')).toEqual([]);
    }
  }, 60_000);

  it.each([
    ['batched', () => batched],
    ['one by one', () => oneByOne],
  ])(
    '%s: a client that goes away while its request is in a batch still gets its top-up once, and its retry names it',
    async (_name, apiOf) => {
      const api = apiOf();
      const phone = freshPhone();
      const gate = hold(api, phone.slice(1));
      const controller = new AbortController();
      const gone = post(api, body('gone-1', { phone_number: phone }), controller.signal);
      await gate.held; // its request is quoting: in a batch (or its own unit of work)
      const others = Array.from({ length: 8 }, (_, index) => post(api, body(`gone-neighbour-${index}`)));
      controller.abort();
      expect((await gone).status).toBe(0);
      gate.release();
      expect((await Promise.all(others)).map((answer) => answer.status)).toEqual(Array(8).fill(202));
      // the retry (same key, same body) names the top-up the abandoned request wrote, or writes it
      const retry = await post(api, body('gone-1', { phone_number: phone }));
      expect(retry.status).toBe(202);
      const again = await post(api, body('gone-1', { phone_number: phone }));
      expect(idOf(again)).toBe(idOf(retry));
      const rows = (await expectEveryKeyOnceAndTraced(api.harness)).filter((row) => row.external_id === 'gone-1');
      expect(rows.map((row) => row.id)).toEqual([idOf(retry)]);
      const enqueued = await enqueuedCommands(api.harness, commands.get(api) ?? new Set());
      expect(enqueued.has(String(idOf(retry)))).toBe(true);
    },
    30_000,
  );

  // one by one, a request whose quote waits on the provider holds up no one else's
  it('one by one: a request is answered while another request waits on its provider lookup', async () => {
    const phone = freshPhone();
    const gate = hold(oneByOne, phone.slice(1));
    const slow = post(oneByOne, body('hol-slow-1', { phone_number: phone }));
    await gate.held;
    const quick = await post(oneByOne, body('hol-quick-1'));
    expect(quick.status).toBe(202);
    gate.release();
    expect((await slow).status).toBe(202);
  }, 30_000);

  // Found by this spec (head-of-line blocking): the batched intake quoted a whole batch (provider lookups of
  // numbers not cached) before it wrote it, and took the next batch only after; with one worker per process,
  // a request whose provider lookup was slow (up to DTONE_TIMEOUT_MS, 15 s by default) held up every top-up
  // request of the API arriving meanwhile, even those needing no provider call, where one by one (above)
  // each waits only on its own. Each request is now quoted by its caller before it joins a batch.
  it('batched: a request is answered while another request waits on its provider lookup', async () => {
    const phone = freshPhone();
    const gate = hold(batched, phone.slice(1));
    const slow = post(batched, body('hol-slow-2', { phone_number: phone }));
    await gate.held;
    const quick = await post(batched, body('hol-quick-2'));
    expect(quick.status).toBe(202);
    gate.release();
    expect((await slow).status).toBe(202);
  }, 15_000);
});

describe('the batched API stopped while a burst is in flight', () => {
  it.each([
    ['50', 'batched'],
    ['1', 'one by one'],
  ])(
    'COMMAND_BATCH_MAX=%s (%s): every 202 is committed and traced, nothing partial, each key once',
    async (batchMax) => {
      const proxy = await startGatedProviderProxy();
      const harness = await startApiHarness({
        label: `api-stopping-${batchMax}`,
        environment: { COMMAND_BATCH_MAX: batchMax, DTONE_BASE_URL: `${proxy.url}/v1` },
      });
      try {
        proxy.setTarget(harness.simulator.url);
        await harness.openAccount(RICH);
        const api: Api = { harness, proxy, key: await harness.issueKey(RICH) };
        expect(await probeCost(api)).toBeGreaterThan(0n);
        const phone = freshPhone();
        const gate = proxy.hold(phone.slice(1));
        const first = post(api, body('stop-first', { phone_number: phone }));
        await gate.held;
        // the burst's requests counted as the server receives them: stopped only once all are in flight
        const server = (await harness.app.container.getAsync(TOKENS.httpServer)).app.server;
        let received = 0;
        const counting = () => {
          received += 1;
        };
        server.on('request', counting);
        const burst = Array.from({ length: 30 }, (_, index) => post(api, body(`stop-${index % 20}`)));
        while (received < burst.length) await new Promise((resolve) => setImmediate(resolve));
        server.off('request', counting);
        const stopped = harness.app.stop();
        gate.release();
        const answers = await Promise.all([first, ...burst]);
        await stopped;
        const sentKeys = ['stop-first', ...Array.from({ length: burst.length }, (_, index) => `stop-${index % 20}`)];
        const rows = await expectEveryKeyOnceAndTraced(harness);
        const written = new Map(rows.map((row) => [row.external_id, row.id]));
        // every request in flight was finished by the graceful stop: answered 202, committed under its id
        answers.forEach((answer, at) => {
          const key = sentKeys[at] ?? '';
          expect([key, answer.status, written.get(key)]).toEqual([key, 202, idOf(answer)]);
        });
        expect(rows.length).toBe(22); // the probe, the first one, 20 keys of the burst
      } finally {
        await harness.close();
        await proxy.close();
      }
    },
    60_000,
  );
});
