// The signature of a callback, Stripe-style: HMAC-SHA256 keyed with the
// account's secret over `<t>.<body>`, where t is the time of the try in
// whole seconds since the epoch, sent as
//   X-Airtime-Signature: t=1796119200,v1=<64 hex digits>
// Signing the time with the body lets a receiver refuse a replayed callback:
// an old t fails the tolerance check, and a new t fails the signature.
// `verifyCallbackSignature` is the receiver's side.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The receiver's default window around its own clock (5 minutes). */
export const DEFAULT_CALLBACK_TOLERANCE_MS = 5 * 60_000;

/** The signature's version in the header (`v1=`): HMAC-SHA256 over `<t>.<body>`. */
export const CALLBACK_SIGNATURE_SCHEME = 'v1';

/** Longest header read: a timestamp and a few signatures, never more. */
const MAX_HEADER_LENGTH = 1_024;

const bytesOf = (body: string | Uint8Array): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

const hmacOf = (secret: string, timestampSeconds: number, body: string | Uint8Array): Buffer =>
  createHmac('sha256', secret).update(`${timestampSeconds}.`, 'utf8').update(bytesOf(body)).digest();

/** The hex HMAC-SHA256 of `<timestampSeconds>.<body>` (the body's exact UTF-8 bytes), keyed with `secret`. */
export const callbackSignature = (secret: string, timestampSeconds: number, body: string | Uint8Array): string =>
  hmacOf(secret, timestampSeconds, body).toString('hex');

/** The `X-Airtime-Signature` value of a try made at `at`: `t=<unix seconds>,v1=<hex>`. */
export const callbackSignatureHeader = (secret: string, body: string | Uint8Array, at: Date): string => {
  const timestampSeconds = Math.floor(at.getTime() / 1000);
  return `t=${timestampSeconds},${CALLBACK_SIGNATURE_SCHEME}=${callbackSignature(secret, timestampSeconds, body)}`;
};

/**
 * Why a signature did not verify (no value from the header is ever repeated):
 * `malformed` (no header, or not `t=<digits>,v1=<64 hex digits>[,v1=...]`),
 * `outside-tolerance` (t further than the tolerance from the receiver's clock:
 * a replay, or a clock far off), `mismatch` (no v1 signature matches the body
 * and t under this secret).
 */
export type CallbackSignatureRefusal = 'malformed' | 'outside-tolerance' | 'mismatch';

export type CallbackSignatureCheck =
  | { readonly valid: true; readonly timestampSeconds: number }
  | { readonly valid: false; readonly reason: CallbackSignatureRefusal };

interface ParsedSignatureHeader {
  readonly timestampSeconds: number;
  readonly signatures: readonly Buffer[];
}

/** `t=<digits>` once and one or more `v1=<64 hex>`; other schemes are skipped (a later version may add one). */
const parseHeader = (header: string): ParsedSignatureHeader | undefined => {
  if (header.length > MAX_HEADER_LENGTH) return undefined;
  let timestampSeconds: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return undefined;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestampSeconds !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestampSeconds = Number(value);
    } else if (key === CALLBACK_SIGNATURE_SCHEME) {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  return timestampSeconds === undefined || signatures.length === 0 ? undefined : { timestampSeconds, signatures };
};

/**
 * The receiver's check of a callback: `header` is the `X-Airtime-Signature`
 * value as received (Node gives `string | string[] | undefined`), `body` the
 * raw body exactly as received (before any JSON parsing), `nowMs` the
 * receiver's clock. Valid when t is within `toleranceMs` of `nowMs` (either
 * way) and a v1 signature equals the HMAC of `<t>.<body>` (compared in
 * constant time). Never throws: anything malformed is a refusal. Dedupe on
 * `X-Airtime-Event-Id` as well: a retried callback is signed anew.
 */
export const verifyCallbackSignature = (
  secret: string,
  header: string | readonly string[] | null | undefined,
  body: string | Uint8Array,
  nowMs: number,
  toleranceMs: number = DEFAULT_CALLBACK_TOLERANCE_MS,
): CallbackSignatureCheck => {
  try {
    const parsed = typeof header === 'string' ? parseHeader(header) : undefined;
    if (parsed === undefined) return { valid: false, reason: 'malformed' };
    if (!(Math.abs(nowMs - parsed.timestampSeconds * 1000) <= toleranceMs)) {
      return { valid: false, reason: 'outside-tolerance' };
    }
    const expected = hmacOf(secret, parsed.timestampSeconds, body);
    // every candidate is compared, so the time taken does not say which one matched
    const matches = parsed.signatures.filter((signature) => timingSafeEqual(signature, expected)).length;
    return matches > 0
      ? { valid: true, timestampSeconds: parsed.timestampSeconds }
      : { valid: false, reason: 'mismatch' };
  } catch {
    // a secret or body of the wrong type from an untyped caller: refused, never thrown
    return { valid: false, reason: 'malformed' };
  }
};
