// The error of an identifier that breaks its rule (see identifier.ts). It names the kind of
// identifier and what is wrong with it, never the value: identifiers come from callers.
import { taggedError } from '../errors/tagged-error';

/** Which identifier: each kind has its own bound. */
export type IdentifierKind = 'ACCOUNT_ID' | 'DEPOSIT_ID' | 'TRANSACTION_ID' | 'EXTERNAL_ID';

/**
 * What is wrong with it: not a string at all; empty; longer than the bound
 * (in characters: Unicode code points); only whitespace; a character no identifier may
 * hold (control, format such as the bidi overrides U+202E and marks
 * U+200E/F, line or paragraph separator, lone surrogate, private use,
 * default-ignorable such as the Hangul fillers and variation selectors,
 * noncharacter, the Braille blank U+2800, any whitespace but the plain
 * space, and for external ids the plain space too); a combining mark
 * first, with nothing to combine with; or a space at either end.
 */
export type IdentifierProblem =
  'NOT_TEXT' | 'EMPTY' | 'TOO_LONG' | 'BLANK' | 'FORBIDDEN_CHARACTER' | 'LEADING_COMBINING_MARK' | 'SURROUNDING_SPACE';

const KIND_NAMES: Record<IdentifierKind, string> = {
  ACCOUNT_ID: 'account id',
  DEPOSIT_ID: 'deposit id',
  TRANSACTION_ID: 'transaction id',
  EXTERNAL_ID: 'external id',
};

const describeProblem = (problem: IdentifierProblem, length: number, maxLength: number): string => {
  switch (problem) {
    case 'NOT_TEXT':
      return 'it is not text';
    case 'EMPTY':
      return 'it is empty';
    case 'TOO_LONG':
      return `it is ${length} characters long, more than ${maxLength}`;
    case 'BLANK':
      return 'it is only whitespace';
    case 'FORBIDDEN_CHARACTER':
      return 'it holds a control, invisible, formatting (bidi), separator or whitespace character';
    case 'LEADING_COMBINING_MARK':
      return 'it starts with a combining mark';
    case 'SURROUNDING_SPACE':
      return 'it starts or ends with a space';
  }
};

/**
 * An identifier (account, deposit, transaction or external id) that breaks
 * its rule. Fields: `kind`, `problem`, `length` (Unicode code points; 0 when
 * not text) and the kind's `maxLength`. The value itself is never kept.
 */
export class InvalidIdentifier extends taggedError('InvalidIdentifier', {
  code: 'INVALID_IDENTIFIER',
  retryable: false,
})<{
  readonly kind: IdentifierKind;
  readonly problem: IdentifierProblem;
  readonly length: number;
  readonly maxLength: number;
}>((e) => `invalid ${KIND_NAMES[e.kind]}: ${describeProblem(e.problem, e.length, e.maxLength)}`) {}
