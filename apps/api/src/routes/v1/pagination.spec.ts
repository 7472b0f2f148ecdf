import { paginationHeadersOf } from './pagination';

describe('DVS-style pagination headers', () => {
  it('gives the totals, the page, and the next and previous pages when there are any', () => {
    expect(paginationHeadersOf({ total: 45, page: 2, perPage: 20 })).toEqual({
      'X-Total': '45',
      'X-Total-Pages': '3',
      'X-Page': '2',
      'X-Per-Page': '20',
      'X-Next-Page': '3',
      'X-Prev-Page': '1',
    });
    expect(paginationHeadersOf({ total: 45, page: 3, perPage: 20 })).not.toHaveProperty('X-Next-Page');
    expect(paginationHeadersOf({ total: 45, page: 1, perPage: 20 })).not.toHaveProperty('X-Prev-Page');
  });

  it('answers an empty list and a page past the last without a next page', () => {
    expect(paginationHeadersOf({ total: 0, page: 1, perPage: 50 })).toEqual({
      'X-Total': '0',
      'X-Total-Pages': '0',
      'X-Page': '1',
      'X-Per-Page': '50',
    });
    expect(paginationHeadersOf({ total: 5, page: 9, perPage: 50 })).toMatchObject({
      'X-Total-Pages': '1',
      'X-Prev-Page': '1',
    });
  });
});
