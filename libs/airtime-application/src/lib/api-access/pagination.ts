// Offset pagination as the API answers it (DVS-style X-Total / X-Page
// headers): 1-based pages of `perPage` items and the count of all matches.

/** One page of a result set, with the count of the whole set and the page asked for. */
export interface Paged<A> {
  readonly items: readonly A[];
  /** Matches over all pages. */
  readonly total: number;
  /** 1-based. */
  readonly page: number;
  readonly perPage: number;
}

/** How many items come before page `page` (1-based) of `perPage` items. */
export const offsetOf = (page: number, perPage: number): number => (page - 1) * perPage;

/** How many pages `total` items fill (0 for none). */
export const pageCountOf = (total: number, perPage: number): number => Math.ceil(total / perPage);
