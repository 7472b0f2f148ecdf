import { money, parsePhoneNumber } from '@airtime/domain';
import type { TransferLogRecord } from '@airtime/provider-http-kit';
import { testCurrency } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import {
  sampleDvsBalance,
  sampleDvsFixedProduct,
  sampleDvsOperator,
  sampleDvsTransaction,
} from '../../testing/dvs.fixture';
import { type FakeDvsServer, pagedReply, startFakeDvsServer } from '../../testing/dvs-server.fake';
import { makeDvsHttpClient } from '../http/dvs-http.client';
import { type DvsClient, makeDvsClient } from './dvs.client';

/** A timeout a loaded CI machine's local answers stay well within; the test that waits for no answer passes 100 ms. */
const TIMEOUT_MS = 5_000;

let fake: FakeDvsServer;
let client: DvsClient;
const invalidItems: string[] = [];

beforeAll(async () => {
  fake = await startFakeDvsServer();
  const http = makeDvsHttpClient({
    apiKey: 'k',
    apiSecret: 's',
    baseUrl: fake.baseUrl,
    timeoutMs: TIMEOUT_MS,
    maxRetriesOn429: 1,
  });
  client = makeDvsClient(http, { onInvalidItem: (what, reason) => invalidItems.push(`${what}: ${reason}`) });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  invalidItems.length = 0;
});

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

