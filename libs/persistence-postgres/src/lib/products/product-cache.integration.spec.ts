import {
  makeFixedProduct,
  makeRangedProduct,
  money,
  parseExchangeRate,
  preciseOf,
  type Product,
} from '@airtime/domain';
import { arbitraryCatalogue, arbitraryCurrency, testCurrency } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeProductCache, type ProductCacheStore } from './product-cache.adapter';

const usd = testCurrency('USD');
const php = testCurrency('PHP');
const kes = testCurrency('KES');
const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const at = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 3_600_000;

const fixed = (id: string, operatorId: string, countryIso: string, kind: Product['kind'] = 'AIRTIME') =>
  Either.getOrThrow(
    makeFixedProduct({
      id,
      name: `fixed ${id}`,
      kind,
      operator: { id: operatorId, name: 'Op', countryIso },
      destination: money(10_000n, countryIso === 'KE' ? kes : php),
      wholesale: preciseOf(money(190n, usd)),
      fee: preciseOf(money(10n, usd)),
    }),
  );
const ranged = (id: string) =>
  Either.getOrThrow(
    makeRangedProduct({
      id,
      name: `ranged ${id}`,
      kind: 'DATA',
      operator: { id: 'globe', name: 'Globe', countryIso: 'PH' },
      destinationMin: money(500n, php),
      destinationMax: money(100_000n, php),
      stepMinor: 100n,
      rate: Either.getOrThrow(parseExchangeRate('58.1234', usd, php)),
      fee: preciseOf(money(0n, usd)),
    }),
  );
const ids = (products: readonly Product[]) => products.map(({ id }) => id);

describe('product cache on PostgreSQL', () => {
  let db: TestDatabase;
  let cache: ProductCacheStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    cache = makeProductCache(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('gives back the products put, exactly, until they expire', async () => {
    const products = [
      fixed('10', 'smart', 'PH'),
      ranged('9'),
      fixed('100', 'globe', 'PH', 'DATA'),
      fixed('2', 'safaricom', 'KE'),
    ];
    await Effect.runPromise(cache.put('dvs', products, t0, HOUR));
    const fresh = await Effect.runPromise(cache.fresh('dvs', {}, at(HOUR - 1)));
    expect(ids(fresh)).toEqual(['2', '9', '10', '100']);
    expect(fresh).toStrictEqual([products[3], products[1], products[0], products[2]]);
    expect(await Effect.runPromise(cache.fresh('dvs', {}, at(HOUR)))).toEqual([]);
    expect(await Effect.runPromise(cache.fresh('africas-talking', {}, t0))).toEqual([]);
  });

  it('narrows by country, operator and kind', async () => {
    await Effect.runPromise(
      cache.put(
        'narrow',
        [fixed('1', 'smart', 'PH'), ranged('2'), fixed('3', 'globe', 'PH', 'DATA'), fixed('4', 'safaricom', 'KE')],
        t0,
        HOUR,
      ),
    );
    const fresh = (filter: Parameters<ProductCacheStore['fresh']>[1]) =>
      Effect.runPromise(Effect.map(cache.fresh('narrow', filter, t0), ids));
    expect(await fresh({ countryIso: 'PH' })).toEqual(['1', '2', '3']);
    expect(await fresh({ countryIso: 'PH', operatorId: 'globe' })).toEqual(['2', '3']);
    expect(await fresh({ operatorId: 'globe', kind: 'DATA' })).toEqual(['2', '3']);
    expect(await fresh({ kind: 'AIRTIME' })).toEqual(['1', '4']);
    expect(await fresh({ countryIso: 'KE', operatorId: 'smart' })).toEqual([]);
  });

  it('refreshes products with a newer fetch, never with an older one', async () => {
    await Effect.runPromise(cache.put('refresh', [fixed('1', 'smart', 'PH')], t0, HOUR));
    const renamed = { ...fixed('1', 'smart', 'PH'), name: 'renamed' };
    await Effect.runPromise(cache.put('refresh', [renamed], at(30 * 60_000), HOUR));
    await Effect.runPromise(cache.put('refresh', [{ ...renamed, name: 'stale' }], at(10 * 60_000), HOUR));
    const fresh = await Effect.runPromise(cache.fresh('refresh', {}, at(HOUR + 1)));
    expect(fresh).toStrictEqual([renamed]);
  });

  it('round-trips any catalogue exactly', async () => {
    let provider = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .tuple(arbitraryCurrency(), arbitraryCurrency(), arbitraryCurrency())
          .chain(([d, s1, s2]) => arbitraryCatalogue(d, [s1, s2])),
        async (catalogue) => {
          provider += 1;
          await Effect.runPromise(cache.put(`p${provider}`, catalogue, t0, 1));
          const fresh = await Effect.runPromise(cache.fresh(`p${provider}`, {}, t0));
          // fast-check may build objects without a prototype: compare with plain copies
          expect([...fresh].sort((a, b) => a.id.localeCompare(b.id))).toStrictEqual(
            structuredClone([...catalogue].sort((a, b) => a.id.localeCompare(b.id))),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses what it cannot cache as it is, and a cached row that does not decode', async () => {
    const failure = async (effect: Effect.Effect<unknown, { reason: string }>) => {
      const result = await Effect.runPromise(Effect.either(effect));
      return Either.isLeft(result) ? result.left.reason : 'succeeded';
    };
    expect(await failure(cache.put('bad', [fixed('1', 'smart', 'PH'), fixed('1', 'smart', 'PH')], t0, HOUR))).toMatch(
      /product 1 of bad appears twice/,
    );
    expect(await failure(cache.put('bad', [fixed('1', 'smart', 'Philippines')], t0, HOUR))).toMatch(
      /not ISO 3166 alpha-2/,
    );
    expect(await failure(cache.put('bad', [fixed('1', 'smart', 'PH')], t0, 0))).toMatch(
      /time to live must be a positive number/,
    );
    await Effect.runPromise(cache.put('bad', [fixed('1', 'smart', 'PH')], t0, HOUR));
    await db.dataSource.query(
      `UPDATE provider_products SET product = jsonb_set(product, '{stepMinor}', '"0"') WHERE provider_id = 'bad'`,
    );
    await db.dataSource.query(
      `UPDATE provider_products SET product = jsonb_set(product, '{wholesale,amount}', '"-0.05"') WHERE provider_id = 'bad'`,
    );
    expect(await failure(cache.fresh('bad', {}, t0))).toMatch(
      /^cached product 1 of bad does not decode: .*wholesale price must be positive/,
    );
  });
});
