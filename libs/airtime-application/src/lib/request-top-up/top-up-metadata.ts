// The caller's metadata is plain JSON data. Keys JavaScript reads as an
// object's machinery (`__proto__` sets the prototype when copied, so the key
// and its value vanish from the copy; `constructor` and `prototype` shadow it)
// are refused at any depth: two requests that differ only there would
// otherwise be compared, stored and returned as one.

/** Keys refused anywhere in metadata. */
export const FORBIDDEN_METADATA_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const FORBIDDEN_METADATA_KEYS_REASON =
  'has a key named __proto__, constructor or prototype (at any depth), or a value that is not plain JSON data';

const isPlainPrototype = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null || prototype === Array.prototype;
};

/** A JSON object as JSON.parse makes it: not null, not an array, with Object's prototype (or none). */
export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainPrototype(value);

/**
 * Whether `value` holds, at any depth, a forbidden key or an object that is
 * not plain (a class instance, or a prototype set by a `__proto__` literal).
 * Walks without recursion (a 64 KiB body may nest thousands deep) and sees
 * each object once (a cycle ends the walk, it does not hang it).
 */
export const hasForbiddenMetadataKey = (value: unknown): boolean => {
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (!isPlainPrototype(next)) return true;
    for (const key of Object.keys(next)) {
      if (FORBIDDEN_METADATA_KEYS.has(key)) return true;
      pending.push((next as Readonly<Record<string, unknown>>)[key]);
    }
  }
  return false;
};

export const UNSTORABLE_METADATA_TEXT_REASON =
  'has a key or a text value with a NUL character or an unpaired surrogate (at any depth), which cannot be stored';

/** A UTF-16 surrogate without its pair: text UTF-8 (so PostgreSQL) cannot hold. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` holds a NUL character or an unpaired surrogate (PostgreSQL's jsonb refuses both). */
export const isUnstorableText = (text: string): boolean => text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);

/**
 * Whether `value` holds, at any depth, a key or a string with a NUL
 * character or an unpaired surrogate: JSON.parse accepts both (`"\u0000"`,
 * `"\ud800"`), PostgreSQL's jsonb refuses them, so such metadata would fail
 * every time it is stored. Walks without recursion and sees each object once.
 */
export const hasUnstorableMetadataText = (value: unknown): boolean => {
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (isUnstorableText(next)) return true;
      continue;
    }
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    for (const key of Object.keys(next)) {
      if (isUnstorableText(key)) return true;
      pending.push((next as Readonly<Record<string, unknown>>)[key]);
    }
  }
  return false;
};
