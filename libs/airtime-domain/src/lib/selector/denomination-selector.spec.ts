import { Either } from 'effect';
import { makeFixedProduct, type Operator, type Product } from '../product/product';
import { money } from '../money/money';
import { parsePreciseMoney, preciseOf } from '../money/precise-money';
import { selectDenomination } from './denomination-selector';
import { testCurrency } from '../../testing/product.arbitraries';

const PHP = testCurrency('PHP');
const USD = testCurrency('USD');
const globe: Operator = { id: '1', name: 'Globe', countryIso: 'PH' };
const smart: Operator = { id: '2', name: 'Smart', countryIso: 'PH' };

const fixed = (id: string, operator: Operator, pesos: number, usdCents: bigint, feeCents = 0n): Product =>
  Either.getOrThrow(
    makeFixedProduct({
      id,
      name: `${operator.name} ${pesos}`,
      kind: 'AIRTIME',
      operator,
      destination: money(BigInt(pesos) * 100n, PHP),
      wholesale: preciseOf(money(usdCents, USD)),
      fee: preciseOf(money(feeCents, USD)),
    }),
  );

// engageSPARK's Philippine example: Globe sells 25 but no 20, Smart sells 20 but not 25.
const globeProducts = [
  fixed('10', globe, 10, 18n),
  fixed('11', globe, 15, 27n),
  fixed('12', globe, 25, 45n),
  fixed('13', globe, 30, 54n),
];
const smartProducts = [
  fixed('20', smart, 10, 18n),
  fixed('21', smart, 15, 27n),
  fixed('22', smart, 20, 36n),
  fixed('23', smart, 30, 54n),
];
const pesos = (amount: number) => money(BigInt(amount) * 100n, PHP);

const select = (products: readonly Product[], max: number, desired?: number) =>
  Either.getOrThrow(
    selectDenomination(products, {
      maxAmount: pesos(max),
      ...(desired === undefined ? {} : { desiredAmount: pesos(desired) }),
    }),
  );

describe('denomination selector: engageSPARK examples', () => {
  it('max 25 sends 25 to Globe', () => {
    const quote = select(globeProducts, 25);
    expect(quote.receive).toEqual(pesos(25));
    expect(quote.product.id).toBe('12');
    expect(quote.rule).toBe('LARGEST_AT_OR_BELOW_MAX');
  });

  it('max 25 sends 20 to Smart, the closest smaller amount', () => {
    const quote = select(smartProducts, 25);
    expect(quote.receive).toEqual(pesos(20));
    expect(quote.rule).toBe('LARGEST_AT_OR_BELOW_MAX');
  });

  it('desired 20 with max 30 sends 20 to Smart', () => {
    const quote = select(smartProducts, 30, 20);
    expect(quote.receive).toEqual(pesos(20));
    expect(quote.rule).toBe('SMALLEST_AT_OR_ABOVE_DESIRED');
  });

  it('desired 20 with max 30 sends 25 to Globe, the next amount above', () => {
    const quote = select(globeProducts, 30, 20);
    expect(quote.receive).toEqual(pesos(25));
    expect(quote.rule).toBe('SMALLEST_AT_OR_ABOVE_DESIRED');
  });
});

