import { compareProductIds, PersistenceFailure, type Product, type ProductFilter } from '@airtime/domain';
import { Effect, Either, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { sql } from '../unit-of-work/sql';
import { decodeStored, encodeStored, isoOf } from '../shared/codec-support';
import { ProductFromJson } from '../shared/product.codec';
import { areStorableKeys } from '../shared/text-keys';

/**
 * Providers' catalogues cached in `provider_products`, each product as the
 * exact JSON of the product codec, valid for a time to live.
 */
export interface ProductCacheStore {
  /** Stores (or refreshes) products of a provider, valid until `fetchedAt + ttlMs`; an older fetch never overwrites a newer one. */
  readonly put: (
    providerId: string,
    products: readonly Product[],
    fetchedAt: Date,
    ttlMs: number,
  ) => Effect.Effect<void, PersistenceFailure>;
  /**
   * The provider's products not expired at `now`, narrowed by country, operator and kind, in product id order;
   * none, without a statement, when the provider or a filter holds a NUL (no row can: see text-keys).
   */
  readonly fresh: (
    providerId: string,
    filter: ProductFilter,
    now: Date,
  ) => Effect.Effect<readonly Product[], PersistenceFailure>;
}

const CachedRow = Schema.Struct({ product_id: Schema.String, product: ProductFromJson });

const decodeCachedRow = decodeStored(CachedRow);
const encodeProduct = encodeStored(ProductFromJson);

const COUNTRY_ISO = /^[A-Z]{2}$/;

const refuse = (reason: string) =>
  Either.left(new PersistenceFailure({ reason: `product cache: ${reason}`, retryable: false }));

/** The records `put` writes, as one JSON array; refused when a product cannot be cached as it is. */
const recordsOf = (providerId: string, products: readonly Product[]) => {
  const seen = new Set<string>();
  return Either.all(
    products.map((product) => {
      if (seen.has(product.id)) return refuse(`product ${product.id} of ${providerId} appears twice in one put`);
      seen.add(product.id);
      if (!COUNTRY_ISO.test(product.operator.countryIso)) {
        return refuse(
          `product ${product.id} of ${providerId} has country ${JSON.stringify(product.operator.countryIso)}, not ISO 3166 alpha-2`,
        );
      }
      return Either.map(encodeProduct(product, `product ${product.id} of ${providerId}`), (json) => ({
        product_id: product.id,
        country_iso: product.operator.countryIso,
        operator_id: product.operator.id,
        product: json,
      }));
    }),
  );
};

export const makeProductCache = (dataSource: DataSource): ProductCacheStore => ({
  put: (providerId, products, fetchedAt, ttlMs) =>
    Effect.gen(function* () {
      if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
        return yield* refuse(`time to live must be a positive number of milliseconds, got ${ttlMs}`);
      if (products.length === 0) return;
      const records = yield* recordsOf(providerId, products);
      const fetched = yield* isoOf(fetchedAt, 'product cache fetch time');
      const expires = yield* isoOf(new Date(fetchedAt.getTime() + ttlMs), 'product cache expiry');
      yield* sql(
        dataSource,
        `INSERT INTO provider_products (provider_id, product_id, country_iso, operator_id, product, fetched_at, expires_at)
         SELECT $1, p.product_id, p.country_iso, p.operator_id, p.product, $3::timestamptz, $4::timestamptz
         FROM jsonb_to_recordset($2::jsonb) AS p(product_id text, country_iso text, operator_id text, product jsonb)
         ON CONFLICT (provider_id, product_id) DO UPDATE
         SET country_iso = EXCLUDED.country_iso, operator_id = EXCLUDED.operator_id, product = EXCLUDED.product,
             fetched_at = EXCLUDED.fetched_at, expires_at = EXCLUDED.expires_at
         WHERE provider_products.fetched_at <= EXCLUDED.fetched_at`,
        [providerId, JSON.stringify(records), fetched, expires],
      );
    }),

  fresh: (providerId, filter, now) =>
    Effect.gen(function* () {
      const keys = [providerId, filter.countryIso, filter.operatorId, filter.kind];
      if (!areStorableKeys(...keys.filter((key) => key !== undefined))) return [];
      const parameters: unknown[] = [providerId, yield* isoOf(now, 'product cache time')];
      const conditions = ['provider_id = $1', 'expires_at > $2::timestamptz'];
      const narrow = (condition: (parameter: string) => string, value: string | undefined) => {
        if (value === undefined) return;
        parameters.push(value);
        conditions.push(condition(`$${parameters.length}`));
      };
      narrow((parameter) => `country_iso = ${parameter}`, filter.countryIso);
      narrow((parameter) => `operator_id = ${parameter}`, filter.operatorId);
      narrow((parameter) => `product->>'kind' = ${parameter}`, filter.kind);
      const rows = yield* sql(
        dataSource,
        `SELECT product_id, product FROM provider_products WHERE ${conditions.join(' AND ')}`,
        parameters,
      );
      const products = yield* Either.all(
        rows.map((row) => {
          const what = `cached product ${String(row['product_id'])} of ${providerId}`;
          return Either.flatMap(decodeCachedRow(row, what), (cached) =>
            cached.product.id === cached.product_id
              ? Either.right(cached.product)
              : refuse(`${what} holds product ${cached.product.id}`),
          );
        }),
      );
      return [...products].sort((a, b) => compareProductIds(a.id, b.id));
    }),
});