describe('DVS client: discovery', () => {
  it('follows the pagination headers to the last page, 100 per page', async () => {
    const products = Array.from({ length: 250 }, (_, index) => sampleDvsFixedProduct({ id: index + 1 }));
    fake.on('GET', '/products', (request) => pagedReply(products, request));
    const listed = await run(client.products());
    expect(listed.map((product) => product.id)).toEqual(products.map((_, index) => index + 1));
    expect(fake.requests.map((request) => [request.query.get('page'), request.query.get('per_page')])).toEqual([
      ['1', '100'],
      ['2', '100'],
      ['3', '100'],
    ]);
  });

  it('sends every product filter of the reference', async () => {
    fake.on('GET', '/products', () => ({ json: [] }));
    await run(
      client.products({
        type: 'RANGED_VALUE_RECHARGE',
        serviceId: 1,
        subserviceId: 11,
        countryIsoCode: 'PHL',
        operatorId: 1597,
        region: 'PH-00',
        benefitTypes: ['TALKTIME', 'DATA'],
        tags: ['AIRTIME', 'PROMO'],
        language: 'es',
      }),
    );
    const [request] = fake.requests;
    expect(
      Object.fromEntries(
        ['type', 'service_id', 'subservice_id', 'country_iso_code', 'operator_id', 'region'].map((name) => [
          name,
          request?.query.get(name),
        ]),
      ),
    ).toEqual({
      type: 'RANGED_VALUE_RECHARGE',
      service_id: '1',
      subservice_id: '11',
      country_iso_code: 'PHL',
      operator_id: '1597',
      region: 'PH-00',
    });
    expect(request?.query.getAll('benefit_types')).toEqual(['TALKTIME', 'DATA']);
    expect(request?.query.getAll('tags')).toEqual(['AIRTIME', 'PROMO']);
    expect(request?.headers['accept-language']).toBe('es');
  });

  it('leaves out (and reports) a product that does not decode, keeping the others', async () => {
    fake.on('GET', '/products', () => ({
      json: [sampleDvsFixedProduct({ id: 1 }), { id: 'not-a-number' }, sampleDvsFixedProduct({ id: 3 })],
    }));
    expect((await run(client.products())).map((product) => product.id)).toEqual([1, 3]);
    expect(invalidItems).toEqual([expect.stringMatching(/^GET \/products: item 1/)]);
  });

  it('lists services, countries, operators, benefit types, promotions and campaigns with their filters', async () => {
    fake.on('GET', '/services', () => ({
      json: [{ id: 1, name: 'Mobile', subservices: [{ id: 11, name: 'Airtime' }] }],
    }));
    fake.on('GET', '/services/1', () => ({ json: { id: 1, name: 'Mobile', subservices: [] } }));
    fake.on('GET', '/countries', () => ({
      json: [{ name: 'Philippines', iso_code: 'PHL', regions: [{ code: 'PH-00', name: 'Manila' }] }],
    }));
    fake.on('GET', '/countries/PHL', () => ({ json: { name: 'Philippines', iso_code: 'PHL' } }));
    fake.on('GET', '/operators', () => ({ json: [sampleDvsOperator()] }));
    fake.on('GET', '/operators/1597', () => ({ json: sampleDvsOperator() }));
    fake.on('GET', '/benefit-types', () => ({ json: [{ name: 'TALKTIME' }, { name: 'DATA' }] }));
    fake.on('GET', '/promotions', () => ({
      json: [
        {
          id: 5,
          title: 'Double',
          operator: { id: 1597, name: 'Globe', country: { iso_code: 'PHL' } },
          products: [{ id: 1, type: 'FIXED_VALUE_RECHARGE' }],
        },
      ],
    }));
    fake.on('GET', '/promotions/5', () => ({ json: { id: 5, title: 'Double' } }));
    fake.on('GET', '/campaigns', () => ({
      json: [{ id: 9, title: 'C', products: [{ id: 1, operator: sampleDvsOperator() }] }],
    }));
    fake.on('GET', '/campaigns/9', () => ({ json: { id: 9 } }));

    expect((await run(client.services({ countryIsoCode: 'PHL' })))[0]?.subservices).toEqual([
      { id: 11, name: 'Airtime' },
    ]);
    expect((await run(client.service(1))).name).toBe('Mobile');
    expect((await run(client.countries({ serviceId: 1, subserviceId: 11 })))[0]?.regions).toEqual([
      { code: 'PH-00', name: 'Manila' },
    ]);
    expect((await run(client.country('PHL'))).iso_code).toBe('PHL');
    expect((await run(client.operators({ countryIsoCode: 'PHL', serviceId: 1, subserviceId: 11 })))[0]?.id).toBe(1597);
    expect((await run(client.operator(1597))).name).toBe('Globe Telecom');
    expect((await run(client.benefitTypes())).map((type) => type.name)).toEqual(['TALKTIME', 'DATA']);
    expect(
      (await run(client.promotions({ countryIsoCode: 'PHL', operatorId: 1597, productId: 1, language: 'fr' })))[0]?.id,
    ).toBe(5);
    expect((await run(client.promotion(5, 'fr'))).title).toBe('Double');
    expect((await run(client.campaigns({ countryIsoCode: 'PHL', operatorId: 1597, productId: 1 })))[0]?.id).toBe(9);
    expect((await run(client.campaign(9))).id).toBe(9);

    const query = (path: string) => fake.requests.find((request) => request.path === `/v1${path}`)?.query;
    expect(query('/services')?.get('country_iso_code')).toBe('PHL');
    expect([query('/countries')?.get('service_id'), query('/countries')?.get('subservice_id')]).toEqual(['1', '11']);
    expect([query('/operators')?.get('country_iso_code'), query('/operators')?.get('subservice_id')]).toEqual([
      'PHL',
      '11',
    ]);
    expect([query('/promotions')?.get('operator_id'), query('/promotions')?.get('product_id')]).toEqual(['1597', '1']);
    expect(fake.requests.find((request) => request.path === '/v1/promotions/5')?.headers['accept-language']).toBe('fr');
  });

  it('looks a number up, paging through the body, keeping the identified flag', async () => {
    fake.on('POST', '/lookup/mobile-number', (request) => {
      const page = (request.body as { page: number }).page;
      return page === 1
        ? {
            json: [{ ...sampleDvsOperator(), identified: true }],
            headers: { 'X-Page': '1', 'X-Total-Pages': '2', 'X-Next-Page': '2' },
          }
        : {
            json: [{ ...sampleDvsOperator({ id: 2, name: 'Smart' }), identified: false }],
            headers: { 'X-Page': '2', 'X-Total-Pages': '2' },
          };
    });
    const operators = await run(client.lookupMobileNumber('+639171234567'));
    expect(operators.map((operator) => [operator.id, operator.identified])).toEqual([
      [1597, true],
      [2, false],
    ]);
    expect(fake.requests.map((request) => request.body)).toEqual([
      { mobile_number: '+639171234567', page: 1, per_page: 100 },
      { mobile_number: '+639171234567', page: 2, per_page: 100 },
    ]);
  });
});

