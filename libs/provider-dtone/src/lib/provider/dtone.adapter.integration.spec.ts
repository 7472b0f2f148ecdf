import {
  AirtimeProvider,
  formatPrecise,
  money,
  parsePhoneNumber,
  preciseMoney,
  preciseOf,
  type Product,
  type SendRequest,
} from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import type { TransferLogRecord } from '@airtime/provider-http-kit';
import { Effect, Either, Option, Schema } from 'effect';
import {
  sampleDvsBalance,
  sampleDvsFixedProduct,
  sampleDvsOperator,
  sampleDvsRangedProduct,
  sampleDvsTransaction,
} from '../../testing/dvs.fixture';
import { type FakeDvsServer, pagedReply, startFakeDvsServer } from '../../testing/dvs-server.fake';
import type { DvsConfig } from '../config/dvs.config';
import { mapDvsProduct } from '../mappers/dvs-product.mapper';
import { DvsProduct } from '../schemas/dvs-product.schema';
import { type DtOneProviderOptions, dtOneProviderLayer, makeDtOneProvider } from './dtone.adapter';

let fake: FakeDvsServer;

beforeAll(async () => {
  fake = await startFakeDvsServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** A config with a timeout a loaded CI machine's local answers stay well within; overrides on top. */
const config = (overrides: Partial<DvsConfig> = {}): DvsConfig => ({
  apiKey: 'k',
  apiSecret: 's',
  baseUrl: fake.baseUrl,
  timeoutMs: 5_000,
  productCacheTtlMs: 60_000,
  maxRetriesOn429: 1,
  ...overrides,
});

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const attempt = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));
const phone = (e164: string) => Either.getOrThrow(parsePhoneNumber(e164));

const PHP = testCurrency('PHP');
const catalogue = [
  sampleDvsFixedProduct(),
  sampleDvsRangedProduct(),
  sampleDvsFixedProduct({ id: 13001, type: 'FIXED_VALUE_PIN_PURCHASE' }),
];

/** The sample fixed product (11001, Globe PHP 100) as the domain knows it. */
const fixedProduct: Product = Either.getOrThrow(
  mapDvsProduct(Schema.decodeUnknownSync(DvsProduct)(sampleDvsFixedProduct())),
).product;

const listProductsOf = (provider: ReturnType<typeof makeDtOneProvider>) =>
  run(provider.listProducts({ countryIso: 'PH' }));

const sendRequest = (product: Product, overrides: Partial<SendRequest> = {}): SendRequest => ({
  providerExternalId: 'topup-1-abc-1',
  product,
  destination: phone('+639171234100'),
  receive: money(10000n, PHP),
  callbackUrl: 'https://api.example.com/callbacks/dtone/token-1',
  ...overrides,
});

