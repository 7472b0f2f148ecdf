// Decodes a provider's callback body: unlike our own API's bodies, the fields
// we do not read are ignored (a provider adds fields at will). A body that
// does not decode is InvalidRequest (400) naming the first field that failed,
// never quoting a value.
import { describeParseError } from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';
import { InvalidRequest } from '../../http/http.errors';

const WHOLE_BODY = 'the body';

// a key that does not look like a field name came from the input: it is not quoted
const segmentOf = (key: PropertyKey): string =>
  typeof key === 'number'
    ? String(key)
    : typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key)
      ? key
      : '[key]';

/** The field a decode failure names first: its path, or the whole body. */
const firstField = (error: ParseResult.ParseError): string => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error);
  return first === undefined || first.path.length === 0 ? WHOLE_BODY : first.path.map(segmentOf).join('.');
};

/** A decoder of a provider's callback body with `schema`; fields the schema does not name are ignored. */
export const decodeCallbackBody = <A, I>(
  schema: Schema.Schema<A, I>,
): ((body: unknown) => Either.Either<A, InvalidRequest>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: 'all', onExcessProperty: 'ignore' });
  return (body) =>
    Either.mapLeft(
      decode(body),
      (error) => new InvalidRequest({ part: 'body', field: firstField(error), reason: describeParseError(error) }),
    );
};

/**
 * A body that decoded but says something we cannot take (a status of no
 * class, an amount that cannot be read exactly): InvalidRequest naming
 * `field`, or the whole body.
 */
export const invalidCallbackBody = (reason: string, field: string = WHOLE_BODY): InvalidRequest =>
  new InvalidRequest({ part: 'body', field, reason });

/**
 * The field a provider adapter's refusal names first: its reasons start with
 * the field ("phoneNumber is missing; ..."), as the domain's decode-error
 * formatter writes them; the whole body otherwise.
 */
export const fieldOfReason = (reason: string): string => {
  const [first = ''] = reason.split(' ', 1);
  return /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/.test(first) && first !== 'the' ? first : WHOLE_BODY;
};
