// fast-check over real HTTP: random and malformed bodies, headers, path
// parameters and query strings sent to every route of the API. Whatever
// arrives: no 500, the server keeps answering, every answer is JSON in the
// API's shapes, and a refused request writes nothing (the rows of every
// table a request could write are unchanged); an accepted top-up writes
// exactly its top-up and its request.
import fc from 'fast-check';
import { startApiHarness, type ApiHarness } from './testing/api-harness.fixture';

const TABLES = ['top_ups', 'top_up_requests', 'top_up_attempts', 'ledger_journal', 'ledger_holds', 'outbox'] as const;

type Counts = Readonly<Record<(typeof TABLES)[number], number>>;

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array | undefined;
}

const ROUTES: readonly (readonly [string, string])[] = [
  ['POST', '/v1/topups'],
  ['GET', '/v1/topups'],
  ['GET', '/v1/topups/:id'],
  ['POST', '/v1/topups/:id/cancel'],
  ['GET', '/v1/topups/:id/transfer-log'],
  ['POST', '/v1/quotes'],
  ['GET', '/v1/accounts/:id/balance'],
  ['GET', '/v1/accounts/:id/ledger'],
  ['GET', '/v1/products'],
  ['GET', '/v1/lookup/:phone'],
  ['GET', '/airtime/invoke-send-airtime'],
  ['POST', '/airtime/validation'],
  ['POST', '/airtime/status'],
  ['POST', '/callbacks/dtone/:id'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/docs/json'],
  ['GET', '/nope'],
];

const FIELDS = [
  'external_id',
  'account_id',
  'phone_number',
  'currency',
  'max_amount',
  'desired_amount',
  'product_id',
  'exact_amount',
  'callback_url',
  'metadata',
  'version',
  '__proto__',
  'constructor',
];

const QUERY_KEYS = ['page', 'per_page', 'external_id', 'status', 'from', 'to', 'account_id', 'phone', 'x', '__proto__'];

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '0', '-1', '1e3', '30', '30.001', '+639171234100', '639171234100', 'PHP', 'USD', 'CREATED'),
  fc.constantFrom('2025-01-01', '2025-02-30', 'team-growth', 'team-other', '\u202eabc', 'a\u0000b', 'x'.repeat(200)),
);

const fieldValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A body that looks like a request (known fields, random values) or anything else. */
const jsonBody = fc.oneof(
  fc
    .dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 8 })
    .map((fields) => ({ phone_number: '+639171234100', currency: 'PHP', max_amount: '30', ...fields })),
  fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** `inner` inside `depth` arrays or objects. */
const nestedText = (depth: number, inner: string, kind: 'array' | 'object'): string =>
  kind === 'array'
    ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;

/** A field nested far too deep (10,000 levels: effect's formatters overflowed the stack), or near the limit (64). */
const deepBody = fc
  .record({
    field: fc.constantFrom('phone_number', 'max_amount', 'metadata', 'requestId', 'x'),
    depth: fc.constantFrom(10_000, 65, 64, 63),
    kind: fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
  })
  .map(({ field, depth, kind }) => `{"currency":"PHP","${field}":${nestedText(depth, '"1"', kind)}}`);

/** Prototype pollution keys (secure-json-parse's refusals), plain and escaped. */
const protoBody = fc.constantFrom(
  '{"__proto__":{"admin":true}}',
  '{"phone_number":"+639171234100","metadata":{"__proto__":{"x":1}}}',
  '{"\\u005f_proto__":{"x":1}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"metadata":{"constructor":{"prototype":{"x":1}}}}',
);

const body = fc.oneof(
  { weight: 6, arbitrary: jsonBody.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: deepBody },
  { weight: 1, arbitrary: protoBody },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const segment = fc.oneof(
  text.map((value) => encodeURIComponent(value)),
  fc.constantFrom('%', '%zz', '%E2%82', '..', '%2F', 'a%20b', 'no-such-top-up', 'team-growth', '+639171234100'),
);

const query = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), text), { maxLength: 4 })
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`,
  );

const HEADER_TEXT = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 40,
});

const request = (key: string): fc.Arbitrary<Sent> =>
  fc
    .record({
      route: fc.constantFrom(...ROUTES),
      id: segment,
      query: fc.oneof(query, fc.constantFrom('?page=1&page=2', '?%zz=1', '?per_page=%', '')),
      body,
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/octet-stream',
        'application/json; charset=latin1',
      ),
      authorization: fc.oneof(
        { weight: 8, arbitrary: fc.constant(`Bearer ${key}`) },
        { weight: 1, arbitrary: HEADER_TEXT.map((value) => `Bearer ${value}`) },
        { weight: 1, arbitrary: HEADER_TEXT },
      ),
      idempotencyKey: fc.option(HEADER_TEXT, { nil: undefined }),
    })
    .map(
      ({ route: [method, pattern], id, query: search, body: payload, contentType, authorization, idempotencyKey }) => {
        const headers: Record<string, string> = { authorization };
        if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
        const withBody = method === 'POST' && payload !== undefined;
        if (withBody) headers['content-type'] = contentType;
        return {
          method,
          path: `${pattern.replace(/:id|:phone/, id)}${search}`,
          headers,
          body: withBody ? payload : undefined,
        };
      },
    );

describe('any request (fast-check)', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await startApiHarness({
      label: 'api-fuzz',
      environment: { API_RATE_LIMIT_PER_MINUTE: '1000000', API_AUTH_FAILURES_PER_MINUTE: '1000000' },
    });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  const counts = async (): Promise<Counts> =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async (table) => [table, await api.count(table)] as const)),
    ) as Counts;

  it('never answers 500, always in the API shapes, and a refused request writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(request(key), async (sent) => {
        const before = await counts();
        const response = await fetch(`${api.url}${sent.path}`, {
          method: sent.method,
          headers: sent.headers,
          ...(sent.body === undefined ? {} : { body: sent.body }),
        });
        const answer = await response.text();
        const after = await counts();
        expect({ sent, status: response.status }).toEqual({ sent, status: expect.any(Number) });
        if (response.status >= 500) throw new Error(`${response.status} for ${sent.method} ${sent.path}: ${answer}`);
        if (response.status >= 400) {
          const parsed = JSON.parse(answer) as { error?: { code?: unknown; message?: unknown } };
          expect(typeof parsed.error?.code).toBe('string');
          expect(typeof parsed.error?.message).toBe('string');
        }
        if (response.status === 202) {
          const added = after.top_ups - before.top_ups;
          expect([0, 1]).toContain(added);
          expect(after.top_up_requests - before.top_up_requests).toBe(added);
        } else if (!(sent.method === 'POST' && sent.path.includes('/cancel') && response.status === 200)) {
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 400 },
    );
    expect((await api.request('GET', '/healthz')).status).toBe(200);
  });
});
