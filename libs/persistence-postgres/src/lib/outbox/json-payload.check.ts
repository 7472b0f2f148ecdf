/** Objects whose keys are the caller's own (a top-up's `metadata`): named `[…]` in a path, never quoted. */
const OUTSIDE_KEYS_UNDER: ReadonlySet<string> = new Set(['metadata']);

/** The key as a path shows it: as written, or `[…]` for a key that came from outside. */
const segmentOf = (key: string, outside: boolean): string => (outside ? '[…]' : `.${key}`);

/**
 * Why a value is not JSON that PostgreSQL's jsonb keeps exactly, or
 * `undefined` when it is: plain objects, arrays, strings, finite numbers,
 * booleans and null only. Refused: bigint (amounts travel as decimal
 * strings), undefined, functions, symbols, NaN and infinities, dates and
 * other class instances, cycles, and text jsonb cannot hold (NUL, an
 * unpaired surrogate). The answer names the path (`payload.amountMinor`),
 * never a value, and never a key that came from outside: keys at any depth
 * under a `metadata` object are shown as `[…]` (`payload.metadata[…]`), and
 * a key that cannot be stored is named by where it is (`a key of payload`).
 */
export const jsonProblem = (
  value: unknown,
  path = 'payload',
  seen: ReadonlySet<object> = new Set(),
  outsideKeys = false,
): string | undefined => {
  switch (typeof value) {
    case 'string':
      return textProblem(value, path);
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, not a finite number`;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return `${path} refers back to itself`;
      const inside = new Set(seen).add(value);
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index += 1) {
          if (!(index in value)) return `${path}[${index}] is a hole`;
          const problem = jsonProblem(value[index], `${path}[${index}]`, inside, outsideKeys);
          if (problem) return problem;
        }
        return undefined;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null)
        return `${path} is a ${value.constructor?.name ?? 'class instance'}, not a plain object`;
      if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`;
      for (const [key, item] of Object.entries(value)) {
        const keyProblem = textProblem(key, `a key of ${path}`);
        if (keyProblem) return keyProblem;
        const problem = jsonProblem(
          item,
          `${path}${segmentOf(key, outsideKeys)}`,
          inside,
          outsideKeys || OUTSIDE_KEYS_UNDER.has(key),
        );
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `${path} is ${typeof value === 'bigint' ? 'a bigint (use a decimal string)' : typeof value}, not JSON`;
  }
};

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const textProblem = (text: string, path: string): string | undefined =>
  text.includes('\u0000')
    ? `${path} contains a NUL character`
    : UNPAIRED_SURROGATE.test(text)
      ? `${path} contains an unpaired surrogate`
      : undefined;
