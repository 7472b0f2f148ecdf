import { Either, Schema } from 'effect';
import fc from 'fast-check';
import {
  DisplayNameField,
  EARLIEST_INSTANT,
  endOf,
  instantOf,
  IsoTimeText,
  LATEST_INSTANT,
  MAX_PAGE,
  PageField,
  PerPageField,
} from './api-fields.schema';

const decodes =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (input: unknown) =>
    Either.getOrUndefined(Schema.decodeUnknownEither(schema)(input));

describe('API fields', () => {
  it('reads a page number from a whole number or a text of digits, in range only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_PAGE }), (page) => {
        expect(decodes(PageField)(page)).toBe(page);
        expect(decodes(PageField)(String(page))).toBe(page);
      }),
    );
    for (const input of [0, -1, 1.5, MAX_PAGE + 1, NaN, '0', '', ' 1', '1.0', '0x10', '1e3', null])
      expect(decodes(PageField)(input)).toBeUndefined();
    expect(decodes(PerPageField)('100')).toBe(100);
    expect(decodes(PerPageField)(101)).toBeUndefined();
  });

  it('reads ISO 8601 days and zoned times only, real days only', () => {
    for (const text of ['2024-02-29', '2025-01-31T10:00Z', '2025-01-31T10:00:00.123456+05:30', '2025-12-31T23:59:59Z'])
      expect(decodes(IsoTimeText)(text)).toBe(text);
    for (const text of [
      '2025-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-01-31T10:00:00',
      '2025-01-31T24:00:00Z',
      '2025-01-31 10:00:00Z',
      '31/01/2025',
      '1738317600000',
      '',
    ])
      expect(decodes(IsoTimeText)(text)).toBeUndefined();
  });

  it('takes a day as a whole day and a time to its millisecond', () => {
    expect(instantOf('2025-01-31').toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(endOf('2025-01-31').toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(endOf('2025-01-31T12:00:00+02:00').toISOString()).toBe('2025-01-31T10:00:00.001Z');
  });

  it('reads years 0001..0099 as written and refuses a start or end outside 0001-01-01..9999-12-31T23:59:59.999Z', () => {
    expect(instantOf(decodes(IsoTimeText)('0050-06-15') ?? '').toISOString()).toBe('0050-06-15T00:00:00.000Z');
    for (const text of ['9999-12-30', '9999-12-31T23:59:59.998Z', '0001-01-01', '0001-01-01T00:00:00Z'])
      expect(decodes(IsoTimeText)(text)).toBe(text);
    for (const text of [
      '9999-12-31',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999-23:59',
      '9999-12-31T12:00-12:00',
      '0001-01-01T00:00:00+00:01',
      '0000-12-31',
    ])
      expect(decodes(IsoTimeText)(text)).toBeUndefined();
  });

  it('keeps the start and end of every accepted time within four-digit years, and refuses only those outside', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    const edgeYear = fc.oneof(fc.constantFrom(1, 2, 9998, 9999), fc.integer({ min: 1, max: 9999 }));
    const zone = fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([sign, hours, minutes]) => `${sign}${two(hours)}:${two(minutes)}`),
    );
    const time = fc.option(
      fc
        .tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 999 }),
          zone,
        )
        .map(([h, m, sec, ms, z]) => `T${two(h)}:${two(m)}:${two(sec)}.${String(ms).padStart(3, '0')}${z}`),
      { nil: '' },
    );
    const text = fc
      .tuple(edgeYear, fc.constantFrom(1, 12), fc.constantFrom(1, 28, 31), time)
      .map(([year, month, day, rest]) => `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}${rest}`);
    fc.assert(
      fc.property(text, (candidate) => {
        const start = Date.parse(candidate);
        const end = start + (candidate.length === 10 ? 86_400_000 : 1);
        const inRange = start >= EARLIEST_INSTANT && end <= LATEST_INSTANT;
        expect(decodes(IsoTimeText)(candidate) !== undefined).toBe(inRange);
        if (inRange) {
          expect(instantOf(candidate).toISOString()).toMatch(/^\d{4}-/);
          expect(endOf(candidate).toISOString()).toMatch(/^\d{4}-/);
        }
      }),
    );
  });

  it('takes a display name of printable characters only, trimmed, within its length', () => {
    const name = DisplayNameField(20);
    expect(decodes(name)('  Team Ops 👩‍💻 ')).toBe('Team Ops 👩‍💻');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 8 }),
        fc.integer({ min: 0, max: 0x9f }).filter((code) => code < 0x20 || code >= 0x7f),
        fc.string({ maxLength: 8 }),
        (before, control, after) => {
          expect(decodes(name)(`a${before}${String.fromCharCode(control)}${after}b`)).toBeUndefined();
        },
      ),
    );
    for (const input of ['', '   ', 'x'.repeat(21), 42, null]) expect(decodes(name)(input)).toBeUndefined();
  });
});
