import { PLUS_READ_AS_SPACE, withPlusRestored } from './query-plus.mapper';

const TIMES = { from: PLUS_READ_AS_SPACE.utcOffset, to: PLUS_READ_AS_SPACE.utcOffset };

describe('a + read as a space in a query string', () => {
  it('is taken back before the UTC offset of a time, in the named parameters only', () => {
    expect(
      withPlusRestored({ from: '2025-01-31T10:00:00 05:30', to: '2025-01-31T10:00:00 0530', x: 'a 05:30' }, TIMES),
    ).toEqual({ from: '2025-01-31T10:00:00+05:30', to: '2025-01-31T10:00:00+0530', x: 'a 05:30' });
  });

  it('is taken back before the digits of a phone number', () => {
    expect(withPlusRestored({ phone: ' 639171234567' }, { phone: PLUS_READ_AS_SPACE.phoneStart })).toEqual({
      phone: '+639171234567',
    });
  });

  it('leaves other spaces, other values and non-objects alone', () => {
    expect(withPlusRestored({ from: '2025-01-31 10:00' }, TIMES)).toEqual({ from: '2025-01-31 10:00' });
    expect(withPlusRestored({ from: ['a 05:30', 'b'] }, TIMES)).toEqual({ from: ['a 05:30', 'b'] });
    expect(withPlusRestored({ phone: 'x 639' }, { phone: PLUS_READ_AS_SPACE.phoneStart })).toEqual({ phone: 'x 639' });
    expect(withPlusRestored(undefined, TIMES)).toBeUndefined();
    expect(withPlusRestored({}, TIMES)).toEqual({});
  });
});
