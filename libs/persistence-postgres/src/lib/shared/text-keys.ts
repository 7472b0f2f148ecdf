// Look-ups by a text key no row can hold. PostgreSQL's text (and jsonb)
// cannot hold U+0000: a statement with such a parameter fails (SQLSTATE
// 22021) instead of finding nothing. Nor can it hold half of a UTF-16
// surrogate pair: pg sends the key as UTF-8, with U+FFFD in its place, and
// the statement would find the row of another key. A key from outside (a
// provider's callback, a query string) may hold either, and the true answer
// to "which row has this key" is then "none", never a storage failure nor
// another key's row.

/** Half of a UTF-16 surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether every key could be stored: none holds U+0000 (NUL) or a lone surrogate. */
export const areStorableKeys = (...keys: readonly string[]): boolean =>
  keys.every((key) => !key.includes('\u0000') && !LONE_SURROGATE.test(key));