describe('DVS client: transactions', () => {
  const created = sampleDvsTransaction({
    status: { id: 10000, message: 'CREATED', class: { id: 1, message: 'CREATED' } },
  });

  it('creates async and sync transactions, fixed and ranged in both calculation modes, with every party field', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: created }));
    fake.on('POST', '/sync/transactions', () => ({ status: 201, json: sampleDvsTransaction() }));
    const base = { externalId: 'ext-1', productId: 11001, creditPartyIdentifier: { mobileNumber: '+639171234100' } };

    expect((await run(client.createTransaction('async', base))).status.message).toBe('CREATED');
    await run(
      client.createTransaction('sync', {
        ...base,
        autoConfirm: true,
        calculation: { calculationMode: 'SOURCE_AMOUNT', source: money(1050n, testCurrency('USD')) },
        sender: { firstName: 'Ana', lastName: 'Cruz', nationalityCountryIsoCode: 'PHL' },
        beneficiary: { firstName: 'Ben', mobileNumber: '+639171234100' },
        debitPartyIdentifier: { accountNumber: 'D-1' },
        statementIdentifier: { reference: 'INV-1', dueDate: '2026-12-01' },
        additionalIdentifier: { purchaserId: 'P-1' },
        callbackUrl: 'https://api.example.com/cb/token',
      }),
    );
    await run(
      client.createTransaction('async', {
        ...base,
        calculation: { calculationMode: 'DESTINATION_AMOUNT', destination: money(12345n, testCurrency('PHP')) },
      }),
    );

    const [fixed, sync, ranged] = fake.requests;
    expect(fixed?.body).toEqual({
      external_id: 'ext-1',
      product_id: 11001,
      auto_confirm: false,
      credit_party_identifier: { mobile_number: '+639171234100' },
    });
    expect(sync?.path).toBe('/v1/sync/transactions');
    expect(sync?.text).toContain(
      '"calculation_mode":"SOURCE_AMOUNT","source":{"unit_type":"CURRENCY","unit":"USD","amount":10.50}',
    );
    expect(sync?.body).toMatchObject({
      auto_confirm: true,
      sender: { first_name: 'Ana', last_name: 'Cruz', nationality_country_iso_code: 'PHL' },
      beneficiary: { first_name: 'Ben', mobile_number: '+639171234100' },
      debit_party_identifier: { account_number: 'D-1' },
      statement_identifier: { reference: 'INV-1', due_date: '2026-12-01' },
      additional_identifier: { purchaser_id: 'P-1' },
      callback_url: 'https://api.example.com/cb/token',
    });
    expect(ranged?.text).toContain(
      '"calculation_mode":"DESTINATION_AMOUNT","destination":{"unit_type":"CURRENCY","unit":"PHP","amount":123.45}',
    );
  });

  it('confirms (async and sync), cancels and gets by id', async () => {
    fake.on('POST', '/async/transactions/3209183/confirm', () => ({
      status: 202,
      json: sampleDvsTransaction({ status: { message: 'CONFIRMED', class: { message: 'CONFIRMED' } } }),
    }));
    fake.on('POST', '/sync/transactions/3209183/confirm', () => ({ json: sampleDvsTransaction() }));
    fake.on('POST', '/transactions/3209183/cancel', () => ({
      json: sampleDvsTransaction({ status: { message: 'CANCELLED', class: { message: 'CANCELLED' } } }),
    }));
    fake.on('GET', '/transactions/3209183', () => ({ json: sampleDvsTransaction() }));
    expect((await run(client.confirmTransaction('async', 3209183))).status.message).toBe('CONFIRMED');
    expect((await run(client.confirmTransaction('sync', 3209183, { timeoutMs: 5_000 }))).status.message).toBe(
      'COMPLETED',
    );
    expect((await run(client.cancelTransaction(3209183))).status.message).toBe('CANCELLED');
    expect((await run(client.transaction(3209183))).external_id).toBe('topup-1-abc-1');
  });

  it('lists transactions with every filter, dates in ISO 8601, to the last page', async () => {
    const all = Array.from({ length: 120 }, (_, index) => sampleDvsTransaction({ id: index + 1 }));
    fake.on('GET', '/transactions', (request) => pagedReply(all, request));
    const listed = await run(
      client.transactions({
        externalId: 'ext-1',
        productType: 'FIXED_VALUE_RECHARGE',
        serviceId: 1,
        subserviceId: 11,
        countryIsoCode: 'PHL',
        operatorId: 1597,
        statusId: 70000,
        creditPartyMobileNumber: '+639171234100',
        creditPartyAccountNumber: 'ACC-1',
        fromDate: new Date('2026-11-01T00:00:00Z'),
        toDate: '2026-11-02T00:00:00.000Z',
      }),
    );
    expect(listed).toHaveLength(120);
    const query = fake.requests[0]?.query;
    expect(Object.fromEntries([...(query?.entries() ?? [])])).toEqual({
      external_id: 'ext-1',
      product_type: 'FIXED_VALUE_RECHARGE',
      service_id: '1',
      subservice_id: '11',
      country_iso_code: 'PHL',
      operator_id: '1597',
      status_id: '70000',
      credit_party_mobile_number: '+639171234100',
      credit_party_account_number: 'ACC-1',
      from_date: '2026-11-01T00:00:00.000Z',
      to_date: '2026-11-02T00:00:00.000Z',
      page: '1',
      per_page: '100',
    });
  });

  it('an undecodable answer to a create is an unknown outcome (the transaction may exist)', async () => {
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: { id: 'x' } }));
    const result = await Effect.runPromise(
      Effect.either(client.createTransaction('async', { externalId: 'e', productId: 1 })),
    );
    expect(Either.isLeft(result) && result.left._tag).toBe('ProviderOutcomeUnknown');
  });

  it('describes a decode failure by path and kind of problem, never quoting the values (phone numbers)', async () => {
    for (const [leaky, expected] of [
      [
        { credit_party_identifier: { mobile_number: 254711000111 } },
        'GET /transactions/1: credit_party_identifier.mobile_number has an unexpected type or value',
      ],
      [{ id: '+254711000111' }, 'GET /transactions/1: id has an unexpected type or value'],
    ] as const) {
      fake.on('GET', '/transactions/1', () => ({ json: { ...sampleDvsTransaction(), ...leaky } }));
      const result = await Effect.runPromise(Effect.either(client.transaction(1)));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderResponseInvalid',
        reason: expect.stringContaining(expected),
      });
      expect(String(Either.isLeft(result) && result.left.message)).not.toMatch(/254711000111|Expected|actual/);
    }
    fake.on('GET', '/products', () => ({
      json: [
        sampleDvsFixedProduct({ id: 1 }),
        { ...sampleDvsFixedProduct({ id: 2 }), name: '+254711000111', id: '254711000111' },
      ],
    }));
    expect((await run(client.products())).map((product) => product.id)).toEqual([1]);
    expect(invalidItems).toEqual([
      expect.stringMatching(/^GET \/products: item 1: id has an unexpected type or value/),
    ]);
    expect(invalidItems.join()).not.toContain('254711000111');
  });

  it('reads balances, filtered by unit', async () => {
    fake.on('GET', '/balances', () => ({ json: [sampleDvsBalance()] }));
    expect(await run(client.balances({ unitType: 'CURRENCY', unit: 'USD' }))).toEqual([
      { id: 1, unit_type: 'CURRENCY', unit: 'USD', available: 1520.75, holding: 12.5, credit_limit: 100 },
    ]);
    expect([fake.requests[0]?.query.get('unit_type'), fake.requests[0]?.query.get('unit')]).toEqual([
      'CURRENCY',
      'USD',
    ]);
  });
});