describe('DT One provider (against a fake DVS)', () => {
  it('lists Mobile recharge products of a country as domain products, and caches them for the lifetime', async () => {
    let now = 0;
    fake.on('GET', '/products', (request) => pagedReply(catalogue, request));
    const provider = makeDtOneProvider(config(), { nowMs: () => now });
    const products = await listProductsOf(provider);
    expect(products.map((product) => [product.id, product._tag])).toEqual([
      ['11001', 'FixedProduct'],
      ['12001', 'RangedProduct'],
    ]);
    expect(fake.requests[0]?.query.get('service_id')).toBe('1');
    expect(fake.requests[0]?.query.get('country_iso_code')).toBe('PHL');

    expect(await listProductsOf(provider)).toEqual(products);
    expect(fake.requests).toHaveLength(1);
    now += 60_000;
    await listProductsOf(provider);
    expect(fake.requests).toHaveLength(2);
  });

  it('maps the kind filter to the subservice and the operator filter to operator_id; an impossible filter lists nothing', async () => {
    fake.on('GET', '/products', () => ({ json: [] }));
    const provider = makeDtOneProvider(config());
    await run(provider.listProducts({ kind: 'DATA', operatorId: '1597' }));
    expect([fake.requests[0]?.query.get('subservice_id'), fake.requests[0]?.query.get('operator_id')]).toEqual([
      '13',
      '1597',
    ]);
    expect(await run(provider.listProducts({ countryIso: 'ZZ' }))).toEqual([]);
    expect(await run(provider.listProducts({ operatorId: 'globe' }))).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('sends an async transaction with auto_confirm, the callback URL and the credit party, without downloading the catalogue again', async () => {
    fake.on('GET', '/products', (request) => pagedReply(catalogue, request));
    fake.on('POST', '/async/transactions', () => ({
      status: 201,
      json: sampleDvsTransaction({
        status: { id: 20000, message: 'CONFIRMED', class: { id: 2, message: 'CONFIRMED' } },
      }),
    }));
    const provider = makeDtOneProvider(config());
    const [fixed] = await listProductsOf(provider);
    const sent = await run(provider.send(sendRequest(fixed as Product)));
    expect(sent).toMatchObject({
      providerTransactionId: '3209183',
      providerExternalId: 'topup-1-abc-1',
      status: { class: 'CONFIRMED' },
    });
    const posts = fake.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.body)).toEqual([
      {
        external_id: 'topup-1-abc-1',
        product_id: 11001,
        auto_confirm: true,
        credit_party_identifier: { mobile_number: '+639171234100' },
        callback_url: 'https://api.example.com/callbacks/dtone/token-1',
      },
    ]);
    expect(fake.requests.filter((request) => request.path === '/v1/products')).toHaveLength(1);
  });

  it('sends a ranged product by destination amount, exactly', async () => {
    fake.on('GET', '/products', (request) => pagedReply(catalogue, request));
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: sampleDvsTransaction() }));
    const provider = makeDtOneProvider(config());
    const [, ranged] = await listProductsOf(provider);
    await run(provider.send(sendRequest(ranged as Product, { receive: money(12350n, PHP) })));
    const post = fake.requests.find((request) => request.method === 'POST');
    expect(post?.text).toContain(
      '"calculation_mode":"DESTINATION_AMOUNT","destination":{"unit_type":"CURRENCY","unit":"PHP","amount":123.50}',
    );
  });

  it('fetches a product it has not seen by id (a read) before sending', async () => {
    fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: sampleDvsTransaction() }));
    const provider = makeDtOneProvider(config());
    await run(provider.send(sendRequest(fixedProduct)));
    await run(provider.send(sendRequest(fixedProduct)));
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/products/11001',
      'POST /v1/async/transactions',
      'POST /v1/async/transactions',
    ]);
  });

  it('includes sender and beneficiary when the product requires them, and refuses unsent when it cannot provide them', async () => {
    const demanding = sampleDvsFixedProduct({
      required_sender_fields: [['first_name', 'last_name']],
      required_beneficiary_fields: [['mobile_number']],
    });
    fake.on('GET', '/products/11001', () => ({ json: demanding }));
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: sampleDvsTransaction() }));
    const product = fixedProduct;

    const without = await attempt(makeDtOneProvider(config()).send(sendRequest(product)));
    expect(Either.isLeft(without) && without.left).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'MISSING_REQUIRED_FIELDS',
      retryable: false,
    });
    expect(fake.requests.some((request) => request.method === 'POST')).toBe(false);

    const options: DtOneProviderOptions = { sender: { firstName: 'Acme', lastName: 'Airtime' } };
    await run(makeDtOneProvider(config(), options).send(sendRequest(product)));
    expect(fake.requests.find((request) => request.method === 'POST')?.body).toMatchObject({
      sender: { first_name: 'Acme', last_name: 'Airtime' },
      beneficiary: { mobile_number: '+639171234100' },
    });
  });

  it('refuses, unsent, an amount the product cannot deliver', async () => {
    fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
    const provider = makeDtOneProvider(config());
    const product = fixedProduct;
    const wrongAmount = await attempt(provider.send(sendRequest(product, { receive: money(5000n, PHP) })));
    const wrongCurrency = await attempt(
      provider.send(sendRequest(product, { receive: money(10000n, testCurrency('KES')) })),
    );
    const notDvs = await attempt(provider.send(sendRequest({ id: 'abc' } as Product)));
    for (const result of [wrongAmount, wrongCurrency, notDvs]) {
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderRejected',
        providerCode: 'INVALID_REQUEST',
      });
    }
    expect(fake.requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('external id already used: answers with the existing transaction, not a failure', async () => {
    fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
    fake.on('POST', '/async/transactions', () => ({
      status: 400,
      json: { errors: [{ code: 1007001, message: 'Transaction external ID has already been used' }] },
    }));
    fake.on('GET', '/transactions', (request) => ({
      json: request.query.get('external_id') === 'topup-1-abc-1' ? [sampleDvsTransaction({ id: 77 })] : [],
    }));
    const provider = makeDtOneProvider(config());
    expect(await run(provider.send(sendRequest(fixedProduct)))).toMatchObject({
      providerTransactionId: '77',
      status: { class: 'COMPLETED' },
    });
    // and if DVS cannot show it, the outcome is unknown (never a failure), of kind CONFLICT
    const missing = await attempt(provider.send(sendRequest(fixedProduct, { providerExternalId: 'other' })));
    expect(Either.isLeft(missing) && missing.left).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'CONFLICT' });
  });

  it('external id already used, and fetching it fails: an unknown outcome of kind CONFLICT', async () => {
    fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
    fake.on('POST', '/async/transactions', () => ({
      status: 400,
      json: { errors: [{ code: 1007001, message: 'Transaction external ID has already been used' }] },
    }));
    fake.on('GET', '/transactions', () => ({ status: 503, text: 'Service Unavailable' }));
    const result = await attempt(makeDtOneProvider(config()).send(sendRequest(fixedProduct)));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'CONFLICT' });
  });

  it('a send answered with a transaction that cannot be read: an unknown outcome of kind UNREADABLE_ANSWER', async () => {
    fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
    fake.on('POST', '/async/transactions', () => ({
      status: 201,
      json: sampleDvsTransaction({
        status: { id: 1, message: 'NO SUCH STATUS', class: { id: 99, message: 'NO SUCH CLASS' } },
      }),
    }));
    const result = await attempt(makeDtOneProvider(config()).send(sendRequest(fixedProduct)));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNREADABLE_ANSWER',
    });
  });

  it('a timeout or a 5xx after sending is an unknown outcome', async () => {
    let productRead = false;
    fake.on('GET', '/products/11001', () => {
      productRead = true;
      return { json: sampleDvsFixedProduct() };
    });
    fake.on('POST', '/async/transactions', (request) =>
      (request.body as { external_id: string }).external_id === 'hang'
        ? { hang: true }
        : { status: 502, text: 'Bad gateway' },
    );
    // Only the hanging POST runs on a short timeout (300 ms): the send's product read before it, and the 502 send,
    // must be answered, which a loaded CI machine (or a fresh worker's first exchange) can take longer than 300 ms
    // to do. So the 502 goes through a provider with the file's 5 s, and the hang's provider has 5 s until the fake
    // has answered its product read, 300 ms after (its timeout is read at each call).
    const impatient = makeDtOneProvider({
      ...config(),
      get timeoutMs() {
        return productRead ? 300 : 5_000;
      },
    });
    const provider = makeDtOneProvider(config());
    for (const [sender, providerExternalId, kind] of [
      [impatient, 'hang', 'TIMEOUT'],
      [provider, 'gateway', 'SERVER_ERROR'],
    ] as const) {
      const result = await attempt(sender.send(sendRequest(fixedProduct, { providerExternalId })));
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind });
      // the hang ran into the short timeout, not the 5 s one
      if (kind === 'TIMEOUT') expect(Either.isLeft(result) && result.left.message).toContain('within 300 ms');
    }
  });

  it('"product not available" (1003001) drops the cached catalogue', async () => {
    fake.on('GET', '/products', (request) => pagedReply(catalogue, request));
    fake.on('POST', '/async/transactions', () => ({
      status: 404,
      json: { errors: [{ code: 1003001, message: 'Product is not available in your account' }] },
    }));
    const provider = makeDtOneProvider(config());
    const [fixed] = await listProductsOf(provider);
    const result = await attempt(provider.send(sendRequest(fixed as Product)));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1003001',
      retryable: false,
    });
    await listProductsOf(provider);
    expect(fake.requests.filter((request) => request.path === '/v1/products')).toHaveLength(2);
  });

  it('status by external id: the transaction, or None when DVS has none', async () => {
    fake.on('GET', '/transactions', (request) => ({
      json: request.query.get('external_id') === 'known' ? [sampleDvsTransaction({ external_id: 'known' })] : [],
    }));
    const provider = makeDtOneProvider(config());
    expect(Option.getOrThrow(await run(provider.statusByExternalId('known')))).toMatchObject({
      providerExternalId: 'known',
    });
    expect(await run(provider.statusByExternalId('unknown'))).toEqual(Option.none());
  });

  it('cancels by transaction id', async () => {
    fake.on('POST', '/transactions/3209183/cancel', () => ({
      json: sampleDvsTransaction({
        status: { id: 40000, message: 'CANCELLED', class: { id: 4, message: 'CANCELLED' } },
      }),
    }));
    const provider = makeDtOneProvider(config());
    expect((await run(provider.cancel('3209183'))).status).toEqual({ class: 'CANCELLED', status: 'CANCELLED' });
    const bad = await attempt(provider.cancel('x'));
    expect(Either.isLeft(bad) && bad.left._tag).toBe('ProviderRejected');
  });

  it('reads balances exactly (available, holding, credit limit)', async () => {
    fake.on('GET', '/balances', () => ({
      json: [sampleDvsBalance(), sampleDvsBalance({ id: 2, unit: 'EUR', credit_limit: null })],
    }));
    const USD = testCurrency('USD');
    const EUR = testCurrency('EUR');
    expect(await run(makeDtOneProvider(config()).balances())).toEqual({
      balances: [
        {
          available: preciseOf(money(152075n, USD)),
          holding: preciseOf(money(1250n, USD)),
          creditLimit: preciseOf(money(10000n, USD)),
        },
        {
          available: preciseOf(money(152075n, EUR)),
          holding: preciseOf(money(1250n, EUR)),
          creditLimit: preciseOf(money(0n, EUR)),
        },
      ],
      unreadable: [],
    });
  });

  it('reads sub-cent amounts exactly at DVS precision (holding USD 3.105, available 1520.7512), never unreadable', async () => {
    fake.on('GET', '/balances', () => ({
      json: [sampleDvsBalance({ available: 1520.7512, holding: 3.105, credit_limit: 0.0001 })],
    }));
    const USD = testCurrency('USD');
    const result = await run(makeDtOneProvider(config()).balances());
    expect(result).toEqual({
      balances: [
        {
          available: preciseMoney(15207512n, 4, USD),
          holding: preciseMoney(3105n, 3, USD),
          creditLimit: preciseMoney(1n, 4, USD),
        },
      ],
      unreadable: [],
    });
    expect(result.balances.map((balance) => formatPrecise(balance.holding))).toEqual(['3.105']);
  });

  it('reports an unreadable balance (available with 13 decimals, "id": "USD-1") by field and reason, and reads the others', async () => {
    fake.on('GET', '/balances', () => ({
      json: [
        sampleDvsBalance({ available: 1.0000000000001 }),
        sampleDvsBalance({ id: 'USD-1' }),
        sampleDvsBalance({ id: 3, unit: 'EUR' }),
        sampleDvsBalance({ id: 4, unit_type: 'POINTS', unit: 'PTS' }),
        sampleDvsBalance({ id: 5, holding: 1e300 }),
      ],
    }));
    const result = await run(makeDtOneProvider(config()).balances());
    expect(result.balances).toEqual([
      {
        available: preciseOf(money(152075n, testCurrency('EUR'))),
        holding: preciseOf(money(1250n, testCurrency('EUR'))),
        creditLimit: preciseOf(money(10000n, testCurrency('EUR'))),
      },
    ]);
    expect(result.unreadable).toEqual([
      { field: 'balances[0].available', reason: expect.stringContaining('not an exact USD amount') },
      { field: 'balances[1].id', reason: 'not of the type the reference gives' },
      { field: 'balances[4].holding', reason: expect.stringContaining('not an exact USD amount') },
    ]);
    expect(JSON.stringify(result.unreadable)).not.toMatch(/1\.0000|USD-1|e\+?300/);
  });

  it.each([
    ['null', null],
    ['a string', 'x'],
  ])('reads each balance on its own: an item that is %s is reported, the good EUR one returned', async (_case, bad) => {
    fake.on('GET', '/balances', () => ({ json: [bad, sampleDvsBalance({ id: 2, unit: 'EUR' })] }));
    const result = await run(makeDtOneProvider(config()).balances());
    expect(result.balances).toEqual([
      {
        available: preciseOf(money(152075n, testCurrency('EUR'))),
        holding: preciseOf(money(1250n, testCurrency('EUR'))),
        creditLimit: preciseOf(money(10000n, testCurrency('EUR'))),
      },
    ]);
    expect(result.unreadable).toEqual([{ field: 'balances[0]', reason: 'not an object' }]);
  });

  it('lists a balance of unit_type "currency" (lower case) as unreadable, never drops it', async () => {
    fake.on('GET', '/balances', () => ({
      json: [sampleDvsBalance({ unit_type: 'currency' }), sampleDvsBalance({ id: 2, unit_type: 'TIME', unit: 'MIN' })],
    }));
    const result = await run(makeDtOneProvider(config()).balances());
    expect(result.balances).toEqual([]);
    expect(result.unreadable).toEqual([{ field: 'balances[0].unit_type', reason: 'not written "CURRENCY"' }]);
  });

  it('looks operators up with the identified flag, in domain terms', async () => {
    fake.on('POST', '/lookup/mobile-number', () => ({ json: [{ ...sampleDvsOperator(), identified: true }] }));
    expect(await run(makeDtOneProvider(config()).lookupOperators(phone('+639171234567')))).toEqual([
      { operator: { id: '1597', name: 'Globe Telecom', countryIso: 'PH' }, identified: true },
    ]);
  });

  it('parses a callback (object, JSON text or bytes) into a status event, and refuses anything else', async () => {
    const provider = makeDtOneProvider(config());
    const body = sampleDvsTransaction({
      status: { id: 90103, message: 'DECLINED-BARRED-CREDIT-PARTY', class: { id: 9, message: 'DECLINED' } },
    });
    const expected = {
      providerTransactionId: '3209183',
      providerExternalId: 'topup-1-abc-1',
      status: { class: 'DECLINED', status: 'DECLINED-BARRED-CREDIT-PARTY' },
    };
    expect(await run(provider.parseCallback(body))).toMatchObject(expected);
    expect(await run(provider.parseCallback(JSON.stringify(body)))).toMatchObject(expected);
    expect(await run(provider.parseCallback(Buffer.from(JSON.stringify(body))))).toMatchObject(expected);
    for (const bad of [
      'not json',
      { id: 1 },
      sampleDvsTransaction({ status: { message: 'NEW', class: { message: 'NEWER' } } }),
    ]) {
      const result = await attempt(provider.parseCallback(bad));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'InvalidProviderCallback',
        provider: 'dtone',
      });
    }
  });

  it('refuses a callback by path and kind of problem, never quoting its values (phone numbers)', async () => {
    const provider = makeDtOneProvider(config());
    for (const [bad, expected] of [
      [{ id: '+254711000111' }, 'id has an unexpected type or value'],
      [
        { credit_party_identifier: { mobile_number: 254711000111 } },
        'credit_party_identifier.mobile_number has an unexpected type or value',
      ],
      [{ status: { message: '254711000111', class: {} } }, 'status.class.message is missing'],
    ] as const) {
      const result = await attempt(provider.parseCallback({ ...sampleDvsTransaction(), ...bad }));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'InvalidProviderCallback',
        reason: expect.stringContaining(`not a DVS transaction object: ${expected}`),
      });
      expect(String(Either.isLeft(result) && result.left.message)).not.toMatch(/254711000111|Expected|actual/);
    }
  });

  it('serves the AirtimeProvider port through its layer', async () => {
    fake.on('GET', '/balances', () => ({ json: [] }));
    const program = Effect.flatMap(AirtimeProvider, (provider) =>
      Effect.map(provider.balances(), (balances) => [provider.id, balances] as const),
    );
    expect(await run(Effect.provide(program, dtOneProviderLayer(config())))).toEqual([
      'dtone',
      { balances: [], unreadable: [] },
    ]);
  });

  describe("the transfer log: every exchange of an attempt filed under the attempt's external id", () => {
    const logged = (options: DtOneProviderOptions = {}) => {
      const records: TransferLogRecord[] = [];
      const provider = makeDtOneProvider(config({ apiKey: 'the-key-1', apiSecret: 'the-secret-1' }), {
        ...options,
        onExchange: (record) => Effect.sync(() => void records.push(record)),
      });
      return { provider, records };
    };
    const filed = (records: readonly TransferLogRecord[]) =>
      records.map((record) => [record.method, new URL(record.url).pathname, record.status, record.reference]);
    const alreadyUsed = () => ({
      status: 400,
      json: { errors: [{ code: 1007001, message: 'Transaction external ID has already been used' }] },
    });
    // the destination, as DVS writes it back in every transaction
    const NUMBER = /9171234100/;

    it('a send: its product read, its POST and, when the external id was already used, every page of the query that fetches it', async () => {
      fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
      fake.on('POST', '/async/transactions', alreadyUsed);
      fake.on('GET', '/transactions', (request) =>
        pagedReply([sampleDvsTransaction({ id: 77 }), sampleDvsTransaction({ id: 76 })], request),
      );
      const { provider, records } = logged({ perPage: 1 });
      expect(await run(provider.send(sendRequest(fixedProduct)))).toMatchObject({ providerTransactionId: '77' });
      expect(filed(records)).toEqual([
        ['GET', '/v1/products/11001', 200, 'topup-1-abc-1'],
        ['POST', '/v1/async/transactions', 400, 'topup-1-abc-1'],
        ['GET', '/v1/transactions', 200, 'topup-1-abc-1'],
        ['GET', '/v1/transactions', 200, 'topup-1-abc-1'],
      ]);
      const text = JSON.stringify(records);
      expect(text).not.toMatch(NUMBER);
      expect(text).toContain('***100');
      expect(text).not.toContain('token-1');
    });

    it('a status query: each exchange under the queried external id, answered, empty or failed; redacted', async () => {
      fake.on('GET', '/transactions', (request) => {
        const externalId = request.query.get('external_id');
        if (externalId === 'down-1') return { status: 503, text: 'Service Unavailable' };
        return pagedReply(
          externalId === 'topup-1-abc-1' ? [sampleDvsTransaction({ id: 2 }), sampleDvsTransaction({ id: 1 })] : [],
          request,
        );
      });
      const { provider, records } = logged({ perPage: 1 });
      expect(Option.getOrThrow(await run(provider.statusByExternalId('topup-1-abc-1')))).toMatchObject({
        providerTransactionId: '2',
      });
      expect(await run(provider.statusByExternalId('never-sent-1'))).toEqual(Option.none());
      expect(Either.isLeft(await attempt(provider.statusByExternalId('down-1')))).toBe(true);
      expect(records.map((record) => [record.status, record.reference])).toEqual([
        [200, 'topup-1-abc-1'],
        [200, 'topup-1-abc-1'],
        [200, 'never-sent-1'],
        [503, 'down-1'],
      ]);
      expect(records[0]?.url).toContain('external_id=topup-1-abc-1');
      expect(records[0]?.responseBody).toContain('"credit_party_identifier":{"mobile_number":"***100"}');
      expect(JSON.stringify(records)).not.toMatch(NUMBER);
    });

    it('a cancel (by DVS transaction id): under the external id DVS answers; none when the answer names no valid one', async () => {
      fake.on('POST', '/transactions/3209183/cancel', () => ({
        json: sampleDvsTransaction({
          status: { id: 40000, message: 'CANCELLED', class: { id: 4, message: 'CANCELLED' } },
        }),
      }));
      fake.on('POST', '/transactions/3209184/cancel', () => ({
        status: 400,
        json: { errors: [{ code: 1003002, message: 'Transaction cannot be cancelled' }] },
      }));
      fake.on('POST', '/transactions/3209185/cancel', () => ({
        json: sampleDvsTransaction({ id: 3209185, external_id: '+639171234100' }),
      }));
      fake.on('POST', '/transactions/3209186/cancel', () => ({
        json: sampleDvsTransaction({ id: 3209186, external_id: 'two words' }),
      }));
      const { provider, records } = logged();
      await run(provider.cancel('3209183'));
      for (const id of ['3209184', '3209185', '3209186']) await attempt(provider.cancel(id));
      expect(records.map((record) => [new URL(record.url).pathname, record.reference])).toEqual([
        ['/v1/transactions/***183/cancel', 'topup-1-abc-1'],
        ['/v1/transactions/***184/cancel', undefined],
        ['/v1/transactions/***185/cancel', undefined],
        ['/v1/transactions/***186/cancel', undefined],
      ]);
      // redaction applies as ever: the ids of 7 digits and more are masked as phone-like numbers
      expect(JSON.stringify(records)).not.toMatch(/9171234100|the-key-1|the-secret-1/);
    });

    it('catalogue reads and lookups belong to no attempt: no reference', async () => {
      fake.on('GET', '/products', (request) => pagedReply(catalogue, request));
      fake.on('POST', '/lookup/mobile-number', () => ({ json: [{ ...sampleDvsOperator(), identified: true }] }));
      const { provider, records } = logged();
      await listProductsOf(provider);
      await run(provider.lookupOperators(phone('+639171234100')));
      expect(records.map((record) => record.reference)).toEqual([undefined, undefined]);
    });
  });

  describe('an answer is held to the request', () => {
    const answeredWith = (overrides: Record<string, unknown>) => {
      fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
      fake.on('POST', '/async/transactions', () => ({ status: 201, json: sampleDvsTransaction(overrides) }));
      return attempt(makeDtOneProvider(config()).send(sendRequest(fixedProduct)));
    };
    const destination = (unit: string, amount: number) => ({
      source: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.85 },
      destination: { unit_type: 'CURRENCY', unit, amount },
    });

    it.each([
      [
        'a negative delivered amount (-100)',
        { adjusted_values: destination('PHP', -100) },
        'adjusted_values.destination.amount',
      ],
      [
        'an amount above the request',
        { adjusted_values: destination('PHP', 100.01) },
        'adjusted_values.destination.amount',
      ],
      [
        'an answer in USD for a PHP send',
        { adjusted_values: destination('USD', 100) },
        'adjusted_values.destination.unit',
      ],
      ['an answer about another transaction', { external_id: 'someone-else' }, 'external_id'],
      [
        'an amount that cannot be read exactly (1e15)',
        { adjusted_values: destination('PHP', 1e15) },
        'adjusted_values.destination.amount',
      ],
    ])(
      'a create answered with %s is a mismatch (an unknown outcome), naming the field',
      async (_case, overrides, field) => {
        const result = await answeredWith(overrides);
        expect(Either.isLeft(result) && result.left).toMatchObject({
          _tag: 'ProviderAnswerMismatch',
          provider: 'dtone',
          field,
          retryable: false,
        });
        expect(String(Either.isLeft(result) && result.left.message)).not.toMatch(/someone-else|1e\+?15|100\.01/);
      },
    );

    it.each([
      ['"currency" (lower case)', 'currency'],
      ['"DATA"', 'DATA'],
    ])(
      'a COMPLETED create whose adjusted destination has unit_type %s is a mismatch naming the field, never a success without receive',
      async (_case, unitType) => {
        const result = await answeredWith({
          adjusted_values: {
            source: { unit_type: 'CURRENCY', unit: 'USD', amount: 1.85 },
            destination: { unit_type: unitType, unit: 'PHP', amount: 999999 },
          },
        });
        expect(Either.isLeft(result) && result.left).toMatchObject({
          _tag: 'ProviderAnswerMismatch',
          field: 'adjusted_values.destination.unit_type',
        });
        expect(String(Either.isLeft(result) && result.left.message)).not.toMatch(/999999/);
      },
    );

    it('keeps an answered amount below the request exactly (PHP 99.995)', async () => {
      const result = await answeredWith({ adjusted_values: destination('PHP', 99.995) });
      const sent = Either.getOrThrow(result);
      expect(sent.receive && [sent.receive.currency.code, formatPrecise(sent.receive)]).toEqual(['PHP', '99.995']);
    });

    it('holds the existing transaction to the request too when the external id was already used', async () => {
      fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
      fake.on('POST', '/async/transactions', () => ({
        status: 400,
        json: { errors: [{ code: 1007001, message: 'Transaction external ID has already been used' }] },
      }));
      fake.on('GET', '/transactions', () => ({
        json: [sampleDvsTransaction({ adjusted_values: destination('USD', 100) })],
      }));
      const result = await attempt(makeDtOneProvider(config()).send(sendRequest(fixedProduct)));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderAnswerMismatch',
        field: 'adjusted_values.destination.unit',
      });
    });

    it('a status query answered with only other transactions is a mismatch, never "never received"', async () => {
      fake.on('GET', '/transactions', () => ({ json: [sampleDvsTransaction({ external_id: 'someone-else' })] }));
      const result = await attempt(makeDtOneProvider(config()).statusByExternalId('topup-1-abc-1'));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderAnswerMismatch',
        field: 'external_id',
      });
    });

    it('a status query never reports a delivered amount that is not positive or cannot be read', async () => {
      fake.on('GET', '/transactions', (request) => ({
        json: [
          sampleDvsTransaction({
            external_id: request.query.get('external_id'),
            adjusted_values: destination('PHP', request.query.get('external_id') === 'negative' ? -100 : 1e15),
          }),
        ],
      }));
      const provider = makeDtOneProvider(config());
      for (const externalId of ['negative', 'huge']) {
        const result = await attempt(provider.statusByExternalId(externalId));
        expect(Either.isLeft(result) && result.left).toMatchObject({
          _tag: 'ProviderAnswerMismatch',
          field: 'adjusted_values.destination.amount',
        });
      }
    });

    it('a callback reports a sub-unit delivered amount exactly (PHP 99.995, not 100.00), and refuses a negative one', async () => {
      const provider = makeDtOneProvider(config());
      const callback = await run(
        provider.parseCallback(sampleDvsTransaction({ adjusted_values: destination('PHP', 99.995) })),
      );
      expect(callback.receive && formatPrecise(callback.receive)).toBe('99.995');
      const negative = await attempt(
        provider.parseCallback(sampleDvsTransaction({ adjusted_values: destination('PHP', -100) })),
      );
      expect(Either.isLeft(negative) && negative.left).toMatchObject({
        _tag: 'InvalidProviderCallback',
        reason: 'adjusted_values.destination.amount: not a positive amount',
      });
    });
  });

  describe('"not now" refusals', () => {
    it.each([
      ['DECLINED-DUPLICATED-TRANSACTION', 'DECLINED', '2026-11-02T10:05:00.000Z'],
      ['REJECTED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY', 'REJECTED', '2026-11-02T11:00:00.000Z'],
    ])(
      'a create answered %s is ProviderRetryLater, not before the window has passed',
      async (message, klass, earliest) => {
        fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
        fake.on('POST', '/async/transactions', () => ({
          status: 201,
          json: sampleDvsTransaction({ status: { id: 1, message, class: { id: 1, message: klass } } }),
        }));
        const provider = makeDtOneProvider(config(), { nowMs: () => Date.parse('2026-11-02T10:00:00Z') });
        const result = await attempt(provider.send(sendRequest(fixedProduct)));
        expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderRetryLater', retryable: true });
        expect(
          Either.isLeft(result) &&
            result.left._tag === 'ProviderRetryLater' &&
            result.left.earliestRetryAt.toISOString(),
        ).toBe(earliest);
      },
    );
  });

  describe('the destination and the product agree, before any HTTP call', () => {
    it.each([
      [
        'a Tanzanian number for a Philippine product',
        { destination: phone('+255712000111') },
        'DESTINATION_COUNTRY_MISMATCH',
      ],
      ['a KES amount for a PHP product', { receive: money(10000n, testCurrency('KES')) }, 'INVALID_REQUEST'],
    ])('refuses %s', async (_case, overrides, providerCode) => {
      const result = await attempt(makeDtOneProvider(config()).send(sendRequest(fixedProduct, overrides)));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderRejected',
        providerCode,
        retryable: false,
      });
      expect(fake.requests).toEqual([]);
    });

    it('refuses when the product as DVS defines it serves another country than the one the caller had', async () => {
      fake.on('GET', '/products/11001', () => ({
        json: sampleDvsFixedProduct({ operator: sampleDvsOperator({ country: { iso_code: 'KEN', name: 'Kenya' } }) }),
      }));
      const result = await attempt(makeDtOneProvider(config()).send(sendRequest(fixedProduct)));
      expect(Either.isLeft(result) && result.left).toMatchObject({ providerCode: 'DESTINATION_COUNTRY_MISMATCH' });
      expect(fake.requests.map((request) => request.method)).toEqual(['GET']);
    });
  });
});
