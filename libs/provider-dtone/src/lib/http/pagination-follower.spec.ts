import { Effect, Either } from 'effect';
import { followPages, nextPageOf, pageInfoOf } from './pagination-follower';

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
    expect(nextPageOf({ nextPage: 5 }, 4)).toBe(5);
    expect(nextPageOf({ page: 2, totalPages: 3 }, 2)).toBe(3);
    expect(nextPageOf({ page: 3, totalPages: 3 }, 3)).toBeUndefined();
    expect(nextPageOf({}, 1)).toBeUndefined();
  });
});

describe('following pages', () => {
  const pagesOf =
    (items: readonly number[], perPage: number, withNextHeader = true) =>
    (page: number) => {
      const totalPages = Math.ceil(items.length / perPage);
      return Effect.succeed({
        items: items.slice((page - 1) * perPage, page * perPage),
        headers: headers({
          'X-Total-Pages': String(totalPages),
          'X-Page': String(page),
          ...(withNextHeader && page < totalPages ? { 'X-Next-Page': String(page + 1) } : {}),
        }),
      });
    };

  it('collects every page to the end, by X-Next-Page or by X-Total-Pages', async () => {
    const items = Array.from({ length: 23 }, (_, index) => index);
    expect(await Effect.runPromise(followPages(pagesOf(items, 5)))).toEqual(items);
    expect(await Effect.runPromise(followPages(pagesOf(items, 5, false)))).toEqual(items);
    expect(await Effect.runPromise(followPages(pagesOf([], 5)))).toEqual([]);
  });

  it('reads one page when the answer has no pagination headers', async () => {
    const calls: number[] = [];
    const result = await Effect.runPromise(
      followPages((page) => Effect.sync(() => (calls.push(page), { items: [1, 2], headers: headers({}) }))),
    );
    expect(result).toEqual([1, 2]);
    expect(calls).toEqual([1]);
  });

  it('refuses a next page that goes backwards, and a list that never ends', async () => {
    const backwards = await Effect.runPromise(
      Effect.either(followPages(() => Effect.succeed({ items: [1], headers: headers({ 'X-Next-Page': '1' }) }))),
    );
    expect(Either.isLeft(backwards) && backwards.left._tag).toBe('ProviderResponseInvalid');
    const endless = await Effect.runPromise(
      Effect.either(
        followPages(
          (page) => Effect.succeed({ items: [page], headers: headers({ 'X-Next-Page': String(page + 1) }) }),
          10,
        ),
      ),
    );
    expect(Either.isLeft(endless) && endless.left._tag).toBe('ProviderResponseInvalid');
  });

  it('stops at the first failing page with its error', async () => {
    const result = await Effect.runPromise(
      Effect.either(
        followPages((page) =>
          page === 2
            ? Effect.fail('boom' as const)
            : Effect.succeed({ items: [page], headers: headers({ 'X-Next-Page': '2' }) }),
        ),
      ),
    );
    expect(result).toEqual(Either.left('boom'));
  });
});
