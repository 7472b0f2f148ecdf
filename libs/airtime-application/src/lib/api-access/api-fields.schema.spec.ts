import { Either, Schema } from 'effect';
import fc from 'fast-check';
import {
  DisplayNameField,
  endOf,
  instantOf,
  IsoTimeText,
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
