// The top-up command (schema v1), the message producers publish to the
// commands exchange: JSON with a `version` and the fields of the request
// input, e.g.
//   { "version": 1, "external_id": "order-42", "account_id": "acme",
//     "phone_number": "+639171234567", "currency": "PHP", "max_amount": "100",
//     "desired_amount": "50", "callback_url": "https://acme.example/topups" }
import { describeParseError } from '@airtime/domain';
import { Either, Schema } from 'effect';
import { exactJsonProblem } from '../request-top-up/exact-json.check';
import { checkTopUpRequest, type TopUpRequestRules } from '../request-top-up/request-top-up.check';
import { RequestTopUpInput } from '../request-top-up/request-top-up.input';
import { MalformedCommand } from './top-up-command.errors';

/** The only version this schema reads. */
export const TOP_UP_COMMAND_VERSION = 1;

/** The largest body read (64 KiB); a command is a few hundred bytes, its metadata at most 4 KiB. */
export const MAX_TOP_UP_COMMAND_BYTES = 64 * 1024;

/** Schema v1: `version: 1` and the request input's fields; any other field is refused (a typo must not pass). */
export const TopUpCommandV1 = Schema.Struct({
  version: Schema.Literal(TOP_UP_COMMAND_VERSION),
  ...RequestTopUpInput.fields,
}).annotations({ identifier: 'TopUpCommandV1' });

export type TopUpCommandV1 = typeof TopUpCommandV1.Type;
/** The JSON form producers write. */
export type TopUpCommandV1Json = typeof TopUpCommandV1.Encoded;

const decodeV1 = Schema.decodeUnknownEither(TopUpCommandV1, { errors: 'all', onExcessProperty: 'error' });

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const malformed = (reason: string): Either.Either<never, MalformedCommand> =>
  Either.left(new MalformedCommand({ reason }));

const textOf = (body: Uint8Array | string): Either.Either<string, MalformedCommand> => {
  if (typeof body === 'string') {
    // a string is measured by its UTF-8 size, as it would travel
    return Buffer.byteLength(body, 'utf8') > MAX_TOP_UP_COMMAND_BYTES
      ? malformed(`the body is larger than ${MAX_TOP_UP_COMMAND_BYTES} bytes`)
      : Either.right(body);
  }
  if (body.byteLength > MAX_TOP_UP_COMMAND_BYTES) {
    return malformed(`the body is larger than ${MAX_TOP_UP_COMMAND_BYTES} bytes`);
  }
  try {
    return Either.right(utf8.decode(body));
  } catch {
    return malformed('the body is not UTF-8 text');
  }
};

const jsonOf = (text: string): Either.Either<unknown, MalformedCommand> => {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    return malformed('the body is not JSON');
  }
  // what JSON.parse would lose silently: a field named twice, a number a double does not keep
  const problem = exactJsonProblem(text);
  return problem === undefined ? Either.right(json) : malformed(problem);
};

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const commandOf = (json: unknown): Either.Either<RequestTopUpInput, MalformedCommand> => {
  if (!isObject(json)) return malformed('the body is not a JSON object');
  if (!Object.prototype.hasOwnProperty.call(json, 'version')) return malformed('version is missing');
  if (json['version'] !== TOP_UP_COMMAND_VERSION) {
    return malformed(`version is not supported (this consumer reads version ${TOP_UP_COMMAND_VERSION})`);
  }
  return Either.match(decodeV1(json), {
    onLeft: (error) => malformed(describeParseError(error)),
    onRight: ({ version: _version, ...input }) => Either.right(input),
  });
};

/**
 * Reads a command body (the message's bytes, or its text): the request
 * input it carries, or `MalformedCommand` with a reason that names fields
 * and kinds, never a value. Never throws, whatever the bytes.
 */
export const decodeTopUpCommand = (body: Uint8Array | string): Either.Either<RequestTopUpInput, MalformedCommand> => {
  try {
    return Either.flatMap(Either.flatMap(textOf(body), jsonOf), commandOf);
  } catch {
    // nothing above is expected to throw; a body must never take the consumer down
    return malformed('the body cannot be read');
  }
};

/** The field rules requestTopUp applies (number, currency, amounts, ids, callback URL, metadata). */
const fieldsChecked = (
  input: RequestTopUpInput,
  rules: TopUpRequestRules,
): Either.Either<RequestTopUpInput, MalformedCommand> =>
  Either.match(checkTopUpRequest(input, rules), {
    onLeft: (invalid) => malformed(`${invalid.field}: ${invalid.reason}`),
    onRight: () => Either.right(input),
  });

/**
 * The JSON text of the v1 command carrying `input` (the request input's JSON
 * fields, without `version`), checked as a consumer will read it: the schema,
 * then the rules of each field (an E.164 number, a known currency, amounts
 * with no more decimals than it has, ids in Unicode NFC, an https callback
 * URL to a public host, metadata size and keys), so producers learn of a
 * command the consumer would dead-letter before publishing it. `rules` are
 * the consumer's (`allowPrivateCallbackHosts` for a local set-up; default
 * none). What needs the provider (a product for the amount) or the ledger
 * (funds) is only known once the consumer runs it.
 */
export const encodeTopUpCommand = (
  input: unknown,
  rules: TopUpRequestRules = {},
): Either.Either<string, MalformedCommand> => {
  if (!isObject(input)) return malformed('the command is not an object');
  return Either.flatMap(commandOf({ version: TOP_UP_COMMAND_VERSION, ...input }), (decoded) => {
    let text: string;
    try {
      text = JSON.stringify({ version: TOP_UP_COMMAND_VERSION, ...decoded });
    } catch {
      return malformed('metadata has no JSON form');
    }
    if (Buffer.byteLength(text, 'utf8') > MAX_TOP_UP_COMMAND_BYTES) {
      return malformed(`the command is larger than ${MAX_TOP_UP_COMMAND_BYTES} bytes`);
    }
    return Either.map(fieldsChecked(decoded, rules), () => text);
  });
};
