// A `+` written unencoded in a query string is read as a space (the form
// encoding of a space). Where a value can only hold a `+` at a known place,
// that space is taken back as the `+` the caller meant: before the digits of
// an E.164 phone number (`?phone=+639...`), before the UTC offset of a time
// (`?from=2025-01-31T10:00:00+05:30`). Anywhere else a space stays a space
// (and the route's decoding refuses it).

/** The places where a space of a query value is the `+` a caller did not encode. */
export const PLUS_READ_AS_SPACE = {
  /** before the digits of a phone number: ` 639171234567` is `+639171234567` */
  phoneStart: /^ (?=[0-9])/,
  /** before a time's UTC offset (hh:mm, hhmm or hh) at the end: `...T10:00:00 05:30` is `...T10:00:00+05:30` */
  utcOffset: /(?<=T[0-9:.,]+) (?=[0-9]{2}(?::?[0-9]{2})?$)/,
} as const;

/**
 * A copy of a parsed query string with the `+` taken back in the named
 * parameters (each at its place, see PLUS_READ_AS_SPACE). Other parameters,
 * non-text values (a repeated parameter is an array) and anything that is
 * not an object are left as they are, for the route's decoding to judge.
 */
export const withPlusRestored = (query: unknown, places: Readonly<Record<string, RegExp>>): unknown => {
  if (typeof query !== 'object' || query === null) return query;
  const restored: Record<string, unknown> = { ...query };
  for (const [name, place] of Object.entries(places)) {
    const value = Object.prototype.hasOwnProperty.call(restored, name) ? restored[name] : undefined;
    if (typeof value === 'string') restored[name] = value.replace(place, '+');
  }
  return restored;
};
