import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  arbitraryHostileIdentifier,
  arbitraryValidIdentifier,
  FORBIDDEN_IDENTIFIER_CHARACTERS,
} from '../../testing/identifier.arbitraries';
import {
  ACCOUNT_ID_MAX_LENGTH,
  checkAccountId,
  checkDepositId,
  checkIdentifier,
  checkTransactionId,
  codePointLength,
  DEPOSIT_ID_MAX_LENGTH,
  EXTERNAL_ID_MAX_LENGTH,
  IDENTIFIER_RULES,
  type IdentifierRule,
  TRANSACTION_ID_MAX_LENGTH,
} from './identifier';
import type { IdentifierProblem } from './identifier.errors';

const problemOf = (rule: IdentifierRule, value: unknown): IdentifierProblem | undefined =>
  Either.match(checkIdentifier(rule, value), { onLeft: (error) => error.problem, onRight: () => undefined });

const rules = Object.values(IDENTIFIER_RULES);

// The characters that show nothing, as Unicode classes them.
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\p{Co}\u2800]$/u;

/** Every code point of U+0001..U+10FFFF, surrogates left out, whose character `pattern` matches. */
const codePointsWhere = (pattern: RegExp): number[] => {
  const found: number[] = [];
  for (let cp = 1; cp <= 0x10ffff; cp += 1) {
    if ((cp < 0xd800 || cp > 0xdfff) && pattern.test(String.fromCodePoint(cp))) found.push(cp);
  }
  return found;
};

/** Any one of `items` (too many to spread into `fc.constantFrom`). */
const anyOf = (items: readonly number[]): fc.Arbitrary<number> =>
  fc.nat({ max: items.length - 1 }).map((index) => items[index] as number);