describe('DVS client: the number a call is about stays out of the transfer log', () => {
  it('removes the credit party of a create, a lookup and a status query in any form, even where no phone looks like one', async () => {
    const records: TransferLogRecord[] = [];
    const logged = makeDvsClient(
      makeDvsHttpClient(
        {
          apiKey: 'the-key',
          apiSecret: 'the-secret',
          baseUrl: fake.baseUrl,
          timeoutMs: TIMEOUT_MS,
          maxRetriesOn429: 0,
        },
        { onExchange: (record) => Effect.sync(() => void records.push(record)) },
      ),
    );
    const phone = Either.getOrThrow(parsePhoneNumber('+639171234567'));
    // a number right after a decimal point is not masked as phone-like: only knowing the number removes it
    const odd = { note: 'ratio 1.09171234567, ref 2.639171234567' };
    fake.on('POST', '/async/transactions', () => ({ status: 201, json: { ...sampleDvsTransaction(), ...odd } }));
    fake.on('POST', '/lookup/mobile-number', () => ({ json: [], headers: { 'X-Debug': 'x' } }));
    fake.on('GET', '/transactions', () => ({ json: [{ ...sampleDvsTransaction(), ...odd }] }));
    await run(
      Effect.either(
        logged.createTransaction('async', {
          externalId: 'e-1',
          productId: 11001,
          creditPartyIdentifier: { mobileNumber: phone.e164 },
        }),
      ),
    );
    await run(Effect.either(logged.lookupMobileNumber(phone.e164)));
    await run(Effect.either(logged.transactions({ externalId: 'e-1', destination: phone })));
    expect(records.map((record) => record.method)).toEqual(['POST', 'POST', 'GET']);
    expect(JSON.stringify(records)).not.toMatch(/9171234567|the-key|the-secret/);
  });
});

