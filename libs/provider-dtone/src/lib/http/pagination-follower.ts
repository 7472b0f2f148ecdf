import { ProviderResponseInvalid } from '@airtime/domain';
import { Effect } from 'effect';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

/** Any header lookup: `Headers` of fetch, or a plain record in tests. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The pagination headers of a DVS list answer. */
export interface PageInfo {
  readonly total?: number | undefined;
  readonly totalPages?: number | undefined;
  readonly perPage?: number | undefined;
  readonly page?: number | undefined;
  readonly nextPage?: number | undefined;
  readonly prevPage?: number | undefined;
}

export interface FetchedPage<A> {
  readonly items: readonly A[];
  readonly headers: HeaderSource;
}

/** DVS's maximum `per_page`: the fewest calls for a whole list. */
export const DVS_MAX_PER_PAGE = 100;

/** Guard against an answer that never stops pointing at a next page. */
export const MAX_PAGES = 10_000;

const positiveInteger = (headers: HeaderSource, name: string): number | undefined => {
  const text = headers.get(name)?.trim();
  return text !== undefined && /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
};

export const pageInfoOf = (headers: HeaderSource): PageInfo => {
  const fields = {
    total: headers.get('x-total')?.trim() === '0' ? 0 : positiveInteger(headers, 'x-total'),
    totalPages: positiveInteger(headers, 'x-total-pages'),
    perPage: positiveInteger(headers, 'x-per-page'),
    page: positiveInteger(headers, 'x-page'),
    nextPage: positiveInteger(headers, 'x-next-page'),
    prevPage: positiveInteger(headers, 'x-prev-page'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as PageInfo;
};

/**
 * The page after `current`: `X-Next-Page` when given, else the next one while
 * `X-Page` < `X-Total-Pages`; `undefined` at the end (or without headers).
 */
export const nextPageOf = (info: PageInfo, current: number): number | undefined => {
  if (info.nextPage !== undefined) return info.nextPage;
  const page = info.page ?? current;
  return info.totalPages !== undefined && page < info.totalPages ? page + 1 : undefined;
};

/** A page just read: its number, how many items it held, and its pagination headers. */
export interface PageRead {
  readonly page: number;
  readonly items: number;
  readonly info: PageInfo;
}

/**
 * Fetches page 1, then follows the pagination headers to the end and
 * concatenates the items. Stops on an empty page; a next page that does not
 * move forward, or more than MAX_PAGES pages, is an invalid answer.
 * `onPage` is told about each page once it is read.
 */
export const followPages = <A, E, R>(
  fetchPage: (page: number) => Effect.Effect<FetchedPage<A>, E, R>,
  maxPages = MAX_PAGES,
  onPage?: (read: PageRead) => void,
): Effect.Effect<readonly A[], E | ProviderResponseInvalid, R> => {
  const invalid = (reason: string) => Effect.fail(new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason }));
  const loop = (
    page: number,
    pagesSeen: number,
    collected: readonly A[],
  ): Effect.Effect<readonly A[], E | ProviderResponseInvalid, R> =>
    Effect.flatMap(fetchPage(page), ({ items, headers }) => {
      const all = [...collected, ...items];
      const info = pageInfoOf(headers);
      onPage?.({ page, items: items.length, info });
      const next = nextPageOf(info, page);
      if (next === undefined || items.length === 0) return Effect.succeed(all);
      if (next <= page) return invalid(`pagination went from page ${page} back to page ${next}`);
      if (pagesSeen + 1 >= maxPages) return invalid(`pagination did not end within ${maxPages} pages`);
      return loop(next, pagesSeen + 1, all);
    });
  return loop(1, 0, []);
};
