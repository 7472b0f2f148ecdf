import { paginate, paginationHeaders } from './pagination';

const items = Array.from({ length: 7 }, (_, index) => index + 1);

describe('pagination', () => {
  it('slices pages and counts them', () => {
    const second = paginate(items, { page: 2, perPage: 3 });
    expect(second).toMatchObject({
      items: [4, 5, 6],
      total: 7,
      totalPages: 3,
      page: 2,
      perPage: 3,
      nextPage: 3,
      prevPage: 1,
    });
  });

  it('the last page is partial and has no next page', () => {
    expect(paginate(items, { page: 3, perPage: 3 })).toMatchObject({ items: [7], nextPage: undefined, prevPage: 2 });
  });

  it('the first page has no previous page', () => {
    expect(paginate(items, { page: 1, perPage: 50 })).toMatchObject({
      items,
      totalPages: 1,
      nextPage: undefined,
      prevPage: undefined,
    });
  });

  it('a page past the end is empty, with the totals', () => {
    expect(paginate(items, { page: 9, perPage: 3 })).toMatchObject({
      items: [],
      total: 7,
      totalPages: 3,
      nextPage: undefined,
      prevPage: undefined,
    });
  });

  it('an empty list has no pages', () => {
    expect(paginate([], { page: 1, perPage: 50 })).toMatchObject({
      items: [],
      total: 0,
      totalPages: 0,
      nextPage: undefined,
    });
  });

  it('exact multiples do not add an empty page', () => {
    expect(paginate(Array.from({ length: 100 }), { page: 2, perPage: 50 })).toMatchObject({
      totalPages: 2,
      nextPage: undefined,
    });
  });

  it('writes the X-* headers of the reference, leaving out the missing neighbours', () => {
    expect(paginationHeaders(paginate(items, { page: 1, perPage: 3 }))).toEqual({
      'X-Total': '7',
      'X-Total-Pages': '3',
      'X-Per-Page': '3',
      'X-Page': '1',
      'X-Next-Page': '2',
    });
    expect(paginationHeaders(paginate(items, { page: 3, perPage: 3 }))).toEqual({
      'X-Total': '7',
      'X-Total-Pages': '3',
      'X-Per-Page': '3',
      'X-Page': '3',
      'X-Prev-Page': '2',
    });
  });
});
