import { formatMoney, type Money } from '@airtime/domain';

/**
 * A decimal written into a request body as a JSON number literal, exactly as
 * given: amounts go out from their minor units without passing through a
 * floating-point number.
 */
export class JsonDecimal {
  constructor(readonly text: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) throw new TypeError(`not a JSON decimal: ${text}`);
  }
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonDecimal
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** The amount of `value` in major units as a JSON number literal ("10.50"). */
export const jsonDecimalOf = (value: Money): JsonDecimal => new JsonDecimal(formatMoney(value));

/** JSON text of `value`; `undefined` properties are left out, `JsonDecimal`s are written verbatim. */
export const encodeJson = (value: JsonValue): string => {
  if (value instanceof JsonDecimal) return value.text;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in a request body');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(encodeJson).join(',')}]`;
  const entries = Object.entries(value as { readonly [key: string]: JsonValue | undefined }).filter(
    (entry): entry is [string, JsonValue] => entry[1] !== undefined,
  );
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${encodeJson(item)}`).join(',')}}`;
};
