// DVS-style pagination of a list answer (DT One DVS API, "Pagination"):
// the body is the page's items; the headers give X-Total (matches over all
// pages), X-Total-Pages, X-Page, X-Per-Page, and X-Next-Page / X-Prev-Page
// when there is such a page. `page` and `per_page` (1..100) ask for a page.
import type { Paged } from '@airtime/application';
import { MAX_PAGE, MAX_PER_PAGE, pageCountOf } from '@airtime/application';

/**
 * The range of `page` and `per_page`, for the routes' descriptions (the
 * schema's text form allows up to 9 digits; the range is what is taken).
 */
export const PAGE_RANGE_NOTE = `page 1..${MAX_PAGE}, per_page 1..${MAX_PER_PAGE}, whole numbers`;

/** The names of the pagination headers, as the OpenAPI document lists them. */
export const PAGINATION_HEADERS: Readonly<Record<string, string>> = {
  'X-Total': 'matches over all pages',
  'X-Total-Pages': 'pages of per_page items',
  'X-Page': 'this page (1-based)',
  'X-Per-Page': 'items per page',
  'X-Next-Page': 'the next page, when there is one',
  'X-Prev-Page': 'the previous page, when there is one',
};

/** The pagination headers of a page. */
export const paginationHeadersOf = (paged: Omit<Paged<unknown>, 'items'>): Readonly<Record<string, string>> => {
  const totalPages = pageCountOf(paged.total, paged.perPage);
  return {
    'X-Total': String(paged.total),
    'X-Total-Pages': String(totalPages),
    'X-Page': String(paged.page),
    'X-Per-Page': String(paged.perPage),
    ...(paged.page < totalPages ? { 'X-Next-Page': String(paged.page + 1) } : {}),
    ...(paged.page > 1 && totalPages > 0 ? { 'X-Prev-Page': String(Math.min(paged.page - 1, totalPages)) } : {}),
  };
};

/** The fields of a decoded input that were given (an absent optional field is not passed on as undefined). */
export const givenFields = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