describe('denomination selector: rules', () => {
  it('falls back to the largest amount at or below max when nothing lies between desired and max', () => {
    const quote = select(globeProducts, 22, 20);
    expect(quote.receive).toEqual(pesos(15));
    expect(quote.rule).toBe('LARGEST_AT_OR_BELOW_MAX_FALLBACK');
  });

  it('refuses with NoMatchingProduct when every amount is above max', () => {
    const result = selectDenomination(globeProducts, { maxAmount: pesos(5) });
    expect(Either.isLeft(result) && result.left._tag).toBe('NoMatchingProduct');
    expect(Either.isLeft(result) && result.left.code).toBe('NO_MATCHING_PRODUCT');
  });

  it('refuses with NoMatchingProduct for an empty catalogue', () => {
    const result = selectDenomination([], { maxAmount: pesos(50) });
    expect(Either.isLeft(result) && result.left._tag).toBe('NoMatchingProduct');
  });

  it('breaks ties on amount by cheapest cost, then lowest product id', () => {
    const dearer = fixed('1', globe, 20, 40n);
    const cheaper = fixed('9', smart, 20, 36n);
    const cheaperTwin = fixed('5', smart, 20, 36n);
    expect(select([dearer, cheaper], 20).product.id).toBe('9');
    expect(select([cheaper, cheaperTwin, dearer], 20).product.id).toBe('5');
    // numeric ids compare as numbers, not text
    expect(select([fixed('10', smart, 20, 36n), fixed('9', smart, 20, 36n)], 20).product.id).toBe('9');
  });

  it('gives one winner among equal products whatever their order, with ids mixing digits and letters', () => {
    const KES = testCurrency('KES');
    const safaricom: Operator = { id: '77', name: 'Safaricom', countryIso: 'KE' };
    // KES 100.00 for USD 1.00, three times
    const equal = (id: string) =>
      Either.getOrThrow(
        makeFixedProduct({
          id,
          name: `Safaricom 100 (${id})`,
          kind: 'AIRTIME',
          operator: safaricom,
          destination: money(10_000n, KES),
          wholesale: preciseOf(money(100n, USD)),
          fee: preciseOf(money(0n, USD)),
        }),
      );
    const [nine, ten, oneA] = [equal('9'), equal('10'), equal('1a')];
    const orders = [
      [nine, ten, oneA],
      [nine, oneA, ten],
      [ten, nine, oneA],
      [ten, oneA, nine],
      [oneA, nine, ten],
      [oneA, ten, nine],
    ];
    const winners = orders.map(
      (order) => Either.getOrThrow(selectDenomination(order, { maxAmount: money(10_000n, KES) })).product.id,
    );
    expect(winners).toEqual(orders.map(() => '9'));
  });

  it('gives one winner among equal-cost products sharing an id, whatever their order', () => {
    // two operators' product "5", equal in amount and cost: the tie falls to the operator id
    const globeFive = fixed('5', globe, 20, 36n);
    const smartFive = fixed('5', smart, 20, 36n);
    expect(select([globeFive, smartFive], 20).product).toBe(globeFive);
    expect(select([smartFive, globeFive], 20).product).toBe(globeFive);
    // same id and operator: by name, then kind
    const named = (name: string, kind: Product['kind']) => ({ ...fixed('5', globe, 20, 36n), name, kind });
    const [b, aData, aAirtime] = [named('B', 'AIRTIME'), named('A', 'DATA'), named('A', 'AIRTIME')];
    expect(select([b, aData, aAirtime], 20).product).toBe(aAirtime);
    expect(select([aData, aAirtime, b], 20).product).toBe(aAirtime);
    // same id, operator id and name, other country
    const kenya = fixed('5', { ...globe, countryIso: 'KE' }, 20, 36n);
    expect(select([kenya, globeFive], 20).product).toBe(kenya);
    expect(select([globeFive, kenya], 20).product).toBe(kenya);
  });

  it('counts the fee in the cost used to break ties', () => {
    const lowWholesaleHighFee = fixed('1', globe, 20, 30n, 10n);
    const higherWholesaleNoFee = fixed('2', smart, 20, 36n);
    expect(select([lowWholesaleHighFee, higherWholesaleNoFee], 20).product.id).toBe('2');
  });

  it('matches a request in the source currency against the cost', () => {
    const quote = Either.getOrThrow(selectDenomination(smartProducts, { maxAmount: money(40n, USD) }));
    expect(quote.receive).toEqual(pesos(20));
    expect(quote.cost).toEqual(money(36n, USD));
    expect(quote.matchedAmount).toEqual(money(36n, USD));
  });

  it('refuses a currency neither the destination nor the products accept, without converting', () => {
    const result = selectDenomination(smartProducts, { maxAmount: money(1000n, testCurrency('KES')) });
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'CurrencyNotAccepted',
      currency: 'KES',
      accepted: ['PHP', 'USD'],
    });
  });

  it('with a charge currency, considers only products priced in it', () => {
    const EUR = testCurrency('EUR');
    const inEuro = Either.getOrThrow(
      makeFixedProduct({
        id: '1',
        name: 'Globe 20 (EUR)',
        kind: 'AIRTIME',
        operator: globe,
        destination: pesos(20),
        wholesale: preciseOf(money(30n, EUR)),
        fee: preciseOf(money(0n, EUR)),
      }),
    );
    const inDollars = fixed('9', smart, 20, 36n);
    expect(select([inEuro, inDollars], 20).product.id).toBe('1'); // no charge currency: the tie falls to the currency code
    const charged = Either.getOrThrow(
      selectDenomination([inEuro, inDollars], { maxAmount: pesos(20), chargeCurrency: USD }),
    );
    expect(charged.product.id).toBe('9');
    expect(charged.cost.currency).toBe(USD);
    const refused = selectDenomination([inEuro], { maxAmount: pesos(20), chargeCurrency: USD });
    expect(Either.isLeft(refused) && refused.left).toMatchObject({
      _tag: 'CurrencyNotAccepted',
      currency: 'USD',
      accepted: ['EUR'],
    });
  });

  it('refuses a non-positive max and a desired amount in another currency', () => {
    expect(Either.isLeft(selectDenomination(smartProducts, { maxAmount: pesos(0) }))).toBe(true);
    const mixed = selectDenomination(smartProducts, { maxAmount: pesos(30), desiredAmount: money(10n, USD) });
    expect(Either.isLeft(mixed) && mixed.left._tag).toBe('InvalidSelectionRequest');
  });

  it('refuses a request whose amounts are not money of the table (a forged exponent, an amount that is no bigint)', () => {
    // PHP with exponent 0 would read 25 minor units as PHP 25 against products in PHP with 2 decimals
    const forged = { code: 'PHP', exponent: 0 };
    const refusals = [
      { maxAmount: money(25n, forged) },
      { maxAmount: pesos(30), desiredAmount: money(20n, forged) },
      { maxAmount: { amountMinor: 2500 as unknown as bigint, currency: PHP } },
      { maxAmount: pesos(30), desiredAmount: { amountMinor: 'x' as unknown as bigint, currency: PHP } },
    ];
    for (const request of refusals) {
      const answer = selectDenomination(smartProducts, request);
      expect(Either.isLeft(answer) && answer.left._tag).toBe('InvalidSelectionRequest');
    }
  });

  it('refuses what an untyped (JavaScript) caller may pass instead of a request or products, never throwing', () => {
    const requests = [
      null,
      undefined,
      {},
      { maxAmount: null },
      { maxAmount: pesos(30), desiredAmount: null },
      'PHP 30',
    ];
    for (const request of requests) {
      const answer = selectDenomination(smartProducts, request as never);
      expect({ request, tag: Either.isLeft(answer) && answer.left._tag }).toEqual({
        request,
        tag: 'InvalidSelectionRequest',
      });
    }
    for (const products of [null, undefined, {}, 'products']) {
      const answer = selectDenomination(products as never, { maxAmount: pesos(30) });
      expect(Either.isLeft(answer) && answer.left).toMatchObject({
        _tag: 'InvalidSelectionRequest',
        reason: 'products must be an array',
      });
    }
  });

  it('returns a full quote: cost, fee, exchange rate and the request', () => {
    const quote = select([fixed('7', smart, 20, 36n, 4n)], 20);
    expect(quote.wholesale).toEqual(preciseOf(money(36n, USD)));
    expect(quote.fee).toEqual(preciseOf(money(4n, USD)));
    expect(quote.costExact).toEqual(preciseOf(money(40n, USD)));
    expect(quote.cost).toEqual(money(40n, USD));
    expect(quote.roundingUp).toEqual(preciseOf(money(0n, USD)));
    // 20 PHP for 0.36 USD: 1 USD buys 2000/36 = 500/9 PHP
    expect(quote.rate).toMatchObject({ numerator: 500n, denominator: 9n });
    expect(quote.rate.source).toBe(USD);
    expect(quote.rate.destination).toBe(PHP);
    expect(quote.request.maxAmount).toEqual(pesos(20));
  });
});

