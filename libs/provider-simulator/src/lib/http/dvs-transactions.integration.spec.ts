import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '../../testing';
import { dvsHttpClient, type DvsHttpClient } from '../../testing/dvs-http.client';

interface TransactionBody {
  readonly id: number;
  readonly external_id: string;
  readonly status: {
    readonly id: number;
    readonly message: string;
    readonly class: { readonly id: number; readonly message: string };
  };
  readonly [field: string]: unknown;
}

const globe = (externalId: string, mobile: string, extra: Record<string, unknown> = {}) => ({
  external_id: externalId,
  product_id: 101,
  credit_party_identifier: { mobile_number: mobile },
  ...extra,
});

describe('DVS simulator over HTTP: transactions', () => {
  let sim: DvsSimulatorTestServer;
  let dvs: DvsHttpClient;

  beforeAll(async () => {
    // time only moves when a test says so
    sim = await startDvsSimulatorServer({ autoRun: false });
    dvs = dvsHttpClient(sim.baseUrl, sim.authorization);
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  const balance = async () => ((await dvs.get('/balances')).body as { available: number; holding: number }[])[0];

  it('async create, confirm, then the final status by GET /v1/transactions/{id}', async () => {
    const created = await dvs.post('/async/transactions', globe('a-1', '+639170000100'));
    expect(created.status).toBe(201);
    const body = created.body as TransactionBody;
    expect(body).toMatchObject({
      external_id: 'a-1',
      status: { id: 10000, message: 'CREATED', class: { id: 1, message: 'CREATED' } },
      product: { id: 101, operator: { id: 1 } },
      prices: { wholesale: { unit: 'USD', amount: 0.19, fee: 0 }, retail: { unit: 'USD', amount: 0.21, fee: 0 } },
      requested_values: { destination: { unit: 'PHP', amount: 10 } },
      adjusted_values: { source: { unit: 'USD', amount: 0.19 }, destination: { unit: 'PHP', amount: 10 } },
      credit_party_identifier: { mobile_number: '+639170000100' },
      creation_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      confirmation_expiration_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(body['confirmation_date']).toBeUndefined();
    expect(await balance()).toEqual(expect.objectContaining({ available: 9999.81, holding: 0.19 }));

    const confirmed = await dvs.post(`/async/transactions/${body.id}/confirm`);
    expect(confirmed.status).toBe(202);
    expect((confirmed.body as TransactionBody).status.message).toBe('CONFIRMED');
    expect((confirmed.body as TransactionBody)['confirmation_date']).toEqual(expect.any(String));

    await sim.flush();
    const fetched = await dvs.get(`/transactions/${body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      id: body.id,
      status: { id: 70000, message: 'COMPLETED', class: { id: 7, message: 'COMPLETED' } },
      operator_reference: `SIM-OP-${body.id}`,
    });
    expect(await balance()).toEqual(expect.objectContaining({ available: 9999.81, holding: 0 }));
  });

  it('async create with auto_confirm', async () => {
    const created = await dvs.post('/async/transactions', globe('a-2', '+639170000106', { auto_confirm: true }));
    expect(created).toMatchObject({ status: 201, body: { status: { message: 'CONFIRMED' } } });
    await sim.flush();
    const id = (created.body as TransactionBody).id;
    expect((await dvs.get(`/transactions/${id}`)).body).toMatchObject({
      status: { id: 90000, message: 'DECLINED', class: { id: 9 } },
    });
    expect(await balance()).toEqual(expect.objectContaining({ available: 10000, holding: 0 }));
  });

  it('sync create with auto_confirm answers with the final status', async () => {
    const pending = dvs.post('/sync/transactions', globe('s-1', '+639170000201', { auto_confirm: true }));
    await sim.untilTransaction('s-1', 'CONFIRMED');
    await sim.flush();
    const answer = await pending;
    expect(answer).toMatchObject({
      status: 201,
      body: { status: { message: 'COMPLETED' }, pin: { code: expect.any(String), serial: expect.any(String) } },
    });
  });

  it('sync create without auto_confirm, then sync confirm, which answers SUBMITTED after 180 s for a 30X number', async () => {
    const created = await dvs.post('/sync/transactions', globe('s-2', '+639170000300'));
    expect(created).toMatchObject({ status: 201, body: { status: { message: 'CREATED' } } });
    const id = (created.body as TransactionBody).id;
    const confirming = dvs.post(`/sync/transactions/${id}/confirm`);
    await sim.untilTransaction('s-2', 'CONFIRMED');
    await sim.advance(180_000);
    expect(await confirming).toMatchObject({ status: 200, body: { status: { message: 'SUBMITTED' } } });
    await sim.advance(120_000);
    expect((await dvs.get(`/transactions/${id}`)).body).toMatchObject({ status: { message: 'COMPLETED' } });
  });

  it('ranged products in both calculation modes, with the amounts exact', async () => {
    const byDestination = await dvs.post('/async/transactions', {
      external_id: 'r-1',
      product_id: 303,
      calculation_mode: 'DESTINATION_AMOUNT',
      destination: { unit_type: 'CURRENCY', unit: 'KES', amount: 150 },
      credit_party_identifier: { mobile_number: '+254711000100' },
    });
    expect(byDestination.body).toMatchObject({
      adjusted_values: { source: { unit: 'USD', amount: 1.18 }, destination: { unit: 'KES', amount: 150 } },
      prices: { wholesale: { amount: 1.18, fee: 0.05 } },
    });
    const bySource = await dvs.post('/async/transactions', {
      external_id: 'r-2',
      product_id: 303,
      calculation_mode: 'SOURCE_AMOUNT',
      source: { unit_type: 'CURRENCY', unit: 'USD', amount: 2 },
      credit_party_identifier: { mobile_number: '+254711000100' },
    });
    expect(bySource.body).toMatchObject({
      requested_values: { source: { unit: 'USD', amount: 2 } },
      adjusted_values: { source: { unit: 'USD', amount: 2 }, destination: { unit: 'KES', amount: 256 } },
    });
    expect(await balance()).toEqual(expect.objectContaining({ holding: 3.28, available: 9996.72 }));
  });

  it('sender and beneficiary fields are echoed; a product that needs sender fields refuses without them', async () => {
    const request = {
      external_id: 'ng-1',
      product_id: 601,
      calculation_mode: 'DESTINATION_AMOUNT',
      destination: { unit: 'NGN', amount: 500 },
      credit_party_identifier: { mobile_number: '+2348021234567' },
    };
    expect(await dvs.post('/async/transactions', request)).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1000400 }] },
    });
    const sender = { first_name: 'Ada', last_name: 'Obi' };
    const beneficiary = { first_name: 'Chidi', last_name: 'Obi' };
    expect(await dvs.post('/async/transactions', { ...request, sender, beneficiary })).toMatchObject({
      status: 201,
      body: { sender, beneficiary },
    });
  });

  it('POST /v1/transactions/{id}/cancel voids; cancelling again is 1007005, a confirmed one 1007007', async () => {
    const { id } = (await dvs.post('/async/transactions', globe('c-1', '+639170000100'))).body as TransactionBody;
    expect(await dvs.post(`/transactions/${id}/cancel`)).toMatchObject({
      status: 200,
      body: { status: { id: 40000, message: 'CANCELLED' } },
    });
    expect(await balance()).toEqual(expect.objectContaining({ available: 10000, holding: 0 }));
    expect(await dvs.post(`/transactions/${id}/cancel`)).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1007005 }] },
    });
    expect(await dvs.post(`/async/transactions/${id}/confirm`)).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1007005 }] },
    });
    const confirmed = (await dvs.post('/async/transactions', globe('c-2', '+639170000300', { auto_confirm: true })))
      .body as TransactionBody;
    expect(await dvs.post(`/transactions/${confirmed.id}/cancel`)).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1007007 }] },
    });
    expect(await dvs.post(`/async/transactions/${confirmed.id}/confirm`)).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1007002 }] },
    });
  });

  it('a duplicate external id is 400 with 1007001', async () => {
    await dvs.post('/async/transactions', globe('dup', '+639170000100'));
    const again = await dvs.post('/sync/transactions', globe('dup', '+639170000100', { auto_confirm: true }));
    expect(again).toEqual(
      expect.objectContaining({
        status: 400,
        body: { errors: [{ code: 1007001, message: 'Transaction external ID has already been used' }] },
      }),
    );
  });

  it.each([
    ['an unknown product', globe('e', '+639170000100', { product_id: 999 }), 404, 1003001],
    ['a number that is not E.164', globe('e', '639170000100'), 400, 1005003],
    ['a number of another country', globe('e', '+6591234567'), 400, 1005003],
    ['no credit party', { external_id: 'e', product_id: 101 }, 400, 1005003],
    [
      'a ranged amount out of range',
      {
        external_id: 'e',
        product_id: 303,
        calculation_mode: 'DESTINATION_AMOUNT',
        destination: { unit: 'KES', amount: 5 },
        credit_party_identifier: { mobile_number: '+254711000100' },
      },
      400,
      1003002,
    ],
    [
      'a ranged amount in another unit',
      {
        external_id: 'e',
        product_id: 303,
        calculation_mode: 'DESTINATION_AMOUNT',
        destination: { unit: 'USD', amount: 5 },
        credit_party_identifier: { mobile_number: '+254711000100' },
      },
      400,
      1003003,
    ],
    ['an external id longer than 40', globe('x'.repeat(41), '+639170000100'), 400, 1000400],
    ['an external id with spaces', globe('a b', '+639170000100'), 400, 1000400],
    ['a product id that is not an integer', globe('e', '+639170000100', { product_id: '101' }), 400, 1000400],
    ['a callback URL that is not one', globe('e', '+639170000100', { callback_url: 'not a url' }), 400, 1000400],
    ['a party field that is not text', globe('e', '+639170000100', { sender: { first_name: 7 } }), 400, 1000400],
    ['an array body', [1, 2], 400, 1000400],
  ])('refuses %s', async (_, request, status, code) => {
    const answer = await dvs.post('/async/transactions', request);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ errors: [{ code, message: expect.any(String) }] });
    expect(sim.transactionByExternalId('e')).toBeUndefined();
  });

  it('refuses a body that is not JSON with 400', async () => {
    expect(await dvs.postRaw('/async/transactions', '{"external_id": ')).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1000400 }] },
    });
  });

  it('insufficient balance is 400 with 1006001 and creates nothing', async () => {
    sim.setBalance('USD', { available: '0.10' });
    expect(await dvs.post('/async/transactions', globe('poor', '+639170000100'))).toMatchObject({
      status: 400,
      body: { errors: [{ code: 1006001 }] },
    });
    sim.setBalance('USD', { creditLimit: '0.10' });
    expect(await dvs.post('/async/transactions', globe('credit', '+639170000100'))).toMatchObject({ status: 201 });
    expect(await balance()).toEqual(expect.objectContaining({ available: -0.09, holding: 0.19, credit_limit: 0.1 }));
  });

  it('unknown transactions are 404 with 1008004', async () => {
    expect(await dvs.get('/transactions/123')).toMatchObject({ status: 404, body: { errors: [{ code: 1008004 }] } });
    expect(await dvs.post('/async/transactions/123/confirm')).toMatchObject({
      status: 404,
      body: { errors: [{ code: 1008004 }] },
    });
    expect(await dvs.post('/transactions/123/cancel')).toMatchObject({
      status: 404,
      body: { errors: [{ code: 1008004 }] },
    });
  });

  describe('GET /v1/transactions', () => {
    const externalIds = (body: unknown) => (body as TransactionBody[]).map((transaction) => transaction.external_id);

    it('filters by external id, status, operator, number and dates, newest first, paginated', async () => {
      for (let index = 0; index < 5; index++)
        await dvs.post('/async/transactions', globe(`l-${index}`, `+63917000010${index}`, { auto_confirm: true }));
      await dvs.post('/async/transactions', { ...globe('smart', '+639180000100'), product_id: 201 });
      await sim.flush();
      expect(externalIds((await dvs.get('/transactions')).body)).toEqual(['smart', 'l-4', 'l-3', 'l-2', 'l-1', 'l-0']);
      expect(externalIds((await dvs.get('/transactions?external_id=l-2')).body)).toEqual(['l-2']);
      expect(externalIds((await dvs.get('/transactions?status_id=70000')).body)).toEqual(['l-1', 'l-0']);
      expect(externalIds((await dvs.get('/transactions?operator_id=2')).body)).toEqual(['smart']);
      expect(
        externalIds(
          (await dvs.get(`/transactions?credit_party_mobile_number=${encodeURIComponent('+639170000103')}`)).body,
        ),
      ).toEqual(['l-3']);
      expect(externalIds((await dvs.get('/transactions?credit_party_mobile_number=+639170000103')).body)).toEqual([
        'l-3',
      ]);
      expect(
        externalIds(
          (await dvs.get('/transactions?country_iso_code=PHL&product_type=FIXED_VALUE_RECHARGE&per_page=2&page=2'))
            .body,
        ),
      ).toEqual(['l-3', 'l-2']);
      const page = await dvs.get('/transactions?per_page=4&page=2');
      expect([
        page.headers.get('x-total'),
        page.headers.get('x-total-pages'),
        page.headers.get('x-page'),
        page.headers.get('x-prev-page'),
      ]).toEqual(['6', '2', '2', '1']);
      const future = new Date(Date.now() + 86_400_000 * 3).toISOString();
      expect((await dvs.get(`/transactions?from_date=${encodeURIComponent(future)}`)).body).toEqual([]);
      expect(
        externalIds(
          (
            await dvs.get(
              `/transactions?from_date=1970-01-01T00:00:00.000000Z&to_date=${encodeURIComponent(future)}&external_id=smart`,
            )
          ).body,
        ),
      ).toEqual(['smart']);
    });

    it.each(['from_date=yesterday', 'status_id=x', 'per_page=500', 'credit_party_mobile_number=12', 'external_id='])(
      'refuses %s with 400',
      async (query) => {
        expect(await dvs.get(`/transactions?${query}`)).toMatchObject({
          status: 400,
          body: { errors: [{ code: 1000400 }] },
        });
      },
    );
  });

  it('balances follow authorize, capture, void and reverse over HTTP', async () => {
    const completed = (await dvs.post('/async/transactions', globe('b-1', '+639170000100', { auto_confirm: true })))
      .body as TransactionBody;
    await dvs.post('/async/transactions', globe('b-2', '+639170000102', { auto_confirm: true }));
    expect(await balance()).toEqual(expect.objectContaining({ available: 9999.62, holding: 0.38 }));
    await sim.flush();
    expect(await balance()).toEqual(expect.objectContaining({ available: 9999.81, holding: 0 }));
    sim.reverse(completed.id);
    expect(await balance()).toEqual(expect.objectContaining({ available: 10000, holding: 0 }));
    expect((await dvs.get(`/transactions/${completed.id}`)).body).toMatchObject({
      status: { message: 'REVERSED', class: { id: 8 } },
    });
  });
  describe('reference shapes', () => {
    it('a transaction carries regions on its product, the product operator and its country, in every answer', async () => {
      const PHL_REGIONS = [
        { name: 'National Capital Region', code: 'PH-00' },
        { name: 'Cebu', code: 'PH-CEB' },
        { name: 'Davao del Sur', code: 'PH-DAS' },
      ];
      const regions = {
        product: {
          id: 101,
          regions: PHL_REGIONS,
          operator: { id: 1, regions: PHL_REGIONS, country: { iso_code: 'PHL', regions: PHL_REGIONS } },
        },
      };
      const created = await dvs.post('/async/transactions', globe('reg-1', '+639170000100', { auto_confirm: true }));
      expect(created.body).toMatchObject(regions);
      await sim.flush();
      const { id } = created.body as TransactionBody;
      expect((await dvs.get(`/transactions/${id}`)).body).toMatchObject(regions);
      expect((await dvs.get('/transactions?external_id=reg-1')).body).toMatchObject([regions]);
    });
    it('a PIN purchase (the Steam card, no credit party) completes with its pin, and its product tells how to use it', async () => {
      const created = await dvs.post('/async/transactions', {
        external_id: 'pin-1',
        product_id: 901,
        auto_confirm: true,
      });
      expect(created.status).toBe(201);
      expect((created.body as TransactionBody)['pin']).toBeUndefined();
      await sim.flush();
      const { id } = created.body as TransactionBody;
      const completed = (await dvs.get(`/transactions/${id}`)).body as TransactionBody;
      expect(completed).toMatchObject({
        status: { message: 'COMPLETED' },
        pin: { code: expect.stringMatching(/^\d{12}$/), serial: `SN${id}` },
        product: {
          id: 901,
          type: 'FIXED_VALUE_PIN_PURCHASE',
          pin: { usage_info: expect.arrayContaining([expect.any(String)]), validity: { unit: 'MONTH', quantity: 12 } },
        },
      });
      expect((await dvs.get('/transactions?external_id=pin-1')).body).toMatchObject([{ pin: completed['pin'] }]);
    });

    it('a PIN-less recharge completes without a pin (suffix X00), with one for a PIN-based suffix (X01)', async () => {
      const pinless = (await dvs.post('/async/transactions', globe('pin-2', '+639170000100', { auto_confirm: true })))
        .body as TransactionBody;
      const pinBased = (await dvs.post('/async/transactions', globe('pin-3', '+639170000101', { auto_confirm: true })))
        .body as TransactionBody;
      await sim.flush();
      expect((await dvs.get(`/transactions/${pinless.id}`)).body).not.toHaveProperty('pin');
      expect((await dvs.get(`/transactions/${pinBased.id}`)).body).toMatchObject({ pin: { code: expect.any(String) } });
    });

    it('callback_url is echoed on the transaction: created, fetched and listed', async () => {
      const callbackUrl = 'https://partner.example/dvs/callbacks?token=abc';
      const created = await dvs.post(
        '/async/transactions',
        globe('cbu-1', '+639170000100', { callback_url: callbackUrl }),
      );
      expect(created.body).toMatchObject({ callback_url: callbackUrl });
      const { id } = created.body as TransactionBody;
      expect((await dvs.get(`/transactions/${id}`)).body).toMatchObject({ callback_url: callbackUrl });
      expect((await dvs.get('/transactions?external_id=cbu-1')).body).toMatchObject([{ callback_url: callbackUrl }]);
      const without = (await dvs.post('/async/transactions', globe('cbu-2', '+639170000100'))).body as TransactionBody;
      expect(without).not.toHaveProperty('callback_url');
    });
  });
});
