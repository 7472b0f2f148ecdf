// Following DVS's paged lists: by the X-* headers, and on past full pages
// when the headers are missing, to a short or empty page; never-ending
// answers fail loudly.
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { followPages, MAX_PAGES, nextPageOf, pageInfoOf } from './pagination-follower';

const headers = (record: Record<string, string>) => new Headers(record);

describe('pagination headers', () => {
  it('reads the X-* headers of the reference', () => {
    expect(
      pageInfoOf(
        headers({
          'X-Total': '120',
          'X-Total-Pages': '3',
          'X-Per-Page': '50',
          'X-Page': '2',
          'X-Next-Page': '3',
          'X-Prev-Page': '1',
        }),
      ),
    ).toEqual({ total: 120, totalPages: 3, perPage: 50, page: 2, nextPage: 3, prevPage: 1 });
    expect(pageInfoOf(headers({ 'X-Total': '0', 'X-Next-Page': '' }))).toEqual({ total: 0 });
  });

  it('goes to X-Next-Page, else to the next page while below X-Total-Pages', () => {
    expect(nextPageOf({ nextPage: 5 }, 4, 10, 10)).toBe(5);
    expect(nextPageOf({ page: 2, totalPages: 3 }, 2, 10, 10)).toBe(3);
    expect(nextPageOf({ page: 3, totalPages: 3 }, 3, 10, 10)).toBeUndefined();
  });

  it('without those headers, goes on after a full page and ends at a short or empty one', () => {
    expect(nextPageOf({}, 1, 100, 100)).toBe(2);
    expect(nextPageOf({}, 4, 100, 100)).toBe(5);
    expect(nextPageOf({}, 1, 99, 100)).toBeUndefined();
    expect(nextPageOf({}, 2, 0, 100)).toBeUndefined();
    // X-Per-Page says how full a page is when DVS serves fewer than asked
    expect(nextPageOf({ perPage: 50 }, 1, 50, 100)).toBe(2);
    expect(nextPageOf({ perPage: 50 }, 1, 49, 100)).toBeUndefined();
    // an empty page ends the list whatever the headers say
    expect(nextPageOf({ nextPage: 3 }, 2, 0, 100)).toBeUndefined();
  });
});

describe('following pages', () => {
  /** `items` served `perPage` at a time; `style` decides which pagination headers the answers carry. */
  const pagesOf =
    (items: readonly number[], perPage: number, style: 'next' | 'total' | 'none' = 'next', calls: number[] = []) =>
    (page: number) =>
      Effect.sync(() => {
        calls.push(page);
        const totalPages = Math.ceil(items.length / perPage);
        const pagination: Record<string, string> =
          style === 'none'
            ? {}
            : {
                'X-Total-Pages': String(totalPages),
                'X-Page': String(page),
                ...(style === 'next' && page < totalPages ? { 'X-Next-Page': String(page + 1) } : {}),
              };
        return { items: items.slice((page - 1) * perPage, page * perPage), headers: headers(pagination) };
      });

  it('collects every page to the end, by X-Next-Page or by X-Total-Pages', async () => {
    const items = Array.from({ length: 23 }, (_, index) => index);
    expect(await Effect.runPromise(followPages(pagesOf(items, 5), { perPage: 5 }))).toEqual(items);
    expect(await Effect.runPromise(followPages(pagesOf(items, 5, 'total'), { perPage: 5 }))).toEqual(items);
    expect(await Effect.runPromise(followPages(pagesOf([], 5), { perPage: 5 }))).toEqual([]);
  });

  it('without pagination headers, follows full pages to a short one (205 items of 100: 3 pages)', async () => {
    const items = Array.from({ length: 205 }, (_, index) => index);
    const calls: number[] = [];
    expect(await Effect.runPromise(followPages(pagesOf(items, 100, 'none', calls), { perPage: 100 }))).toEqual(items);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('without pagination headers, an exact multiple of per_page ends at the empty page after it', async () => {
    const items = Array.from({ length: 200 }, (_, index) => index);
    const calls: number[] = [];
    expect(await Effect.runPromise(followPages(pagesOf(items, 100, 'none', calls), { perPage: 100 }))).toEqual(items);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('reads one page when a short answer has no pagination headers', async () => {
    const calls: number[] = [];
    const result = await Effect.runPromise(followPages(pagesOf([1, 2], 100, 'none', calls), { perPage: 100 }));
    expect(result).toEqual([1, 2]);
    expect(calls).toEqual([1]);
  });

  it('counts a page as full by what the answer held, not by what decoding kept', async () => {
    const calls: number[] = [];
    const result = await Effect.runPromise(
      followPages(
        (page) =>
          Effect.sync(() => {
            calls.push(page);
            // page 1 held 3 items of 3, one of them undecodable; page 2 held 1
            return page === 1
              ? { items: [1, 2], received: 3, headers: headers({}) }
              : { items: [4], received: 1, headers: headers({}) };
          }),
        { perPage: 3 },
      ),
    );
    expect(result).toEqual([1, 2, 4]);
    expect(calls).toEqual([1, 2]);
  });

  it('any list, with or without headers, comes whole and in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom('next' as const, 'total' as const, 'none' as const),
        async (length, perPage, style) => {
          const items = Array.from({ length }, (_, index) => index);
          expect(await Effect.runPromise(followPages(pagesOf(items, perPage, style), { perPage }))).toEqual(items);
        },
      ),
    );
  });

  it('refuses a next page that goes backwards, and a list that never ends (headers or full pages)', async () => {
    const backwards = await Effect.runPromise(
      Effect.either(
        followPages(() => Effect.succeed({ items: [1], headers: headers({ 'X-Next-Page': '1' }) }), { perPage: 1 }),
      ),
    );
    expect(Either.isLeft(backwards) && backwards.left._tag).toBe('ProviderResponseInvalid');
    const endless = await Effect.runPromise(
      Effect.either(
        followPages(
          (page) => Effect.succeed({ items: [page], headers: headers({ 'X-Next-Page': String(page + 1) }) }),
          {
            perPage: 100,
            maxPages: 10,
          },
        ),
      ),
    );
    expect(Either.isLeft(endless) && endless.left._tag).toBe('ProviderResponseInvalid');
    const calls: number[] = [];
    const alwaysFull = await Effect.runPromise(
      Effect.either(
        followPages((page) => Effect.sync(() => (calls.push(page), { items: [page, page], headers: headers({}) })), {
          perPage: 2,
          maxPages: 10,
        }),
      ),
    );
    expect(alwaysFull).toEqual(
      Either.left(
        expect.objectContaining({ _tag: 'ProviderResponseInvalid', reason: expect.stringContaining('10 pages') }),
      ),
    );
    expect(calls).toHaveLength(10);
    expect(MAX_PAGES).toBeGreaterThanOrEqual(1_000);
  });

  it('stops at the first failing page with its error', async () => {
    const result = await Effect.runPromise(
      Effect.either(
        followPages(
          (page) =>
            page === 2
              ? Effect.fail('boom' as const)
              : Effect.succeed({ items: [page], headers: headers({ 'X-Next-Page': '2' }) }),
          { perPage: 100 },
        ),
      ),
    );
    expect(result).toEqual(Either.left('boom'));
  });
});
