import { ParseResult } from 'effect';

const PHRASES: Readonly<Record<ParseResult.ArrayFormatterIssue['_tag'], string>> = {
  Missing: 'is missing',
  Unexpected: 'is not expected',
  Type: 'has an unexpected type or value',
  Refinement: 'is malformed or out of range',
  Transformation: 'cannot be read',
  Forbidden: 'cannot be checked',
  Composite: 'is invalid',
  Pointer: 'is invalid',
};

/**
 * The fields a decode failed on and how, never their values: a value may be
 * a phone number or a secret, and schema messages quote values.
 */
export const describeParseError = (error: ParseResult.ParseError): string =>
  [
    ...new Set(
      ParseResult.ArrayFormatter.formatErrorSync(error).map(
        (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body'} ${PHRASES[issue._tag]}`,
      ),
    ),
  ].join('; ');
