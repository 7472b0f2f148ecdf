import { areStorableKeys } from './text-keys';

describe('areStorableKeys', () => {
  it('takes keys PostgreSQL text can hold, astral characters (whole surrogate pairs) included', () => {
    expect(areStorableKeys()).toBe(true);
    expect(areStorableKeys('order-1', 'acct/β', '😀', '')).toBe(true);
  });

  it('refuses a key holding a NUL or half of a surrogate pair, wherever it stands', () => {
    for (const key of ['a\u0000b', '\u0000', 'x\ud800', '\ud800y', 'x\udc00', '\udc00\ud800', '😀'.slice(0, 1)])
      expect(areStorableKeys('fine', key)).toBe(false);
  });
});
