import { ParseResult } from 'effect';

/**
 * Describes a decode failure by where and what kind of problem, never by the
 * offending value: effect's own messages quote the actual input (a phone
 * number, an amount), which must not reach error reasons or logs.
 */

const KIND_OF: Readonly<Record<ParseResult.ArrayFormatterIssue['_tag'], string>> = {
  Missing: 'missing',
  Type: 'wrong type',
  Refinement: 'invalid value',
  Transformation: 'cannot be converted',
  Unexpected: 'unexpected',
  Forbidden: 'forbidden',
  Pointer: 'invalid',
  Composite: 'invalid',
};

// path segments are keys of the input: keep the ones that look like field names, hide the rest
const segmentOf = (key: PropertyKey): string =>
  typeof key === 'number'
    ? String(key)
    : typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key)
      ? key
      : '[key]';

/** `at status.class.message: missing; at id: wrong type` (at most `limit` issues). */
export const describeParseError = (error: ParseResult.ParseError, limit = 5): string => {
  const described = ParseResult.ArrayFormatter.formatErrorSync(error).map(
    (issue) => `at ${issue.path.map(segmentOf).join('.') || '(root)'}: ${KIND_OF[issue._tag] ?? 'invalid'}`,
  );
  // the members of a union each report the same place: once is enough
  return [...new Set(described)].slice(0, limit).join('; ');
};
