// Following DVS's paged lists (X-* headers): every page read, in order, to
// an empty or short page or the last page the headers name; an answer that
// never ends fails loudly (ProviderResponseInvalid).
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
  /**
   * How many items the answer held before decoding (a tolerant decode may
   * leave some out); `items.length` unless given. A page is short (the last
   * one) by this count, never by what decoding kept.
   */
  readonly received?: number | undefined;
}

/** DVS's maximum `per_page`: the fewest calls for a whole list. */
export const DVS_MAX_PER_PAGE = 100;

/**
 * Guard against an answer that never ends (always a next page, or always
 * full pages): 10,000 pages of 100 is a million items; reaching it fails the
 * list with `ProviderResponseInvalid`, never a silent stop.
 */
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
 * The page after `current`, which held `received` items of the `perPage`
 * asked for: `X-Next-Page` when given; else, when `X-Total-Pages` is given,
 * the next one while `X-Page` (or `current`) is below it; else (no
 * pagination headers) the next one while pages come full (`received` at
 * least `X-Per-Page`, or `perPage` without it), so a list is never cut after
 * a full page. `undefined` at the end: an empty page, the last page the
 * headers name, or a short page without headers.
 */
export const nextPageOf = (info: PageInfo, current: number, received: number, perPage: number): number | undefined => {
  if (received === 0) return undefined;
  if (info.nextPage !== undefined) return info.nextPage;
  if (info.totalPages !== undefined) {
    const page = info.page ?? current;
    return page < info.totalPages ? page + 1 : undefined;
  }
  return received >= (info.perPage ?? perPage) ? current + 1 : undefined;
};

/** A page just read: its number, how many items it held, and its pagination headers. */
export interface PageRead {
  readonly page: number;
  readonly items: number;
  readonly info: PageInfo;
}

export interface FollowOptions {
  /** The `per_page` the requests ask for (1..`DVS_MAX_PER_PAGE`): a page this full may have a next one. */
  readonly perPage: number;
  /** At most this many pages are read (default `MAX_PAGES`); more is an invalid answer. */
  readonly maxPages?: number | undefined;
  /** Told about each page once it is read. */
  readonly onPage?: ((read: PageRead) => void) | undefined;
}

/**
 * Fetches page 1, then every next page (`nextPageOf`: the pagination
 * headers, else on while pages come full) and concatenates the items, in
 * order. Fails with `ProviderResponseInvalid` when a next page does not move
 * forward or the list does not end within `maxPages` pages (never a silent
 * stop); a page's own error fails the whole list with it.
 */
export const followPages = <A, E, R>(
  fetchPage: (page: number) => Effect.Effect<FetchedPage<A>, E, R>,
  options: FollowOptions,
): Effect.Effect<readonly A[], E | ProviderResponseInvalid, R> => {
  const maxPages = options.maxPages ?? MAX_PAGES;
  const invalid = (reason: string) => Effect.fail(new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason }));
  const loop = (
    page: number,
    pagesSeen: number,
    collected: readonly A[],
  ): Effect.Effect<readonly A[], E | ProviderResponseInvalid, R> =>
    Effect.flatMap(fetchPage(page), ({ items, headers, received }) => {
      const all = [...collected, ...items];
      const info = pageInfoOf(headers);
      options.onPage?.({ page, items: items.length, info });
      const next = nextPageOf(info, page, received ?? items.length, options.perPage);
      if (next === undefined) return Effect.succeed(all);
      if (next <= page) return invalid(`pagination went from page ${page} back to page ${next}`);
      if (pagesSeen + 1 >= maxPages) return invalid(`pagination did not end within ${maxPages} pages`);
      return loop(next, pagesSeen + 1, all);
    });
  return loop(1, 0, []);
};
