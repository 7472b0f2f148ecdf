// One rule for every identifier that reaches the store (account, deposit, transaction and
// external ids), each kind with its own bound. The database backs it with CHECK constraints
// (persistence-postgres migrations 1764000000000-identifier-rules and
// 1764100000000-invisible-identifier-characters) that accept exactly what
// this module accepts. Lengths are counted in Unicode code points, as PostgreSQL's length()
// counts the characters of a UTF-8 database: an emoji is one character, not two UTF-16 units.
import { Either } from 'effect';
import { type IdentifierKind, type IdentifierProblem, InvalidIdentifier } from './identifier.errors';

/** The rule of one kind of identifier. */
export interface IdentifierRule {
  readonly kind: IdentifierKind;
  /** The most characters (Unicode code points) it may have. */
  readonly maxLength: number;
  /** Whether the plain space (U+0020) may appear inside it (never at either end). */
  readonly spaceInside: boolean;
}

/** Account ids: 1..100. */
export const ACCOUNT_ID_MAX_LENGTH = 100;
/** Deposit ids (the idempotency key of a deposit): 1..100. */
export const DEPOSIT_ID_MAX_LENGTH = 100;
/** Transaction ids (the idempotency key of a hold): 1..100. */
export const TRANSACTION_ID_MAX_LENGTH = 100;
/**
 * External ids: 1..40 non-whitespace characters, the DVS rule on
 * `external_id` ("string [ 1 .. 40 ] characters \S", DVS API reference,
 * creating a transaction in the asynchronous and in the synchronous mode).
 */
export const EXTERNAL_ID_MAX_LENGTH = 40;

export const IDENTIFIER_RULES: Readonly<Record<IdentifierKind, IdentifierRule>> = Object.freeze({
  ACCOUNT_ID: { kind: 'ACCOUNT_ID', maxLength: ACCOUNT_ID_MAX_LENGTH, spaceInside: true },
  DEPOSIT_ID: { kind: 'DEPOSIT_ID', maxLength: DEPOSIT_ID_MAX_LENGTH, spaceInside: true },
  TRANSACTION_ID: { kind: 'TRANSACTION_ID', maxLength: TRANSACTION_ID_MAX_LENGTH, spaceInside: true },
  EXTERNAL_ID: { kind: 'EXTERNAL_ID', maxLength: EXTERNAL_ID_MAX_LENGTH, spaceInside: false },
});

// Control (Cc), format (Cf: bidi overrides and isolates U+202A-202E, U+2066-2069, marks
// U+200E/F and U+061C, zero-width characters, BOM...), lone surrogate (Cs), private use (Co),
// line and paragraph separators (Zl, Zp), any space separator (Zs) but the plain space, and
// the characters that show nothing: default-ignorable code points (Hangul fillers U+115F,
// U+1160, U+3164, U+FFA0, variation selectors, combining grapheme joiner, reserved tag
// ranges...), noncharacters (U+FDD0-FDEF and U+xFFFE/U+xFFFF in every plane) and the
// Braille blank U+2800. Unassigned code points (Cn) are not refused as a class: what is
// unassigned depends on the runtime's Unicode version, and the database's copy of this rule
// must agree with the domain's on every runtime that can run it.
const FORBIDDEN_WITH_SPACE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\u2800]|[^\P{Zs} ]/u;
// The same and the plain space: no whitespace at all.
const FORBIDDEN_WITHOUT_SPACE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Z}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\u2800]/u;
// Only whitespace (JavaScript's \s: spaces, tabs, line breaks, BOM).
const BLANK = /^\s+$/u;
// A combining mark (Mn, Mc, Me) with no base character to sit on.
const LEADING_MARK = /^\p{M}/u;

/**
 * The number of Unicode code points of `text` (a surrogate pair is one, a
 * lone surrogate one too), as PostgreSQL's length() and JSON Schema's
 * maxLength count characters. Allocates nothing, however long the text.
 */
export const codePointLength = (text: string): number => {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
    count += 1;
  }
  return count;
};

const problemOf = (rule: IdentifierRule, value: string, length: number): IdentifierProblem | undefined => {
  if (length === 0) return 'EMPTY';
  if (length > rule.maxLength) return 'TOO_LONG';
  if (BLANK.test(value)) return 'BLANK';
  if ((rule.spaceInside ? FORBIDDEN_WITH_SPACE : FORBIDDEN_WITHOUT_SPACE).test(value)) return 'FORBIDDEN_CHARACTER';
  if (LEADING_MARK.test(value)) return 'LEADING_COMBINING_MARK';
  if (value.startsWith(' ') || value.endsWith(' ')) return 'SURROUNDING_SPACE';
  return undefined;
};

/**
 * Checks `value` against `rule`: a string of 1..`maxLength` characters
 * (Unicode code points: an emoji counts one), not only whitespace, with no control, format (bidi), separator,
 * lone-surrogate, private-use, default-ignorable or noncharacter code point
 * nor the Braille blank U+2800, no whitespace but the plain space inside
 * (none at all when `spaceInside` is false), no space at either end, and
 * not starting with a combining mark. Returns
 * the value, or `InvalidIdentifier` naming the kind and the problem (never
 * the value). Never throws, whatever it is given.
 */
export const checkIdentifier = (rule: IdentifierRule, value: unknown): Either.Either<string, InvalidIdentifier> => {
  if (typeof value !== 'string') {
    return Either.left(
      new InvalidIdentifier({ kind: rule.kind, problem: 'NOT_TEXT', length: 0, maxLength: rule.maxLength }),
    );
  }
  const length = codePointLength(value);
  const problem = problemOf(rule, value, length);
  return problem === undefined
    ? Either.right(value)
    : Either.left(new InvalidIdentifier({ kind: rule.kind, problem, length, maxLength: rule.maxLength }));
};

/** Whether `value` keeps `rule`. */
export const isValidIdentifier = (rule: IdentifierRule, value: unknown): value is string =>
  Either.isRight(checkIdentifier(rule, value));

export const checkAccountId = (value: unknown): Either.Either<string, InvalidIdentifier> =>
  checkIdentifier(IDENTIFIER_RULES.ACCOUNT_ID, value);

export const checkDepositId = (value: unknown): Either.Either<string, InvalidIdentifier> =>
  checkIdentifier(IDENTIFIER_RULES.DEPOSIT_ID, value);

export const checkTransactionId = (value: unknown): Either.Either<string, InvalidIdentifier> =>
  checkIdentifier(IDENTIFIER_RULES.TRANSACTION_ID, value);
