// GET /v1/benefit-types, /v1/promotions, /v1/promotions/{id}, /v1/campaigns and /v1/campaigns/{id} over HTTP.
import { DEFAULT_CATALOGUE } from '../engine/catalogue.fixture';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient, type HttpAnswer } from '../../testing/dvs-http.client';

const pagination = (answer: HttpAnswer) =>
  Object.fromEntries(
    ['x-total', 'x-total-pages', 'x-per-page', 'x-page', 'x-next-page', 'x-prev-page'].map((name) => [
      name,
      answer.headers.get(name),
    ]),
  );

const ids = (body: unknown) => (body as { id: number }[]).map((item) => item.id);

const GLOBE_DOUBLE_LOAD = {
  id: 1,
  title: 'Globe Double Load',
  description: expect.any(String),
  terms: expect.any(String),
  start_date: '2026-01-01T00:00:00Z',
  end_date: '2030-12-31T23:59:59Z',
  operator: { id: 1, name: 'Globe Telecom', country: { name: 'Philippines', iso_code: 'PHL' } },
  products: [
    { id: 103, name: 'Globe PHP 25', description: 'Globe PHP 25 (simulated)', type: 'FIXED_VALUE_RECHARGE' },
    { id: 104, name: 'Globe PHP 30', description: 'Globe PHP 30 (simulated)', type: 'FIXED_VALUE_RECHARGE' },
  ],
};