describe('identifiers', () => {
  it('each kind has its own bound', () => {
    expect(IDENTIFIER_RULES.ACCOUNT_ID.maxLength).toBe(ACCOUNT_ID_MAX_LENGTH);
    expect(IDENTIFIER_RULES.DEPOSIT_ID.maxLength).toBe(DEPOSIT_ID_MAX_LENGTH);
    expect(IDENTIFIER_RULES.TRANSACTION_ID.maxLength).toBe(TRANSACTION_ID_MAX_LENGTH);
    expect(IDENTIFIER_RULES.EXTERNAL_ID.maxLength).toBe(EXTERNAL_ID_MAX_LENGTH);
    expect(EXTERNAL_ID_MAX_LENGTH).toBe(40);
  });

  it.each(rules)('$kind: accepts 1..maxLength printable characters', (rule) => {
    expect(checkIdentifier(rule, 'a')).toEqual(Either.right('a'));
    expect(problemOf(rule, 'x'.repeat(rule.maxLength))).toBeUndefined();
    expect(problemOf(rule, 'order/42:ü字😀')).toBeUndefined();
    expect(problemOf(rule, `it's "quoted" %_; DROP--`.replaceAll(' ', rule.spaceInside ? ' ' : '-'))).toBeUndefined();
  });

  it('account, deposit and transaction ids may hold a plain space inside; external ids may not (DVS: \\S)', () => {
    expect(checkAccountId('team growth')).toEqual(Either.right('team growth'));
    expect(checkDepositId('bank transfer 1')).toEqual(Either.right('bank transfer 1'));
    expect(checkTransactionId('tx 1')).toEqual(Either.right('tx 1'));
    expect(problemOf(IDENTIFIER_RULES.EXTERNAL_ID, 'order 42')).toBe('FORBIDDEN_CHARACTER');
  });

  it.each<[string, unknown, IdentifierProblem]>([
    ['empty', '', 'EMPTY'],
    ['only spaces', '   ', 'BLANK'],
    ['only a tab and a line break', '\t\n', 'BLANK'],
    ['only no-break spaces', '\u00a0\u00a0', 'BLANK'],
    ['one character too long', 'x'.repeat(101), 'TOO_LONG'],
    ['100,000 characters', 'd'.repeat(100_000), 'TOO_LONG'],
    ['8,000 characters', 'd'.repeat(8_000), 'TOO_LONG'],
    ['a right-to-left override (U+202E)', 'acct\u202egpj.exe', 'FORBIDDEN_CHARACTER'],
    ['a left-to-right mark (U+200E)', 'acct\u200e', 'FORBIDDEN_CHARACTER'],
    ['a right-to-left mark (U+200F)', '\u200facct', 'FORBIDDEN_CHARACTER'],
    ['a left-to-right isolate (U+2066)', 'a\u2066b', 'FORBIDDEN_CHARACTER'],
    ['a pop directional isolate (U+2069)', 'a\u2069b', 'FORBIDDEN_CHARACTER'],
    ['an Arabic letter mark (U+061C)', 'a\u061cb', 'FORBIDDEN_CHARACTER'],
    ['a zero-width joiner', 'a\u200db', 'FORBIDDEN_CHARACTER'],
    ['a NUL', 'a\u0000b', 'FORBIDDEN_CHARACTER'],
    ['a line break', 'a\nb', 'FORBIDDEN_CHARACTER'],
    ['a DEL', 'a\u007fb', 'FORBIDDEN_CHARACTER'],
    ['a C1 control', 'a\u0085b', 'FORBIDDEN_CHARACTER'],
    ['a line separator', 'a\u2028b', 'FORBIDDEN_CHARACTER'],
    ['a no-break space inside', 'a\u00a0b', 'FORBIDDEN_CHARACTER'],
    ['an ideographic space inside', 'a\u3000b', 'FORBIDDEN_CHARACTER'],
    ['half a surrogate pair', 'a\ud83d', 'FORBIDDEN_CHARACTER'],
    ['a private-use character (U+E000)', 'a\ue000b', 'FORBIDDEN_CHARACTER'],
    ['a supplementary private-use character (U+F0000)', 'a\u{f0000}b', 'FORBIDDEN_CHARACTER'],
    ['a Hangul choseong filler inside (U+115F)', 'a\u115fb', 'FORBIDDEN_CHARACTER'],
    ['a Hangul jungseong filler (U+1160)', 'a\u1160b', 'FORBIDDEN_CHARACTER'],
    ['a halfwidth Hangul filler (U+FFA0)', '\uffa0', 'FORBIDDEN_CHARACTER'],
    ['a combining grapheme joiner (U+034F)', 'a\u034fb', 'FORBIDDEN_CHARACTER'],
    ['a variation selector-16 (U+FE0F)', 'a\ufe0f', 'FORBIDDEN_CHARACTER'],
    ['a supplementary variation selector (U+E0100)', 'a\u{e0100}', 'FORBIDDEN_CHARACTER'],
    ['a noncharacter (U+FFFF)', 'a\uffff', 'FORBIDDEN_CHARACTER'],
    ['a noncharacter (U+FFFE)', 'a\ufffeb', 'FORBIDDEN_CHARACTER'],
    ['a noncharacter (U+FDD0)', 'a\ufdd0b', 'FORBIDDEN_CHARACTER'],
    ['a plane-16 noncharacter (U+10FFFF)', 'a\u{10ffff}', 'FORBIDDEN_CHARACTER'],
    ['a lone combining acute accent (U+0301)', '\u0301', 'LEADING_COMBINING_MARK'],
    ['a combining acute accent first (U+0301)', '\u0301abc', 'LEADING_COMBINING_MARK'],
    ['a spacing combining mark first (U+0903)', '\u0903a', 'LEADING_COMBINING_MARK'],
    ['a leading space', ' acct', 'SURROUNDING_SPACE'],
    ['a trailing space', 'acct ', 'SURROUNDING_SPACE'],
    ['not text', 42, 'NOT_TEXT'],
    ['undefined', undefined, 'NOT_TEXT'],
    ['null', null, 'NOT_TEXT'],
  ])('refuses %s', (_, value, problem) => {
    expect(problemOf(IDENTIFIER_RULES.ACCOUNT_ID, value)).toBe(problem);
  });

  it('refuses the invisible identifiers of issue 8 for the kinds they were found on', () => {
    expect(problemOf(IDENTIFIER_RULES.DEPOSIT_ID, '\u3164')).toBe('FORBIDDEN_CHARACTER');
    expect(problemOf(IDENTIFIER_RULES.DEPOSIT_ID, '\u2800')).toBe('FORBIDDEN_CHARACTER');
    expect(problemOf(IDENTIFIER_RULES.ACCOUNT_ID, 'a\u115Fb')).toBe('FORBIDDEN_CHARACTER');
    for (const rule of rules) {
      expect(problemOf(rule, 'order\uFE0F')).toBe('FORBIDDEN_CHARACTER');
      expect(problemOf(rule, 'order\uFFFF')).toBe('FORBIDDEN_CHARACTER');
      expect(problemOf(rule, '\u0301order')).toBe('LEADING_COMBINING_MARK');
    }
    expect(checkDepositId('\u3164')).toEqual(Either.left(expect.objectContaining({ kind: 'DEPOSIT_ID' })));
    const mark = checkTransactionId('\u0301tx');
    expect(Either.isLeft(mark) && mark.left.message).toBe('invalid transaction id: it starts with a combining mark');
  });

  it('takes a combining mark after its base character, and emoji without a variation selector', () => {
    expect(checkAccountId('cafe\u0301')).toEqual(Either.right('cafe\u0301'));
    expect(checkAccountId('\u0915\u093f')).toEqual(Either.right('\u0915\u093f'));
    expect(checkAccountId('\u2764')).toEqual(Either.right('\u2764'));
    expect(checkAccountId('\u3131')).toEqual(Either.right('\u3131'));
  });

  it('names the kind, the problem and the length, never the value', () => {
    const value = 'd'.repeat(8_000);
    const result = checkDepositId(value);
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'InvalidIdentifier',
      code: 'INVALID_IDENTIFIER',
      kind: 'DEPOSIT_ID',
      problem: 'TOO_LONG',
      length: 8_000,
      maxLength: DEPOSIT_ID_MAX_LENGTH,
    });
    if (Either.isLeft(result)) {
      expect(result.left.message).toBe('invalid deposit id: it is 8000 characters long, more than 100');
      expect(result.left.retryable).toBe(false);
    }
    const spoofed = checkAccountId('acct\u202egpj.exe');
    expect(Either.isLeft(spoofed) && spoofed.left.message).not.toMatch(/acct|gpj/);
  });

  it('counts characters as code points, as PostgreSQL does: 40 emoji are a valid external id, 41 are not', () => {
    expect(problemOf(IDENTIFIER_RULES.EXTERNAL_ID, '😀'.repeat(40))).toBeUndefined();
    expect(problemOf(IDENTIFIER_RULES.EXTERNAL_ID, `${'𝔸'.repeat(39)}é`)).toBeUndefined();
    const over = checkIdentifier(IDENTIFIER_RULES.EXTERNAL_ID, '😀'.repeat(41));
    expect(Either.isLeft(over) && over.left).toMatchObject({ problem: 'TOO_LONG', length: 41, maxLength: 40 });
    expect(Either.isLeft(over) && over.left.message).toBe(
      'invalid external id: it is 41 characters long, more than 40',
    );
    expect(problemOf(IDENTIFIER_RULES.ACCOUNT_ID, '字😀'.repeat(50))).toBeUndefined();
    expect(problemOf(IDENTIFIER_RULES.ACCOUNT_ID, '字😀'.repeat(50) + 'x')).toBe('TOO_LONG');
    // a combining sequence is as many characters as it has code points, as in PostgreSQL
    expect(problemOf(IDENTIFIER_RULES.EXTERNAL_ID, 'e\u0301'.repeat(20))).toBeUndefined();
    expect(problemOf(IDENTIFIER_RULES.EXTERNAL_ID, 'e\u0301'.repeat(20) + 'x')).toBe('TOO_LONG');
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 200 })])(
    'codePointLength counts as the string iterator does (a lone surrogate is one)',
    (text) => {
      expect(codePointLength(text)).toBe([...text].length);
    },
  );

  test.prop([
    fc.constantFrom(...rules),
    fc.array(fc.constantFrom('a', 'é', '字', '😀', '𝔸', '\u{1f468}'), { minLength: 1, maxLength: 110 }),
  ])('the bound is on code points, whatever their UTF-16 size', (rule, characters) => {
    const value = characters.join('');
    const problem = problemOf(rule, value);
    expect(problem).toBe(characters.length > rule.maxLength ? 'TOO_LONG' : undefined);
    const refused = checkIdentifier(rule, value);
    if (Either.isLeft(refused)) expect(refused.left.length).toBe(characters.length);
  });

  test.prop([fc.constantFrom(...rules), fc.string({ unit: 'binary', maxLength: 120 })])(
    'never throws; an accepted value is kept as it is',
    (rule, value) => {
      const result = checkIdentifier(rule, value);
      if (Either.isRight(result)) expect(result.right).toBe(value);
    },
  );

  test.prop([fc.constantFrom(...rules).chain((rule) => fc.tuple(fc.constant(rule), arbitraryValidIdentifier(rule)))])(
    'accepts every valid identifier',
    ([rule, value]) => {
      expect(problemOf(rule, value)).toBeUndefined();
    },
  );

  test.prop([fc.constantFrom(...rules).chain((rule) => fc.tuple(fc.constant(rule), arbitraryHostileIdentifier(rule)))])(
    'refuses every hostile identifier',
    ([rule, value]) => {
      expect(problemOf(rule, value)).toBeDefined();
    },
  );

  test.prop([
    fc.constantFrom(...rules),
    fc.string({ minLength: 0, maxLength: 10 }),
    fc.constantFrom(...FORBIDDEN_IDENTIFIER_CHARACTERS),
    fc.string({ minLength: 0, maxLength: 10 }),
  ])('refuses a forbidden character wherever it stands', (rule, before, forbidden, after) => {
    expect(problemOf(rule, `${before}${forbidden}${after}`)).toBeDefined();
  });

  test.prop([fc.constantFrom(...rules), anyOf(codePointsWhere(INVISIBLE))])(
    'refuses a default-ignorable, noncharacter, private-use code point or U+2800 anywhere',
    (rule, cp) => {
      expect(problemOf(rule, `a${String.fromCodePoint(cp)}b`)).toBe('FORBIDDEN_CHARACTER');
      expect(problemOf(rule, String.fromCodePoint(cp))).toBeDefined();
    },
  );

  test.prop([fc.constantFrom(...rules), anyOf(codePointsWhere(/^\p{M}$/u))])(
    'no identifier starts with a combining mark',
    (rule, cp) => {
      expect(problemOf(rule, `${String.fromCodePoint(cp)}a`)).toBeDefined();
    },
  );
});
