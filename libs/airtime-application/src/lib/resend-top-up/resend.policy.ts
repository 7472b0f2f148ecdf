// When a top-up may be resent, and under which external id. A resend is a
// new top-up with the same request, linked to the one it resends through its
// request's metadata (`resend_of`), and keyed by an external id derived from
// the one it resends, so that a repeat of the same confirmation is the
// idempotent repeat of one request, never a second top-up.
import { accountTag, EXTERNAL_ID_MAX_LENGTH, isFailureClass, isSettled, type TopUp } from '@airtime/domain';

/** The metadata key of a resend's request naming the top-up it resends (its id). */
export const RESEND_OF_KEY = 'resend_of';

/**
 * Whether the top-up failed for certain: its class is DECLINED, REJECTED or
 * CANCELLED, and no attempt of it is in flight, pending or of unknown
 * outcome (nor awaits a status query). Never a COMPLETED, REVERSED, pending
 * or CREATED one: their value was, or may yet be, delivered.
 */
export const failedForCertain = (topUp: TopUp): boolean =>
  isFailureClass(topUp.status.class) && !topUp.awaitingStatusQuery && topUp.attempts.every(isSettled);

/** The top-up id a stored request's metadata names in `resend_of`, if it names one (a non-empty text). */
export const resendOfRequest = (request: Readonly<Record<string, unknown>>): string | undefined => {
  const metadata = request['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const named = (metadata as Readonly<Record<string, unknown>>)[RESEND_OF_KEY];
  return typeof named === 'string' && named !== '' ? named : undefined;
};

const isHighSurrogate = (codeUnit: number): boolean => codeUnit >= 0xd800 && codeUnit <= 0xdbff;

/** The first `length` UTF-16 code units of `text`, one less if that would split a surrogate pair. */
const prefixOf = (text: string, length: number): string =>
  length > 0 && isHighSurrogate(text.charCodeAt(length - 1)) ? text.slice(0, length - 1) : text.slice(0, length);

/**
 * The external id of resend number `resendNumber` (1, 2, ...: one more than
 * the resends already made) of the top-up with external id `externalId`:
 * `${externalId}~r${resendNumber}` when that fits EXTERNAL_ID_MAX_LENGTH
 * (40 UTF-16 code units), else `${prefix}~${tag}~r${resendNumber}`, where
 * `tag` is eight base-36 digits of a hash of the whole external id (so that
 * two long ids sharing their prefix still differ) and `prefix` as much of
 * the external id as then fits (never half a surrogate pair). Pure and
 * deterministic; distinct numbers give distinct ids; the result keeps the
 * external id rule whenever `externalId` does (`~`, `r` and base-36 digits
 * are plain ASCII, and a prefix of a valid id is valid).
 */
export const resendExternalIdFor = (externalId: string, resendNumber: number): string => {
  const suffix = `~r${resendNumber}`;
  const plain = `${externalId}${suffix}`;
  if (plain.length <= EXTERNAL_ID_MAX_LENGTH) return plain;
  const tagged = `~${accountTag(externalId)}${suffix}`;
  return `${prefixOf(externalId, EXTERNAL_ID_MAX_LENGTH - tagged.length)}${tagged}`;
};
