import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient } from '../../testing/dvs-http.client';

const PHL_REGIONS = [
  { name: 'National Capital Region', code: 'PH-00' },
  { name: 'Cebu', code: 'PH-CEB' },
  { name: 'Davao del Sur', code: 'PH-DAS' },
];
const PHILIPPINES = { name: 'Philippines', iso_code: 'PHL', regions: PHL_REGIONS };
const SINGAPORE_REGIONS = [
  { name: 'Central Singapore', code: 'SG-01' },
  { name: 'North East', code: 'SG-02' },
  { name: 'North West', code: 'SG-03' },
  { name: 'South East', code: 'SG-04' },
  { name: 'South West', code: 'SG-05' },
];
const KENYA_REGIONS = [
  { name: 'Nairobi City', code: 'KE-30' },
  { name: 'Mombasa', code: 'KE-28' },
  { name: 'Kisumu', code: 'KE-17' },
];

describe('DVS simulator over HTTP: discovery, auth and errors', () => {
  let sim: DvsSimulatorTestServer;
  let dvs: DvsHttpClient;

  beforeAll(async () => {
    sim = await startDvsSimulatorServer();
    dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
  });
  afterAll(() => sim.close());

  describe('authentication', () => {
    it.each([
      ['no credentials', undefined],
      ['a wrong secret', `Basic ${Buffer.from('simulator-test-key:wrong').toString('base64')}`],
      ['a wrong key', `Basic ${Buffer.from('other:simulator-test-secret').toString('base64')}`],
      ['another scheme', 'Bearer abc'],
      ['garbage', 'Basic %%%'],
    ])('refuses %s with 401 and the DVS error body', async (_, authorization) => {
      const answer = await dvsHttpClient(sim.baseUrl, authorization).get('/products');
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ errors: [{ code: 1000401, message: 'Unauthorized' }] });
    });

    it('accepts the configured key and secret', async () => {
      expect((await dvs.get('/services')).status).toBe(200);
    });
  });

  it('GET /v1/services and /v1/services/{id}', async () => {
    const list = await dvs.get('/services');
    expect(list.body).toEqual([
      {
        id: 1,
        name: 'Mobile',
        subservices: [
          { id: 11, name: 'Airtime' },
          { id: 12, name: 'Bundle' },
          { id: 13, name: 'Data' },
        ],
      },
      { id: 4, name: 'Gift Cards', subservices: [{ id: 42, name: 'Gaming' }] },
    ]);
    expect((await dvs.get('/services/4')).body).toMatchObject({ id: 4, name: 'Gift Cards' });
    expect(await dvs.get('/services/99')).toMatchObject({ status: 404, body: { errors: [{ code: 1005004 }] } });
  });

  it('GET /v1/countries and /v1/countries/{iso}', async () => {
    const list = await dvs.get('/countries');
    expect((list.body as { iso_code: string }[]).map((country) => country.iso_code)).toEqual([
      'KEN',
      'NGA',
      'PHL',
      'SGP',
    ]);
    expect((await dvs.get('/countries?service_id=4')).body).toEqual([
      { name: 'Singapore', iso_code: 'SGP', regions: SINGAPORE_REGIONS },
    ]);
    expect((await dvs.get('/countries/PHL')).body).toEqual(PHILIPPINES);
    expect(await dvs.get('/countries/XXX')).toMatchObject({ status: 404, body: { errors: [{ code: 1005005 }] } });
  });

  it('GET /v1/operators filtered by country_iso_code, and /v1/operators/{id}', async () => {
    const answer = await dvs.get('/operators?country_iso_code=PHL');
    expect(answer.body).toEqual([
      { id: 1, name: 'Globe Telecom', country: PHILIPPINES, regions: PHL_REGIONS },
      { id: 2, name: 'Smart', country: PHILIPPINES, regions: PHL_REGIONS },
    ]);
    expect(answer.headers.get('x-total')).toBe('2');
    expect((await dvs.get('/operators/5')).body).toMatchObject({ id: 5, name: 'MTN Nigeria' });
    expect(await dvs.get('/operators/77')).toMatchObject({ status: 404, body: { errors: [{ code: 1005006 }] } });
  });

  describe('regions (reference: countries, operators and products carry `regions`)', () => {
    it('every country lists its regions', async () => {
      const countries = (await dvs.get('/countries')).body as { iso_code: string; regions: unknown[] }[];
      for (const country of countries) {
        expect(country.regions.length).toBeGreaterThan(0);
        for (const region of country.regions) {
          expect(region).toEqual({ name: expect.any(String), code: expect.stringMatching(/^[A-Z]{2}-[A-Z0-9]{2,3}$/) });
        }
      }
    });

    it('an operator lists the regions it covers (Airtel Kenya: Nairobi and Mombasa only)', async () => {
      expect((await dvs.get('/operators/4')).body).toEqual({
        id: 4,
        name: 'Airtel Kenya',
        country: { name: 'Kenya', iso_code: 'KEN', regions: KENYA_REGIONS },
        regions: KENYA_REGIONS.slice(0, 2),
      });
    });

    it('a product lists its regions, and its operator and country theirs, in lists and by id', async () => {
      const listed = (await dvs.get('/products?per_page=100')).body as Record<string, unknown>[];
      expect(listed).toHaveLength(27);
      for (const product of listed) {
        expect(product).toMatchObject({
          regions: expect.any(Array),
          operator: { regions: expect.any(Array), country: { regions: expect.any(Array) } },
        });
      }
      expect((await dvs.get('/products/401')).body).toMatchObject({
        regions: KENYA_REGIONS.slice(0, 2),
        operator: { id: 4, regions: KENYA_REGIONS.slice(0, 2), country: { iso_code: 'KEN', regions: KENYA_REGIONS } },
      });
      expect((await dvs.get('/products/101')).body).toMatchObject({
        regions: PHL_REGIONS,
        operator: { country: PHILIPPINES, regions: PHL_REGIONS },
      });
    });
  });

  describe('GET /v1/products', () => {
    const ids = (body: unknown) => (body as { id: number }[]).map((product) => product.id);

    it('filters by country and operator: Globe has no 20 PHP, Smart no 25', async () => {
      const globe = await dvs.get(
        '/products?country_iso_code=PHL&operator_id=1&type=FIXED_VALUE_RECHARGE&benefit_types=TALKTIME',
      );
      expect(
        (globe.body as { destination: { amount: number } }[]).map((product) => product.destination.amount),
      ).toEqual([10, 15, 25, 30]);
      const smart = await dvs.get('/products?country_iso_code=PHL&operator_id=2&benefit_types=TALKTIME');
      expect(
        (smart.body as { destination: { amount: number } }[]).map((product) => product.destination.amount),
      ).toEqual([10, 15, 20, 30]);
    });

    it.each([
      ['type=RANGED_VALUE_RECHARGE', [303, 401, 505, 601]],
      ['service_id=4', [901]],
      ['subservice_id=13', [105]],
      ['benefit_types=DATA,SMS', [105, 205]],
      ['benefit_types=DATA&benefit_types=CREDITS', [105, 205, 901]],
      ['tags=OPEN_RANGE&country_iso_code=NGA', [505, 601]],
      ['tags[]=BUNDLE', [205]],
      ['region=SGP&type=FIXED_VALUE_PIN_PURCHASE', [901]],
      ['region=KE-17', [301, 302, 303]],
      ['region=KE-30', [301, 302, 303, 401]],
      ['region=KE&type=RANGED_VALUE_RECHARGE', [303, 401]],
    ])('%s', async (query, expected) => {
      expect(ids((await dvs.get(`/products?${query}`)).body)).toEqual(expected);
    });

    it('paginates with page and per_page and the X-* headers', async () => {
      const first = await dvs.get('/products?per_page=10');
      expect(ids(first.body)).toHaveLength(10);
      expect(
        Object.fromEntries([...first.headers].filter(([name]) => name.startsWith('x-') && name !== 'x-ratelimit')),
      ).toEqual({
        'x-total': '27',
        'x-total-pages': '3',
        'x-per-page': '10',
        'x-page': '1',
        'x-next-page': '2',
      });
      const last = await dvs.get('/products?per_page=10&page=3');
      expect(ids(last.body)).toHaveLength(7);
      expect(last.headers.get('x-next-page')).toBeNull();
      expect(last.headers.get('x-prev-page')).toBe('2');
      const all: number[] = [];
      for (let page: string | null = '1'; page !== null;) {
        const answer = await dvs.get(`/products?per_page=4&page=${page}`);
        all.push(...ids(answer.body));
        page = answer.headers.get('x-next-page');
      }
      expect(all).toEqual(ids((await dvs.get('/products?per_page=100')).body));
      const defaults = await dvs.get('/products');
      expect(defaults.headers.get('x-per-page')).toBe('50');
      expect(defaults.headers.get('x-page')).toBe('1');
    });

    it('a ranged product has price ranges (prices.*.amount) and benefit amount ranges (benefits[].amount)', async () => {
      const range = { min: expect.any(Number), max: expect.any(Number) };
      expect((await dvs.get('/products/303')).body).toMatchObject({
        type: 'RANGED_VALUE_RECHARGE',
        source: { unit: 'USD', amount: { min: 0.08, max: 78.01 } },
        destination: { unit: 'KES', amount: { min: 10, max: 10000, increment: 1 } },
        prices: {
          wholesale: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 0.08, max: 78.01 }, fee: 0.05 },
          retail: { unit_type: 'CURRENCY', unit: 'USD', amount: { min: 0.08, max: 80 }, fee: 0.05 },
        },
        benefits: [
          {
            type: 'TALKTIME',
            unit_type: 'CURRENCY',
            unit: 'KES',
            amount: {
              base: { min: 10, max: 10000 },
              promotion_bonus: { min: 0, max: 0 },
              total_excluding_tax: { min: 10, max: 10000 },
              total_including_tax: { min: 10, max: 10000 },
            },
          },
        ],
      });
      const ranged = (await dvs.get('/products?type=RANGED_VALUE_RECHARGE')).body as {
        source: { amount: { min: number; max: number } };
        prices: { wholesale: { amount: { min: number; max: number } }; retail: { amount: unknown } };
        benefits: { amount: unknown }[];
      }[];
      expect(ranged).toHaveLength(4);
      for (const product of ranged) {
        expect(product.prices.wholesale.amount).toEqual(product.source.amount);
        expect(product.prices.retail.amount).toEqual(range);
        expect(product.benefits.map((benefit) => benefit.amount)).toEqual([
          { base: range, promotion_bonus: { min: 0, max: 0 }, total_excluding_tax: range, total_including_tax: range },
        ]);
      }
    });

    it('a fixed product has one price amount and benefit amounts (its own for data, else the destination)', async () => {
      expect((await dvs.get('/products/205')).body).toMatchObject({
        prices: { wholesale: { amount: 1.8, fee: 0 }, retail: { amount: 1.98, fee: 0 } },
        benefits: [
          { type: 'DATA', unit_type: 'DATA', unit: 'MB', amount: { base: 2048, promotion_bonus: 0 } },
          { type: 'SMS', unit_type: 'QUANTITY', unit: 'SMS', amount: { base: 100, total_including_tax: 100 } },
        ],
      });
      expect((await dvs.get('/products/101')).body).toMatchObject({
        benefits: [{ type: 'TALKTIME', unit: 'PHP', amount: { base: 10, total_excluding_tax: 10 } }],
      });
    });

    it('GET /v1/products/{id}; an unknown product is 1003001', async () => {
      expect((await dvs.get('/products/205')).body).toMatchObject({
        id: 205,
        name: 'Smart GIGA 99',
        validity: { unit: 'DAY', quantity: 7 },
      });
      expect(await dvs.get('/products/999')).toMatchObject({
        status: 404,
        body: { errors: [{ code: 1003001, message: expect.stringContaining('Product is not available') }] },
      });
    });

    it.each([
      'per_page=0',
      'per_page=101',
      'page=0',
      'page=abc',
      'country_iso_code=ph',
      'type=SOMETHING',
      'benefit_types=MONEY',
      'operator_id=-1',
      'service_id=1.5',
      'tags=',
    ])('refuses %s with 400 1000400', async (query) => {
      const answer = await dvs.get(`/products?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ errors: [{ code: 1000400, message: expect.stringContaining('Bad Request') }] });
    });
  });

  describe('lookup', () => {
    it('GET /v1/lookup/mobile-number/{number}', async () => {
      const encoded = await dvs.get(`/lookup/mobile-number/${encodeURIComponent('+639181234567')}`);
      expect(encoded.body).toEqual([
        { id: 2, name: 'Smart', country: PHILIPPINES, regions: PHL_REGIONS, identified: true },
      ]);
      const raw = await dvs.get('/lookup/mobile-number/+6591234567');
      expect(raw.body).toEqual([
        {
          id: 7,
          name: 'Singtel',
          country: { name: 'Singapore', iso_code: 'SGP', regions: SINGAPORE_REGIONS },
          regions: SINGAPORE_REGIONS,
          identified: true,
        },
      ]);
      expect(raw.headers.get('x-total')).toBe('1');
    });

    it('POST /v1/lookup/mobile-number with mobile_number, page and per_page', async () => {
      const answer = await dvs.post('/lookup/mobile-number', { mobile_number: '+254999000111', page: 1, per_page: 1 });
      expect(answer.body).toEqual([
        {
          id: 3,
          name: 'Safaricom',
          country: { name: 'Kenya', iso_code: 'KEN', regions: KENYA_REGIONS },
          regions: KENYA_REGIONS,
          identified: false,
        },
      ]);
      expect(answer.headers.get('x-total')).toBe('2');
      expect(answer.headers.get('x-next-page')).toBe('2');
    });

    it('refuses a number that is not E.164 (1005003) and a bad body (1000400)', async () => {
      expect(await dvs.get('/lookup/mobile-number/0917123')).toMatchObject({
        status: 400,
        body: { errors: [{ code: 1005003 }] },
      });
      expect(await dvs.post('/lookup/mobile-number', { number: '+639181234567' })).toMatchObject({
        status: 400,
        body: { errors: [{ code: 1000400 }] },
      });
    });
  });

  it('an unknown path is 404 with 1000404', async () => {
    expect(await dvs.get('/nothing-here')).toMatchObject({
      status: 404,
      body: { errors: [{ code: 1000404, message: 'Resource not found' }] },
    });
    expect(await dvs.post('/products', {})).toMatchObject({ status: 404 });
  });

  it('GET /v1/balances with the unit filter', async () => {
    expect((await dvs.get('/balances')).body).toEqual([
      { id: 1, unit_type: 'CURRENCY', unit: 'USD', available: 10000, holding: 0, credit_limit: 0 },
    ]);
    expect((await dvs.get('/balances?unit=EUR')).body).toEqual([]);
  });
});
