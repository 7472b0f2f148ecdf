/** DVS pagination: `page` (>= 1, default 1) and `per_page` (1..100, default 50). */
export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

export interface PageOf<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly totalPages: number;
  readonly page: number;
  readonly perPage: number;
  readonly nextPage: number | undefined;
  readonly prevPage: number | undefined;
}

/** The page `request.page` of `all`; a page past the end is empty (with the same totals). */
export const paginate = <T>(all: readonly T[], request: PageRequest): PageOf<T> => {
  const total = all.length;
  const totalPages = Math.ceil(total / request.perPage);
  const start = (request.page - 1) * request.perPage;
  return {
    items: all.slice(start, start + request.perPage),
    total,
    totalPages,
    page: request.page,
    perPage: request.perPage,
    nextPage: request.page < totalPages ? request.page + 1 : undefined,
    prevPage: request.page > 1 && request.page - 1 <= Math.max(totalPages, 1) ? request.page - 1 : undefined,
  };
};

/** The X-* headers of the reference for a page. */
export const paginationHeaders = (page: PageOf<unknown>): Readonly<Record<string, string>> => ({
  'X-Total': String(page.total),
  'X-Total-Pages': String(page.totalPages),
  'X-Per-Page': String(page.perPage),
  'X-Page': String(page.page),
  ...(page.nextPage === undefined ? {} : { 'X-Next-Page': String(page.nextPage) }),
  ...(page.prevPage === undefined ? {} : { 'X-Prev-Page': String(page.prevPage) }),
});
