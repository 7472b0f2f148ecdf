// A form's or a query's fields as the console reads them: a plain object of
// strings (a field sent twice keeps its first value; anything else is
// dropped), and the non-empty ones only (an empty filter means no filter).

/** The fields of a parsed urlencoded body or query (an empty object for anything else). */
export const formOf = (body: unknown): Readonly<Record<string, string>> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
};

/** The fields with a non-blank value, trimmed. */
export const givenOf = (fields: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
  Object.fromEntries(
    Object.entries(fields)
      .map(([name, value]) => [name, value.trim()] as const)
      .filter(([, value]) => value.length > 0),
  );