describe('DVS client: each exchange filed under the attempt it belongs to', () => {
  const loggedClient = () => {
    const records: TransferLogRecord[] = [];
    const logged = makeDvsClient(
      makeDvsHttpClient(
        {
          apiKey: 'the-key',
          apiSecret: 'the-secret',
          baseUrl: fake.baseUrl,
          timeoutMs: TIMEOUT_MS,
          maxRetriesOn429: 0,
        },
        { onExchange: (record) => Effect.sync(() => void records.push(record)) },
      ),
      { perPage: 1 },
    );
    return { logged, records };
  };

  it('calls by transaction id (confirm, cancel, get): under the external id the answer names, else none', async () => {
    fake.on('POST', '/async/transactions/3209183/confirm', () => ({ status: 202, json: sampleDvsTransaction() }));
    fake.on('POST', '/sync/transactions/3209183/confirm', () => ({ hang: true }));
    fake.on('POST', '/transactions/3209183/cancel', () => ({ json: sampleDvsTransaction() }));
    fake.on('GET', '/transactions/3209183', () => ({ json: sampleDvsTransaction() }));
    fake.on('GET', '/transactions/404', () => ({
      status: 404,
      // a refusal is not a transaction: an external id in it names nothing
      json: { errors: [{ code: 1003002, message: 'Transaction not found' }], external_id: 'topup-1-abc-1' },
    }));
    const { logged, records } = loggedClient();
    await run(logged.confirmTransaction('async', 3209183));
    await run(Effect.either(logged.confirmTransaction('sync', 3209183, { timeoutMs: 100 })));
    await run(logged.cancelTransaction(3209183));
    await run(logged.transaction(3209183));
    await run(Effect.either(logged.transaction(404)));
    expect(records.map((record) => [record.method, record.status, record.reference])).toEqual([
      ['POST', 202, 'topup-1-abc-1'],
      ['POST', null, undefined],
      ['POST', 200, 'topup-1-abc-1'],
      ['GET', 200, 'topup-1-abc-1'],
      ['GET', 404, undefined],
    ]);
    expect(JSON.stringify(records)).not.toMatch(/9171234100|the-key|the-secret/);
  });

  it('a query by external id: every page under that external id; other lists and catalogue reads under none', async () => {
    fake.on('GET', '/transactions', (request) => pagedReply([sampleDvsTransaction(), sampleDvsTransaction()], request));
    fake.on('GET', '/products/11001', () => ({ json: sampleDvsFixedProduct() }));
    const { logged, records } = loggedClient();
    await run(logged.transactions({ externalId: 'e-1' }));
    await run(logged.transactions({ fromDate: '2026-11-01T00:00:00Z' }));
    await run(logged.product(11001, undefined, { reference: 'e-2' }));
    await run(logged.product(11001));
    expect(records.map((record) => [new URL(record.url).pathname, record.reference])).toEqual([
      ['/v1/transactions', 'e-1'],
      ['/v1/transactions', 'e-1'],
      ['/v1/transactions', undefined],
      ['/v1/transactions', undefined],
      ['/v1/products/11001', 'e-2'],
      ['/v1/products/11001', undefined],
    ]);
  });
});
