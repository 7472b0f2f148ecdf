// A provider's callback body: decoded with the route's schema ignoring the
// fields we do not read (a provider adds fields at will); a body that decodes
// but says something we cannot take is InvalidRequest (400) naming the
// field, never quoting a value.
import type { Schema } from 'effect';
import { InvalidRequest } from '../../http/http.errors';
import { decodePart } from '../../http/request-input.check';

const WHOLE_BODY = 'the body';

/** A decoder of a provider's callback body with `schema`; fields the schema does not name are ignored. */
export const decodeCallbackBody = <A, I>(schema: Schema.Schema<A, I>) =>
  decodePart(schema, 'body', { excess: 'ignore' });

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
