// What JSON.parse lets through silently and a request must not: a name
// given twice in one object (JSON.parse keeps the last, so a proxy or a
// validator reading the first sees another request: RFC 8259 §4 leaves it
// to the reader, I-JSON, RFC 7493 §2.3, forbids it), and a number a double
// cannot carry exactly (`29.999999999999999` becomes 30, an integer past
// 2^53 changes its last digits): an amount is read by its decimal text, so
// a number whose text is not the double's is refused, never rounded. Read
// with lossless-json, which keeps each number's text and refuses a name
// given twice with another value.
import { parse } from 'lossless-json';

/** A JSON number's decimal value: its sign, its significant digits, and the power of ten of the last one. */
interface DecimalValue {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

/** The decimal value of a number's text (JSON's grammar, or `String(number)`'s, e.g. `1e+21`); zero has no sign. */
const decimalValueOf = (text: string): DecimalValue => {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) return { negative: false, digits: 'NaN', exponent: 0 };
  const [, sign = '', whole = '', fraction = '', power = '0'] = match;
  const all = `${whole}${fraction}`.replace(/^0+/, '');
  const trimmed = all.replace(/0+$/, '');
  const exponent = Number(power) - fraction.length + (all.length - trimmed.length);
  return trimmed === ''
    ? { negative: false, digits: '0', exponent: 0 }
    : { negative: sign === '-', digits: trimmed, exponent };
};

const sameValue = (a: DecimalValue, b: DecimalValue) =>
  a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;

/** Whether a JSON number's text is exactly the value JSON.parse gives it. */
export const isExactJsonNumber = (text: string): boolean => {
  const value = Number(text);
  return Number.isFinite(value) && sameValue(decimalValueOf(text), decimalValueOf(String(value)));
};

class InexactNumber extends Error {}

/** The reasons `exactJsonProblem` answers (they quote nothing of the body). */
export const EXACT_JSON_REASONS = {
  duplicateName: 'a name is given twice in one object with different values (JSON names must be unique)',
  inexactNumber:
    'a JSON number cannot be read exactly (it is read as a double: more digits than a double holds, or out of its range); send it as a decimal string',
  notJson: 'the body is not JSON',
} as const;

/** A number's stand-in while parsing: a function (no JSON value is one), the same one for the same text. */
type NumberMark = () => string;

/**
 * Why `text` (already valid JSON) must not be read with JSON.parse, or
 * undefined when nothing is lost: one of `EXACT_JSON_REASONS`. Never throws.
 */
export const exactJsonProblem = (text: string): string | undefined => {
  try {
    // Each number stands for its own text, as a function no other JSON value can equal (one per
    // text), so that lossless-json's duplicate test, which compares loosely, tells a number from
    // the string of its text. (It still takes an array for an object with its indices as keys.)
    const marks = new Map<string, NumberMark>();
    parse(text, null, (number) => {
      if (!isExactJsonNumber(number)) throw new InexactNumber();
      const known = marks.get(number);
      if (known !== undefined) return known;
      const mark: NumberMark = () => number;
      marks.set(number, mark);
      return mark;
    });
    return undefined;
  } catch (error) {
    if (error instanceof InexactNumber) return EXACT_JSON_REASONS.inexactNumber;
    const message = error instanceof Error ? error.message : '';
    return message.startsWith('Duplicate key ') ? EXACT_JSON_REASONS.duplicateName : EXACT_JSON_REASONS.notJson;
  }
};
