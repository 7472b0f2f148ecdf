// What JSON.parse lets through silently and a request must not: a name
// given twice in one object (JSON.parse keeps the last, so a proxy or a
// validator reading the first sees another request: RFC 8259 §4 leaves it
// to the reader, I-JSON, RFC 7493 §2.3, forbids it), and a number a double
// cannot carry exactly (`29.999999999999999` becomes 30, an integer past
// 2^53 changes its last digits): an amount is read by its decimal text, so
// a number whose text is not the double's is refused, never rounded.
//
// One pass over the text JSON.parse has already accepted, token by token,
// with a stack of the names seen in each open object: no recursion (any
// depth), linear in the text. lossless-json, tried first, compares a
// repeated name's values loosely ([] equals {}, a number its string) and
// recurses, so a duplicate could pass and a deep body overflow.

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

/** The reasons `exactJsonProblem` answers (they quote nothing of the body). */
export const EXACT_JSON_REASONS = {
  duplicateName: 'a name is given twice in one object (JSON names must be unique)',
  inexactNumber:
    'a JSON number cannot be read exactly (it is read as a double: more digits than a double holds, or out of its range); send it as a decimal string',
  notJson: 'the body is not JSON',
} as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isNumberStart = (code: number) => code === 0x2d || (code >= 0x30 && code <= 0x39);
/** Digits, `.`, `e`, `E`, `+`, `-`: what a number token goes on with. */
const isNumberPart = (code: number) =>
  (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === 0x2d;

/** The index just past the string token that opens at `start` (a `"`). */
const stringEnd = (text: string, start: number): number => {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index += 2;
    else if (code === QUOTE) return index + 1;
    else index += 1;
  }
  return index;
};

/**
 * Why `text` (JSON that JSON.parse accepts) must not be read with
 * JSON.parse, or undefined when nothing is lost: one of
 * `EXACT_JSON_REASONS`. `numbers: false` checks the names only (for a
 * provider's own documents, whose numbers we do not read as amounts of a
 * request). Linear in the text, at any depth; never throws.
 */
export const exactJsonProblem = (text: string, options: { readonly numbers?: boolean } = {}): string | undefined => {
  const checkNumbers = options.numbers !== false;
  /** Per open container: the names seen so far (an object) or undefined (an array). */
  const open: (Set<string> | undefined)[] = [];
  let expectingName = false;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = stringEnd(text, index);
      const names = open[open.length - 1];
      if (expectingName && names !== undefined) {
        let name: unknown;
        try {
          name = JSON.parse(text.slice(index, end));
        } catch {
          return EXACT_JSON_REASONS.notJson;
        }
        if (typeof name !== 'string') return EXACT_JSON_REASONS.notJson;
        if (names.has(name)) return EXACT_JSON_REASONS.duplicateName;
        names.add(name);
        expectingName = false;
      }
      index = end;
    } else if (isNumberStart(code)) {
      const start = index;
      index += 1;
      while (index < text.length && isNumberPart(text.charCodeAt(index))) index += 1;
      if (checkNumbers && !isExactJsonNumber(text.slice(start, index))) return EXACT_JSON_REASONS.inexactNumber;
    } else {
      if (code === 0x7b) {
        open.push(new Set());
        expectingName = true;
      } else if (code === 0x5b) {
        open.push(undefined);
      } else if (code === 0x7d || code === 0x5d) {
        open.pop();
      } else if (code === 0x2c) {
        expectingName = open[open.length - 1] !== undefined;
      }
      // white space, `:`, and the letters of true, false and null
      index += 1;
    }
  }
  return undefined;
};
