import type { MappedDvsProduct } from '../mappers/dvs-product.mapper';

/**
 * Product lists kept in memory for `ttlMs` per query, so that quoting and
 * sending do not download the catalogue again; and every product seen, by
 * id, so that a send finds what it must carry (required fields, ranged or
 * fixed) without a call. The clock is injected (tests move it by hand).
 */
export interface ProductCatalogueCache {
  /** The list cached for `key`, when still fresh. */
  readonly get: (key: string) => readonly MappedDvsProduct[] | undefined;
  readonly set: (key: string, products: readonly MappedDvsProduct[]) => void;
  /** A product seen in any list (or fetched alone), fresh or not. */
  readonly byId: (productId: string) => MappedDvsProduct | undefined;
  readonly remember: (product: MappedDvsProduct) => void;
  /** Forgets every list (e.g. when DVS says a product is no longer available). */
  readonly clear: () => void;
}

export const makeProductCatalogueCache = (ttlMs: number, nowMs: () => number): ProductCatalogueCache => {
  const lists = new Map<string, { readonly expiresAtMs: number; readonly products: readonly MappedDvsProduct[] }>();
  const products = new Map<string, MappedDvsProduct>();
  return {
    get: (key) => {
      const entry = lists.get(key);
      if (entry === undefined) return undefined;
      if (nowMs() >= entry.expiresAtMs) {
        lists.delete(key);
        return undefined;
      }
      return entry.products;
    },
    set: (key, list) => {
      for (const product of list) products.set(product.product.id, product);
      if (ttlMs > 0) lists.set(key, { expiresAtMs: nowMs() + ttlMs, products: list });
    },
    byId: (productId) => products.get(productId),
    remember: (product) => {
      products.set(product.product.id, product);
    },
    clear: () => {
      lists.clear();
      products.clear();
    },
  };
};