describe('denomination selector: prices at the provider precision', () => {
  const dollars = (text: string) => Either.getOrThrow(parsePreciseMoney(text, USD));
  // DVS prices with more decimals than USD has: wholesale 1.857, fee 0.0125
  const dvsPriced = (id: string, wholesale: string, fee = '0.0125'): Product =>
    Either.getOrThrow(
      makeFixedProduct({
        id,
        name: `Smart 100 (${id})`,
        kind: 'AIRTIME',
        operator: smart,
        destination: pesos(100),
        wholesale: dollars(wholesale),
        fee: dollars(fee),
      }),
    );

  it('keeps the exact price and charges it rounded up, with the rounding in the quote', () => {
    const quote = select([dvsPriced('1', '1.857')], 100);
    expect(quote.wholesale).toEqual(dollars('1.857'));
    expect(quote.fee).toEqual(dollars('0.0125'));
    expect(quote.costExact).toEqual(dollars('1.8695'));
    expect(quote.cost).toEqual(money(187n, USD));
    expect(quote.roundingUp).toEqual(dollars('0.0005'));
    // 100 PHP for USD 1.857: 1 USD buys 100000/1857 PHP, from the exact price
    expect(quote.rate).toMatchObject({ numerator: 100_000n, denominator: 1857n });
  });

  it('matches a request in the source currency against the charged cost', () => {
    const product = dvsPriced('1', '1.857');
    expect(Either.getOrThrow(selectDenomination([product], { maxAmount: money(187n, USD) })).cost).toEqual(
      money(187n, USD),
    );
    expect(Either.isLeft(selectDenomination([product], { maxAmount: money(186n, USD) }))).toBe(true);
  });

  it('breaks a tie on the exact cost when both are charged alike', () => {
    const dearer = dvsPriced('1', '1.857'); // 1.8695, charged 1.87
    const cheaper = dvsPriced('2', '1.851'); // 1.8635, charged 1.87 too
    expect(select([dearer, cheaper], 100).product.id).toBe('2');
    expect(select([cheaper, dearer], 100).product.id).toBe('2');
  });
});
