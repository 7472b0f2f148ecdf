import { Either } from 'effect';
import { fundAccount, inMemoryLayers, sampleCatalogue, SAMPLE_KE_NUMBER, SAMPLE_PH_NUMBER } from '../../testing';
import { quoteTopUp } from './quote-top-up.use-case';

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 0n));
  return world;
};

describe('quoteTopUp', () => {
  it('answers the quote of a request (product, amount received, cost, rule) and holds or stores nothing', async () => {
    const world = await setUp();
    const quote = await world.run(
      quoteTopUp({ phone_number: SAMPLE_PH_NUMBER, currency: 'PHP', max_amount: '300', desired_amount: '60' }),
    );
    expect(quote).toMatchObject({
      product: { id: 'smart-100' },
      receive: { amountMinor: 10_000n },
      cost: { amountMinor: 186n, currency: { code: 'USD' } },
      rule: 'SMALLEST_AT_OR_ABOVE_DESIRED',
    });
    const tables = world.database.tables();
    expect([tables.topUps.size, tables.outbox.length, tables.ledger.holds.size]).toEqual([0, 0, 0]);
  });

  it('quotes in the charged currency (a cost in USD) and for another country', async () => {
    const world = await setUp();
    expect(
      await world.run(quoteTopUp({ phone_number: SAMPLE_PH_NUMBER, currency: 'USD', max_amount: '2' })),
    ).toMatchObject({ product: { id: 'smart-100' }, matchedAmount: { amountMinor: 186n } });
    expect(
      await world.run(quoteTopUp({ phone_number: SAMPLE_KE_NUMBER, currency: 'KES', max_amount: '150' })),
    ).toMatchObject({ product: { id: 'safaricom-100' } });
  });

  it("takes a request's whole body (ids optional) and refuses what the request refuses in it, by the same rules", async () => {
    const world = await setUp();
    const body = {
      external_id: 'order-1',
      account_id: 'account-1',
      phone_number: SAMPLE_PH_NUMBER,
      currency: 'PHP',
      max_amount: '300',
      callback_url: 'https://caller.example/hook',
      metadata: { order: 1 },
    };
    expect(await world.run(quoteTopUp(body))).toMatchObject({ product: { id: 'smart-300' } });
    for (const [field, overrides] of [
      ['external_id', { external_id: 'a\u0000b' }],
      ['account_id', { account_id: 'x'.repeat(200) }],
      ['callback_url', { callback_url: 'http://127.0.0.1/' }],
      ['max_amount', { max_amount: '0' }],
      ['desired_amount', { desired_amount: 0 }],
    ] as const) {
      expect(await world.runEither(quoteTopUp({ ...body, ...overrides }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field })),
      );
    }
    const local = { ...body, callback_url: 'http://127.0.0.1/' };
    expect(await world.run(quoteTopUp(local, { allowPrivateCallbackHosts: true }))).toMatchObject({
      product: { id: 'smart-300' },
    });
  });

  it('refuses what the request refuses: a bad field, an exact amount not offered, an operator without products', async () => {
    const world = await setUp();
    expect(await world.runEither(quoteTopUp({ phone_number: SAMPLE_PH_NUMBER, currency: 'PHP' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'max_amount' })),
    );
    expect(
      await world.runEither(
        quoteTopUp({ phone_number: SAMPLE_PH_NUMBER, currency: 'PHP', max_amount: '120', exact_amount: true }),
      ),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'ExactAmountUnavailable' })));
    expect(
      await world.runEither(quoteTopUp({ phone_number: '+255712000111', currency: 'TZS', max_amount: '1000' })),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'OperatorNotFound', countryIso: 'TZ' })));
  });

  it('counts a product_id in characters (code points), 1 to 100, as the identifiers are counted', async () => {
    const world = await setUp();
    const quote = (product_id: string) =>
      world.runEither(quoteTopUp({ phone_number: SAMPLE_PH_NUMBER, currency: 'PHP', max_amount: '300', product_id }));
    // 100 emoji: well formed (no such product), 101: too long, a space: refused
    expect(await quote('\u{1F4F1}'.repeat(100))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProductNotFound' })),
    );
    for (const productId of ['\u{1F4F1}'.repeat(101), 'smart 50', '']) {
      expect(await quote(productId)).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'product_id' })),
      );
    }
  });
});
