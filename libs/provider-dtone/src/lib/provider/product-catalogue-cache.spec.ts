import { Either, Schema } from 'effect';
import { sampleDvsFixedProduct } from '../../testing/dvs.fixture';
import { mapDvsProduct } from '../mappers/dvs-product.mapper';
import { DvsProduct } from '../schemas/dvs-product.schema';
import { makeProductCatalogueCache } from './product-catalogue-cache';
import { isRequired, meetsRequirement, providedFields } from './required-fields.check';

const product = Either.getOrThrow(mapDvsProduct(Schema.decodeUnknownSync(DvsProduct)(sampleDvsFixedProduct())));

describe('product catalogue cache', () => {
  it('serves a list until its lifetime ends, on the injected clock', () => {
    let now = 1_000;
    const cache = makeProductCatalogueCache(60_000, () => now);
    cache.set('k', [product]);
    now += 59_999;
    expect(cache.get('k')).toEqual([product]);
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.byId('11001')).toBe(product);
  });

  it('keeps no list with a zero lifetime, but still remembers products by id; clear forgets all', () => {
    const cache = makeProductCatalogueCache(0, () => 0);
    cache.set('k', [product]);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.byId('11001')).toBe(product);
    cache.clear();
    expect(cache.byId('11001')).toBeUndefined();
  });
});

describe('required fields', () => {
  it('is met by any one alternative set of fields', () => {
    const required = [['mobile_number'], ['account_number', 'account_qualifier']];
    expect(meetsRequirement(required, providedFields({ mobile_number: '+1' }))).toBe(true);
    expect(meetsRequirement(required, providedFields({ account_number: 'a', account_qualifier: 'q' }))).toBe(true);
    expect(meetsRequirement(required, providedFields({ account_number: 'a', account_qualifier: ' ' }))).toBe(false);
    expect(meetsRequirement([], providedFields(undefined))).toBe(true);
    expect(meetsRequirement([[]], providedFields(undefined))).toBe(true);
    expect(isRequired([[]])).toBe(false);
  });
});
