// The console session's secrets. The session token is 32 random bytes
// (base64url, 43 characters) from node:crypto, never from IdGenerator: its
// entropy is what makes a session unguessable, so the use case does not let
// a port (or a spec's sequential fake) choose it. Only its SHA-256 is
// stored. The CSRF token is not stored either: it is HMAC-SHA256 keyed with
// the session's stored CSRF secret over the session token, so it can be
// answered again at every resume (a hash of it could not be), and the
// database alone (secret without token) cannot produce it. Comparisons are
// in constant time over equal-length SHA-256 digests.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A session token or CSRF secret: 32 bytes, base64url without padding (43 characters). */
const TOKEN_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** The longest CSRF token text compared (longer texts never match, before any hashing). */
const MAX_CSRF_TOKEN_LENGTH = 200;

/** 32 fresh random bytes, base64url (43 characters): a session token or a CSRF secret. */
export const freshSecret = (): string => randomBytes(32).toString('base64url');

/** Whether `text` has the form of a session token (43 base64url characters); anything else is no session. */
export const isSessionToken = (text: unknown): text is string => typeof text === 'string' && TOKEN_TEXT.test(text);

/** SHA-256 of a session token, lowercase hex (what `StoredConsoleSession.tokenHash` holds). */
export const hashSessionToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The session's CSRF token: HMAC-SHA256(csrfSecret, token), base64url (43 characters). */
export const csrfTokenOf = (csrfSecret: string, token: string): string =>
  createHmac('sha256', csrfSecret).update(token, 'utf8').digest('base64url');

const digestOf = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether the CSRF token `given` (a form field, a header: anything) is the
 * `expected` one. Compared in constant time over the two 32-byte SHA-256
 * digests, so neither the content nor the length of `expected` leaks; an
 * empty `expected`, a `given` that is not a string or longer than 200
 * characters never matches.
 */
export const csrfTokenMatches = (expected: string, given: unknown): boolean => {
  const presented = typeof given === 'string' && given.length <= MAX_CSRF_TOKEN_LENGTH ? given : '';
  const equal = timingSafeEqual(digestOf(expected), digestOf(presented));
  return equal && expected.length > 0 && presented.length > 0;
};
