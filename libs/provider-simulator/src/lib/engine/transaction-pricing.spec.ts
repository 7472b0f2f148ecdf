import { Either } from 'effect';
import { DEFAULT_CATALOGUE } from './catalogue.fixture';
import { productById } from './catalogue.queries';
import type { SimProduct } from './catalogue.types';
import { chargeOf, priceTransaction } from './transaction-pricing';

const product = (id: number): SimProduct => {
  const found = productById(DEFAULT_CATALOGUE, id);
  if (!found) throw new Error(`no product ${id}`);
  return found;
};

const minor = (result: ReturnType<typeof priceTransaction>) => {
  if (Either.isLeft(result)) return result.left.code;
  const { source, destination, wholesale, wholesaleFee, retail } = result.right;
  return {
    source: source.amountMinor,
    destination: destination.amountMinor,
    wholesale: wholesale.amountMinor,
    fee: wholesaleFee.amountMinor,
    retail: retail.amountMinor,
    charge: chargeOf(result.right).amountMinor,
  };
};

describe('transaction pricing', () => {
  it('a fixed product costs its wholesale price plus fee', () => {
    expect(minor(priceTransaction(product(103), {}))).toEqual({
      source: 46n,
      destination: 2_500n,
      wholesale: 46n,
      fee: 0n,
      retail: 51n,
      charge: 46n,
    });
  });

  it('DESTINATION_AMOUNT: the wholesale price is rounded up to the cent', () => {
    // 150 KES at 128.2 KES/USD = 1.17004... USD -> 1.18 USD, plus the 0.05 USD fee
    expect(
      minor(
        priceTransaction(product(303), {
          calculationMode: 'DESTINATION_AMOUNT',
          destination: { unit: 'KES', amount: 150 },
        }),
      ),
    ).toEqual({
      source: 118n,
      destination: 15_000n,
      wholesale: 118n,
      fee: 5n,
      retail: 120n,
      charge: 123n,
    });
  });

  it.each([
    ['below the minimum', 9],
    ['above the maximum', 10_001],
    ['off the step', 12.5],
  ])('DESTINATION_AMOUNT refuses an amount %s (1003002)', (_, amount) => {
    expect(
      minor(
        priceTransaction(product(303), { calculationMode: 'DESTINATION_AMOUNT', destination: { unit: 'KES', amount } }),
      ),
    ).toBe(1003002);
  });

  it('refuses an amount on another grid step (Airtel Kenya: 5 KES)', () => {
    const price = (amount: number) =>
      minor(
        priceTransaction(product(401), { calculationMode: 'DESTINATION_AMOUNT', destination: { unit: 'KES', amount } }),
      );
    expect(price(12)).toBe(1003002);
    expect(price(15)).toMatchObject({ destination: 1_500n });
  });

  it('refuses an amount finer than the currency (1003002) and a wrong unit (1003003)', () => {
    expect(
      minor(
        priceTransaction(product(303), {
          calculationMode: 'DESTINATION_AMOUNT',
          destination: { unit: 'KES', amount: 10.001 },
        }),
      ),
    ).toBe(1003002);
    expect(
      minor(
        priceTransaction(product(303), {
          calculationMode: 'DESTINATION_AMOUNT',
          destination: { unit: 'UGX', amount: 100 },
        }),
      ),
    ).toBe(1003003);
  });

  it('SOURCE_AMOUNT: the largest grid amount whose wholesale price fits the source amount', () => {
    // 2.00 USD * 128.2 = 256.4 KES -> 256 KES, which costs 1.9969 -> 2.00 USD
    expect(
      minor(priceTransaction(product(303), { calculationMode: 'SOURCE_AMOUNT', source: { unit: 'USD', amount: 2 } })),
    ).toMatchObject({
      destination: 25_600n,
      wholesale: 200n,
    });
    // Airtel Kenya steps by 5 KES: 2.00 USD * 127.5 = 255 KES exactly
    expect(
      minor(priceTransaction(product(401), { calculationMode: 'SOURCE_AMOUNT', source: { unit: 'USD', amount: 2 } })),
    ).toMatchObject({
      destination: 25_500n,
      wholesale: 200n,
    });
    // never more than what was given
    for (const cents of [8, 9, 77, 101, 999, 4_321]) {
      const priced = priceTransaction(product(303), {
        calculationMode: 'SOURCE_AMOUNT',
        source: { unit: 'USD', amount: cents / 100 },
      });
      if (Either.isRight(priced)) expect(priced.right.wholesale.amountMinor).toBeLessThanOrEqual(BigInt(cents));
    }
  });

  it('SOURCE_AMOUNT refuses an amount that buys less than the minimum', () => {
    expect(
      minor(
        priceTransaction(product(303), { calculationMode: 'SOURCE_AMOUNT', source: { unit: 'USD', amount: 0.01 } }),
      ),
    ).toBe(1003002);
  });

  it('a ranged product needs a calculation mode and the matching amount (1000400)', () => {
    expect(minor(priceTransaction(product(303), {}))).toBe(1000400);
    expect(
      minor(
        priceTransaction(product(303), { calculationMode: 'SOURCE_AMOUNT', destination: { unit: 'KES', amount: 100 } }),
      ),
    ).toBe(1000400);
  });
});
