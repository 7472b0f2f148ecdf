// Look-ups by a text key no row can hold. PostgreSQL's text (and jsonb)
// cannot hold U+0000: a statement with such a parameter fails (SQLSTATE
// 22021) instead of finding nothing. A key from outside (a provider's
// callback, a query string) may hold one, and the true answer to "which row
// has this key" is then "none", never a storage failure.

/** Whether every key could be stored: none holds U+0000 (NUL). */
export const areStorableKeys = (...keys: readonly string[]): boolean => keys.every((key) => !key.includes('\u0000'));
