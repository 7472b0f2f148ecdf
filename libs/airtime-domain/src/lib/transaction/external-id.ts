import { type Brand, Either } from 'effect';
import { EXTERNAL_ID_MAX_LENGTH, IDENTIFIER_RULES, checkIdentifier } from '../identifier/identifier';
import type { InvalidIdentifier } from '../identifier/identifier.errors';

export { EXTERNAL_ID_MAX_LENGTH };

/**
 * The idempotency key of a top-up, unique per account: 1..40 non-whitespace
 * characters (the DVS `external_id` rule), with no control or invisible
 * formatting (bidi) character either: the identifier rule of kind
 * `EXTERNAL_ID` (identifier/identifier.ts). Length is counted in characters
 * (Unicode code points, as PostgreSQL counts them): 40 emoji fit.
 */
export type ExternalId = string & Brand.Brand<'ExternalId'>;

/** An external id, or `InvalidIdentifier` (kind `EXTERNAL_ID`) naming the problem, never the value. */
export const parseExternalId = (text: string): Either.Either<ExternalId, InvalidIdentifier> =>
  Either.map(checkIdentifier(IDENTIFIER_RULES.EXTERNAL_ID, text), (valid) => valid as ExternalId);

const FNV_OFFSET_BASIS_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
/** 2^64 - 1 in base 36 has 13 digits. */
const HASH_LENGTH = 13;

/** FNV-1a (64-bit) over the UTF-16 code units of `text`, as 13 base-36 digits. */
export const fnv1a64Base36 = (text: string): string => {
  let hash = FNV_OFFSET_BASIS_64;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= BigInt(text.charCodeAt(index));
    hash = (hash * FNV_PRIME_64) & MASK_64;
  }
  return hash.toString(36).padStart(HASH_LENGTH, '0');
};

const isHighSurrogate = (codeUnit: number): boolean => codeUnit >= 0xd800 && codeUnit <= 0xdbff;

/** The first `length` code units of `text`, one less if that would split a surrogate pair. */
const safePrefix = (text: string, length: number): string =>
  length > 0 && isHighSurrogate(text.charCodeAt(length - 1)) ? text.slice(0, length - 1) : text.slice(0, length);

/** Eight base-36 digits naming an account inside provider ids (2.8e12 values). */
export const accountTag = (accountId: string): string => fnv1a64Base36(accountId).slice(-8);

/**
 * The external id sent to the provider for attempt `attemptNumber` (1-based)
 * of the top-up `externalId` of `accountId`. External ids are unique per
 * account, but all accounts share one provider account, so the account is
 * part of the provider id: `${externalId}-${accountTag}-${attemptNumber}`.
 * When that exceeds 40 UTF-16 code units (never fewer than its characters,
 * so the provider id fits 40 however the provider counts), a prefix of the
 * external id is kept and a hash of the account and the whole id added,
 * `${prefix}-${hash}-${attemptNumber}`, so that long ids sharing a prefix
 * still differ. Pure and deterministic.
 */
export const providerExternalIdFor = (accountId: string, externalId: ExternalId, attemptNumber: number): ExternalId => {
  const suffix = `-${attemptNumber}`;
  const plain = `${externalId}-${accountTag(accountId)}${suffix}`;
  if (plain.length <= EXTERNAL_ID_MAX_LENGTH) return plain as ExternalId;
  const hashed = `-${fnv1a64Base36(`${accountId}\u0000${externalId}`)}${suffix}`;
  return `${safePrefix(externalId, Math.max(0, EXTERNAL_ID_MAX_LENGTH - hashed.length))}${hashed}` as ExternalId;
};
