// The API key's text and its stored form. A key is `atk_<prefix>_<secret>`:
// the prefix (12 lowercase hex characters) finds it, the secret (32 random
// bytes, base64url, from IdGenerator.secretToken) proves it. Only the
// SHA-256 of the secret is stored; a high-entropy secret needs no slow hash.
// Hashes are compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The text every key starts with. */
export const API_KEY_SCHEME = 'atk';

/** The prefix: 12 lowercase hex characters. */
export const API_KEY_PREFIX_LENGTH = 12;

/** The longest key text read (longer texts are refused before any hashing). */
export const MAX_API_KEY_LENGTH = 200;

const KEY_TEXT = /^atk_([0-9a-f]{12})_([A-Za-z0-9_-]{1,180})$/;

/** A key's two parts. */
export interface ApiKeyParts {
  readonly prefix: string;
  readonly secret: string;
}

/** The key text of a prefix and a secret. */
export const formatApiKey = (parts: ApiKeyParts): string => `${API_KEY_SCHEME}_${parts.prefix}_${parts.secret}`;

/** The parts of a key text; undefined for anything that is not one. */
export const parseApiKey = (text: unknown): ApiKeyParts | undefined => {
  if (typeof text !== 'string' || text.length > MAX_API_KEY_LENGTH) return undefined;
  const parts = KEY_TEXT.exec(text);
  return parts === null ? undefined : { prefix: parts[1] ?? '', secret: parts[2] ?? '' };
};

/** SHA-256 of a secret, lowercase hex (what `StoredApiKey.secretHash` holds). */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A prefix derived from a random token: the first 12 hex characters of its SHA-256. */
export const prefixOf = (token: string): string => hashSecret(token).slice(0, API_KEY_PREFIX_LENGTH);

/**
 * Whether `secret` hashes to `secretHash`, compared in constant time over
 * the two 32-byte digests (a stored hash that is not 64 hex characters
 * never matches).
 */
export const secretMatches = (secret: string, secretHash: string): boolean => {
  const wellFormed = /^[0-9a-f]{64}$/.test(secretHash);
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = wellFormed ? Buffer.from(secretHash, 'hex') : Buffer.alloc(presented.length);
  return timingSafeEqual(presented, stored) && wellFormed;
};
