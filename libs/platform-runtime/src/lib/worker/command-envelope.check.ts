// The properties of a top-up command message, checked against what the
// README's "Publishing commands" documents for one (content type
// `application/json`, type `topup.request`, header `x-schema-version: 1`):
// a property that says the body is something else (text, compressed bytes,
// another schema version, another message type) makes the command
// malformed, even when its bytes would read as a v1 command. A property left
// out is no refusal: producers that set none (a plain `amqp-publish`, the
// in-process bus) are read by the body alone; nor is one set empty (pika
// sends '' for a property set so) or a header set to null (AMQP void): they
// say nothing. Reasons name the property, never its value nor a value of the
// body.
import { MalformedCommand, TOP_UP_COMMAND_VERSION } from '@airtime/application';
import { COMMAND_VERSION_HEADER, TOP_UP_COMMAND_TYPE } from '@airtime/messaging-rabbitmq';
import { Either } from 'effect';
import type { CommandDelivery } from './command-runner.types';

/**
 * The content encodings read as no transformation (in any case): `identity`,
 * and `utf-8`, the charset label the platform's own publishers
 * (`publishTopUpCommands`, topup:publish, the API's queue) have always put
 * there, also written `utf8` (as the charset of a content type may be).
 */
const PLAIN_ENCODINGS: ReadonlySet<string> = new Set(['identity', 'utf-8', 'utf8']);

/** The charsets a JSON content type may name (RFC 8259: JSON exchanged between systems is UTF-8). */
const UTF_8: ReadonlySet<string> = new Set(['utf-8', 'utf8']);

const malformed = (reason: string): Either.Either<never, MalformedCommand> =>
  Either.left(new MalformedCommand({ reason }));

const unquoted = (value: string): string =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;

/** Why a content type is not JSON in UTF-8 (media type `application/json`, any charset parameter utf-8), or undefined. */
const contentTypeRefusal = (contentType: string): string | undefined => {
  const [mediaType = '', ...parameters] = contentType.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return 'content-type is not application/json';
  for (const parameter of parameters) {
    if (parameter.trim() === '') continue;
    const equals = parameter.indexOf('=');
    if (equals <= 0) return 'content-type has a parameter that is not name=value';
    const name = parameter.slice(0, equals).trim().toLowerCase();
    const value = unquoted(parameter.slice(equals + 1).trim()).toLowerCase();
    if (name === 'charset' && !UTF_8.has(value)) return 'content-type names a charset other than utf-8';
  }
  return undefined;
};

/** A property's text, or undefined when it says nothing: absent, null, or empty (blanks only). */
const said = (value: string | null | undefined): string | undefined =>
  value === undefined || value === null || value.trim() === '' ? undefined : value;

/**
 * The properties read before the body: content encoding (absent,
 * `identity`, `utf-8` or `utf8`, any case), content type (absent, or
 * `application/json` with parameters, any charset utf-8) and type (absent,
 * or `topup.request`). A property set empty is absent.
 */
export const checkCommandProperties = (
  delivery: Pick<CommandDelivery, 'contentEncoding' | 'contentType' | 'type'>,
): Either.Either<void, MalformedCommand> => {
  const contentEncoding = said(delivery.contentEncoding);
  const contentType = said(delivery.contentType);
  const type = said(delivery.type);
  if (contentEncoding !== undefined && !PLAIN_ENCODINGS.has(contentEncoding.trim().toLowerCase()))
    return malformed('content-encoding is not identity (the body must be the JSON text itself, not compressed)');
  if (contentType !== undefined) {
    const refusal = contentTypeRefusal(contentType);
    if (refusal !== undefined) return malformed(refusal);
  }
  if (type !== undefined && type !== TOP_UP_COMMAND_TYPE) return malformed(`type is not ${TOP_UP_COMMAND_TYPE}`);
  return Either.void;
};

const UTF_8_TEXT = new TextDecoder('utf-8', { fatal: true });

/**
 * A header value as the publisher meant it: a byte array (AMQP `x`, which
 * amqplib hands over as a Buffer; Go's `[]byte`) as its UTF-8 text; bytes
 * that are no UTF-8, and any other value, as they are.
 */
const headerValue = (value: unknown): unknown => {
  if (!(value instanceof Uint8Array)) return value;
  try {
    return UTF_8_TEXT.decode(value);
  } catch {
    return value;
  }
};

/** Whether a header value names the schema version `version` (the number, a 64-bit integer, or its decimal text). */
const namesVersion = (value: unknown, version: number): boolean =>
  value === version ||
  (typeof value === 'bigint' && value === BigInt(version)) ||
  (typeof value === 'string' && value.trim() === String(version));

/**
 * The `x-schema-version` header, once the body is read as a command of
 * version `TOP_UP_COMMAND_VERSION`: absent (or null, or empty), or that
 * version (a byte array read as its UTF-8 text).
 */
export const checkCommandVersionHeader = (
  headers: CommandDelivery['headers'],
): Either.Either<void, MalformedCommand> => {
  const header = headerValue(headers?.[COMMAND_VERSION_HEADER]);
  const absent = header === undefined || header === null || (typeof header === 'string' && header.trim() === '');
  return absent || namesVersion(header, TOP_UP_COMMAND_VERSION)
    ? Either.void
    : malformed(`the ${COMMAND_VERSION_HEADER} header disagrees with the body's version`);
};
