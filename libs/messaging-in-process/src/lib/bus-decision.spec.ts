// The bus's retry headers: the count it reads back and the reason it cuts.
import { retryCountOf, truncateReason } from './bus-decision';

describe('bus retry headers', () => {
  it('reads the retry count from x-retry-count, and 0 for anything that is not a positive count', () => {
    expect(retryCountOf({ headers: { 'x-retry-count': 3 } })).toBe(3);
    for (const value of [undefined, 0, -1, 1.5, '2', Number.NaN, null]) {
      expect(retryCountOf({ headers: { 'x-retry-count': value } })).toBe(0);
    }
  });

  it('cuts a reason to 512 characters', () => {
    expect(truncateReason('short')).toBe('short');
    const cut = truncateReason('x'.repeat(600));
    expect(cut).toHaveLength(512);
    expect(cut.endsWith('…')).toBe(true);
  });
});
