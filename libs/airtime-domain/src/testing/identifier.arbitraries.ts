// Identifiers for tests: valid ones that look odd (quotes, LIKE wildcards, emoji, inner spaces,
// exactly the bound) and hostile ones (empty, blank, too long, bidi overrides, controls,
// characters that show nothing, a combining mark first).
import fc from 'fast-check';
import type { IdentifierRule } from '../lib/identifier/identifier';

/**
 * One of each kind of character no identifier may hold: C0 and C1 controls,
 * format characters (bidi overrides, isolates and marks, zero-width ones,
 * BOM, tags), line and paragraph separators, space separators other than
 * the plain space, characters that show nothing (Hangul fillers, the
 * Braille blank, variation selectors, the combining grapheme joiner),
 * noncharacters, private-use characters, and lone surrogates (which no
 * database text can hold).
 */
export const FORBIDDEN_IDENTIFIER_CHARACTERS: readonly string[] = [
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\r',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u00ad',
  '\u061c',
  '\u180e',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2060',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\ufeff',
  '\ufff9',
  '\u{110bd}',
  '\u{1d173}',
  '\u{e0001}',
  '\u{e007f}',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u202f',
  '\u205f',
  '\u3000',
  '\u115f',
  '\u1160',
  '\u3164',
  '\uffa0',
  '\u2800',
  '\u034f',
  '\ufe00',
  '\ufe0f',
  '\u{e0100}',
  '\ufdd0',
  '\ufdef',
  '\ufffe',
  '\uffff',
  '\u{1fffe}',
  '\u{10ffff}',
  '\ue000',
  '\uf8ff',
  '\u{f0000}',
  '\u{10fffd}',
  '\ud83d',
  '\udc00',
];

/** Combining marks, which no identifier may start with (any may follow a base character). */
export const COMBINING_MARKS: readonly string[] = [
  '\u0301',
  '\u0308',
  '\u0489',
  '\u05b0',
  '\u093f',
  '\u20dd',
  '\u{1d165}',
];

/** Characters a valid identifier may hold, some of them awkward for SQL, JSON or LIKE. */
const ID_CHARACTERS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...`-_.:/#@+=~%'"\\[],{}()<>*?!$&|;^\``,
  'é',
  'ß',
  'İ',
  'ǅ',
  '字',
  'ع',
  'ש',
  '😀',
  '𝔸',
  'ㄱ',
  '\u0301',
  '\u093f',
];

/** Cuts `text` to at most `length` characters (code points), never splitting a surrogate pair. */
const fitTo = (text: string, length: number): string => [...text].slice(0, length).join('');

/** A valid identifier of `rule`: 1..maxLength characters (code points), inner plain spaces where the rule allows them. */
export const arbitraryValidIdentifier = (rule: IdentifierRule): fc.Arbitrary<string> => {
  const inner = rule.spaceInside ? [...ID_CHARACTERS, ' ', ' '] : ID_CHARACTERS;
  const body = fc.array(fc.constantFrom(...inner), { minLength: 1, maxLength: rule.maxLength }).map((characters) => {
    const text = fitTo(characters.join(''), rule.maxLength).replace(/^[ \p{M}]+| +$/gu, '');
    return text.length > 0 ? text : 'a';
  });
  return fc.oneof(
    { weight: 8, arbitrary: body },
    { weight: 1, arbitrary: fc.constant('x'.repeat(rule.maxLength)) },
    { weight: 1, arbitrary: fc.constant('😀'.repeat(rule.maxLength)) },
  );
};

/**
 * An identifier that `rule` refuses: empty, blank, too long (by one, emoji
 * included, or far: 8,000 and 100,000 characters), or valid but for a forbidden
 * character anywhere, a combining mark first, a space at either end, or
 * (when the rule allows no space) a space inside.
 */
export const arbitraryHostileIdentifier = (rule: IdentifierRule): fc.Arbitrary<string> => {
  const valid = arbitraryValidIdentifier({ ...rule, maxLength: Math.max(1, rule.maxLength - 2) });
  const hostile: fc.Arbitrary<string>[] = [
    fc.constant(''),
    fc.constantFrom(' ', '   ', '\t', ' \n ', '\u00a0', '\u3000 '),
    fc.constantFrom(rule.maxLength + 1, rule.maxLength + 17, 8_000, 100_000).map((length) => 'd'.repeat(length)),
    fc.constant('😀'.repeat(rule.maxLength + 1)),
    fc.tuple(valid, fc.constantFrom(...FORBIDDEN_IDENTIFIER_CHARACTERS), fc.nat()).map(([text, forbidden, at]) => {
      const characters = [...text];
      characters.splice(at % (characters.length + 1), 0, forbidden);
      return characters.join('');
    }),
    fc.tuple(valid, fc.boolean()).map(([text, atStart]) => (atStart ? ` ${text}` : `${text} `)),
    fc.tuple(fc.constantFrom(...COMBINING_MARKS), valid).map(([mark, text]) => fitTo(`${mark}${text}`, rule.maxLength)),
  ];
  if (!rule.spaceInside)
    hostile.push(
      valid
        .map((text) => [...text])
        .filter((characters) => characters.length >= 2)
        .map(([first, ...rest]) => `${first} ${rest.join('')}`),
    );
  return fc.oneof(...hostile);
};
