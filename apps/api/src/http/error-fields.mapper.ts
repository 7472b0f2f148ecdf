// An error of the API's table told in the caller's terms: the same error
// (its class, so its _tag, code and message built from its fields) with some
// fields replaced, e.g. the field it names when the caller sent that value
// under another name (a header, a query parameter).

/** `error` with `fields` replacing its own: an instance of the same class, never a mutation of `error`. */
export const withErrorFields = <E extends object>(error: E, fields: Readonly<Record<string, unknown>>): E =>
  Object.assign(Object.create(Object.getPrototypeOf(error) as object) as E, error, fields);
