// The input of "request a top-up", one schema for every way in: the AMQP
// command (v1) and the HTTP API decode the same JSON fields (snake_case).
import { ruleViolation } from '@airtime/domain';
import { Schema } from 'effect';
import {
  FORBIDDEN_METADATA_KEYS_REASON,
  hasForbiddenMetadataKey,
  hasUnstorableMetadataText,
  isPlainObject,
  UNSTORABLE_METADATA_TEXT_REASON,
} from './top-up-metadata';

/** A decimal amount: a string such as "10" or "10.50" (a JSON number is accepted and read by its decimal text). */
export const DecimalAmount = Schema.Union(
  Schema.String.pipe(Schema.pattern(/^[0-9]{1,15}(\.[0-9]{1,12})?$/), Schema.maxLength(28)),
  Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
).annotations({ identifier: 'DecimalAmount', description: 'a decimal amount, e.g. "10.50"' });

/**
 * The caller's metadata: a JSON object, taken as it is (not copied key by
 * key, which would turn a `__proto__` key into a prototype and lose it), with
 * no `__proto__`, `constructor` or `prototype` key at any depth, and no key
 * or text value with a NUL character or an unpaired surrogate (PostgreSQL's
 * jsonb cannot store them: refused here, never a storage failure later).
 */
export const TopUpMetadata = Schema.declare(isPlainObject, {
  identifier: 'TopUpMetadata',
  description: 'a JSON object',
}).pipe(
  Schema.filter((metadata, _options, ast) =>
    hasForbiddenMetadataKey(metadata)
      ? ruleViolation(ast, metadata, FORBIDDEN_METADATA_KEYS_REASON)
      : hasUnstorableMetadataText(metadata)
        ? ruleViolation(ast, metadata, UNSTORABLE_METADATA_TEXT_REASON)
        : true,
  ),
);

const isControl = (code: number): boolean => code <= 0x1f || (code >= 0x7f && code <= 0x9f);

/** Whether `text` holds a control character (C0, DEL or C1): a URL parser drops or encodes them silently. */
export const hasControlCharacter = (text: string): boolean => {
  for (let index = 0; index < text.length; index += 1) if (isControl(text.charCodeAt(index))) return true;
  return false;
};

/**
 * A callback URL as sent: text without control characters (a NUL, tab or
 * newline in it would be dropped by the URL parser, so the URL stored would
 * not be the URL sent); the URL itself is checked by `checkCallbackUrl`.
 */
export const CallbackUrlText = Schema.String.pipe(
  Schema.filter((text, _options, ast) =>
    hasControlCharacter(text) ? ruleViolation(ast, text, 'contains a control character') : true,
  ),
).annotations({ description: 'an https URL, without control characters' });

/**
 * An optional field of a request: left out, or JSON `null`, which means the
 * same (a serializer that writes absent optionals as `null`, or a caller
 * sending back our answer, where they show as `null`). Decoded, a `null` is
 * the field left out (never kept as `null` or `undefined`), so the request
 * stored and compared on a repeat is one whichever was sent. A required
 * field stays refused when `null`.
 */
export const optionalOrNull = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true });

/**
 * A top-up request as callers send it (JSON). Every optional field may be
 * sent as `null`, read as left out (see `optionalOrNull`). Fields:
 * - `external_id`: the caller's idempotency key (1..40 characters, no spaces, Unicode NFC), unique per account;
 * - `account_id`: the account charged (Unicode NFC);
 * - `phone_number`: the destination, E.164 (`+63...`) or international digits;
 * - `currency` (ISO 4217) of `max_amount` and `desired_amount`: the destination's currency
 *   (amount received) or the account's (amount charged);
 * - `max_amount`: never exceeded; `desired_amount`: the smallest amount at or above it is chosen;
 * - `product_id`: a product chosen by the caller instead of the selector;
 * - `exact_amount`: refuse (nothing held) unless the amount received equals the amount asked
 *   (`desired_amount`, or `max_amount` when none is given);
 * - `callback_url`: https URL of a public host the top-up's final outcome is POSTed to (signed; no
 *   control characters);
 * - `metadata`: the caller's own JSON object, returned in events (at most 4 KiB when encoded; no
 *   `__proto__`, `constructor` or `prototype` key at any depth; no NUL or unpaired surrogate in a key or text).
 */
export const RequestTopUpInput = Schema.Struct({
  external_id: Schema.String,
  account_id: Schema.String,
  phone_number: Schema.String,
  currency: Schema.String,
  max_amount: DecimalAmount,
  desired_amount: optionalOrNull(DecimalAmount),
  product_id: optionalOrNull(Schema.String),
  exact_amount: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
  callback_url: optionalOrNull(CallbackUrlText),
  metadata: optionalOrNull(TopUpMetadata),
}).annotations({ identifier: 'RequestTopUpInput' });

export type RequestTopUpInput = typeof RequestTopUpInput.Type;
export type RequestTopUpInputJson = typeof RequestTopUpInput.Encoded;