describe('DVS simulator over HTTP: benefit types, promotions and campaigns', () => {
  let sim: DvsSimulatorTestServer;
  let dvs: DvsHttpClient;

  beforeAll(async () => {
    sim = await startDvsSimulatorServer();
    dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
  });
  afterAll(() => sim.close());

  describe('GET /v1/benefit-types', () => {
    it('lists the benefit types of the available products, paginated', async () => {
      const answer = await dvs.get('/benefit-types');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([{ name: 'TALKTIME' }, { name: 'DATA' }, { name: 'SMS' }, { name: 'CREDITS' }]);
      expect(pagination(answer)).toEqual({
        'x-total': '4',
        'x-total-pages': '1',
        'x-per-page': '50',
        'x-page': '1',
        'x-next-page': null,
        'x-prev-page': null,
      });
      const second = await dvs.get('/benefit-types?per_page=3&page=2');
      expect(second.body).toEqual([{ name: 'CREDITS' }]);
      expect(pagination(second)).toMatchObject({ 'x-total': '4', 'x-total-pages': '2', 'x-prev-page': '1' });
    });

    it('refuses bad paging with 400 1000400', async () => {
      expect(await dvs.get('/benefit-types?per_page=101')).toMatchObject({
        status: 400,
        body: { errors: [{ code: 1000400, message: expect.any(String) }] },
      });
    });

    it('an account whose products define no benefits is 404 1003101', async () => {
      const bare = await startDvsSimulatorServer({
        catalogue: { ...DEFAULT_CATALOGUE, products: DEFAULT_CATALOGUE.products.map((p) => ({ ...p, benefits: [] })) },
      });
      try {
        expect(await dvsHttpClient(bare.baseUrl, bare.authorization).get('/benefit-types')).toMatchObject({
          status: 404,
          body: { errors: [{ code: 1003101, message: 'Benefits not defined for available products' }] },
        });
      } finally {
        await bare.close();
      }
    });
  });

  describe('GET /v1/promotions', () => {
    it('lists promotions in the reference shape, paginated', async () => {
      const answer = await dvs.get('/promotions');
      expect(answer.status).toBe(200);
      expect(ids(answer.body)).toEqual([1, 2]);
      expect((answer.body as unknown[])[0]).toEqual(GLOBE_DOUBLE_LOAD);
      expect(pagination(answer)).toMatchObject({ 'x-total': '2', 'x-total-pages': '1', 'x-page': '1' });
      const first = await dvs.get('/promotions?per_page=1');
      expect(ids(first.body)).toEqual([1]);
      expect(pagination(first)).toMatchObject({ 'x-total': '2', 'x-total-pages': '2', 'x-next-page': '2' });
    });

    it.each([
      ['country_iso_code=PHL', [1]],
      ['country_iso_code=KEN', [2]],
      ['country_iso_code=NGA', []],
      ['operator_id=3', [2]],
      ['product_id=104', [1]],
      ['product_id=101', []],
      ['operator_id=1&product_id=302', []],
    ])('filters by %s', async (query, expected) => {
      expect(ids((await dvs.get(`/promotions?${query}`)).body)).toEqual(expected);
    });

    it.each(['country_iso_code=ph', 'operator_id=0', 'product_id=x', 'page=0'])(
      'refuses %s with 400 1000400',
      async (query) => {
        expect(await dvs.get(`/promotions?${query}`)).toMatchObject({
          status: 400,
          body: { errors: [{ code: 1000400 }] },
        });
      },
    );

    it('GET /v1/promotions/{id}; an unknown id is 404 1003201 "Promotion not found"', async () => {
      expect(await dvs.get('/promotions/1')).toMatchObject({ status: 200, body: GLOBE_DOUBLE_LOAD });
      const unknown = await dvs.get('/promotions/999');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ errors: [{ code: 1003201, message: 'Promotion not found' }] });
    });

    it('a product lists its promotions; a transaction those running when it was created', async () => {
      expect((await dvs.get('/products/103')).body).toMatchObject({
        promotions: [
          {
            id: 1,
            title: 'Globe Double Load',
            description: expect.any(String),
            terms: expect.any(String),
            start_date: '2026-01-01T00:00:00Z',
            end_date: '2030-12-31T23:59:59Z',
          },
        ],
      });
      expect((await dvs.get('/products/101')).body).toMatchObject({ promotions: [] });
      expect((await dvs.get('/products/302')).body).toMatchObject({ promotions: [{ id: 2 }] });
      const request = (externalId: string, productId: number, mobile: string) => ({
        external_id: externalId,
        product_id: productId,
        credit_party_identifier: { mobile_number: mobile },
      });
      const now = Date.now();
      const running = now >= Date.parse('2026-01-01T00:00:00Z') && now <= Date.parse('2030-12-31T23:59:59Z');
      const globe = await dvs.post('/async/transactions', request('promo-1', 103, '+639170000100'));
      expect(globe.body).toMatchObject({ promotions: running ? [{ id: 1 }] : [] });
      // the Safaricom promotion ended on 2026-01-05
      const safaricom = await dvs.post('/async/transactions', request('promo-2', 302, '+254711000100'));
      expect(safaricom.body).toMatchObject({ promotions: [] });
    });
  });

  describe('GET /v1/campaigns', () => {
    const DATA_FOR_EVERYONE = {
      id: 1,
      title: 'Data for Everyone',
      description: expect.any(String),
      terms: expect.any(String),
      start_date: '2026-01-01T00:00:00Z',
      end_date: '2030-12-31T23:59:59Z',
      products: [
        {
          id: 105,
          name: 'Globe GoSURF 50',
          description: 'Globe GoSURF 50 (simulated)',
          type: 'FIXED_VALUE_RECHARGE',
          operator: {
            id: 1,
            name: 'Globe Telecom',
            country: { name: 'Philippines', iso_code: 'PHL', regions: expect.any(Array) },
            regions: expect.any(Array),
          },
        },
        expect.objectContaining({ id: 205, operator: expect.objectContaining({ id: 2, name: 'Smart' }) }),
      ],
    };

    it('lists campaigns in the reference shape (products with their operators and regions), paginated', async () => {
      const answer = await dvs.get('/campaigns');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([DATA_FOR_EVERYONE]);
      expect(pagination(answer)).toMatchObject({ 'x-total': '1', 'x-total-pages': '1', 'x-per-page': '50' });
      const past = await dvs.get('/campaigns?page=2');
      expect(past.body).toEqual([]);
      expect(pagination(past)).toMatchObject({ 'x-total': '1', 'x-page': '2', 'x-prev-page': '1' });
    });

    it.each([
      ['country_iso_code=PHL', [1]],
      ['country_iso_code=SGP', []],
      ['operator_id=2', [1]],
      ['product_id=205', [1]],
      ['product_id=101', []],
    ])('filters by %s', async (query, expected) => {
      expect(ids((await dvs.get(`/campaigns?${query}`)).body)).toEqual(expected);
    });

    it('GET /v1/campaigns/{id}; an unknown id is 404 1003301 "Campaign not found"', async () => {
      expect(await dvs.get('/campaigns/1')).toMatchObject({ status: 200, body: DATA_FOR_EVERYONE });
      expect(await dvs.get('/campaigns/7')).toMatchObject({
        status: 404,
        body: { errors: [{ code: 1003301, message: 'Campaign not found' }] },
      });
    });
  });

  it('the new endpoints need the API credentials like every other', async () => {
    for (const path of ['/benefit-types', '/promotions', '/promotions/1', '/campaigns', '/campaigns/1']) {
      expect(await dvsHttpClient(sim.baseUrl, undefined).get(path)).toMatchObject({
        status: 401,
        body: { errors: [{ code: 1000401, message: 'Unauthorized' }] },
      });
    }
  });
});
