import { PersistenceFailure, describeParseError } from '@airtime/domain';
import { Either, Schema } from 'effect';
import type { ListPosition } from './top-up.queries';

/** The position a cursor stands for, as JSON: `{ "createdAt": "2025-01-01T12:00:00.000000Z", "id": "..." }`. */
const CursorJson = Schema.parseJson(
  Schema.Struct({
    createdAt: Schema.String.pipe(
      Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      Schema.filter((text) => !Number.isNaN(Date.parse(text)) || 'not a valid instant'),
    ),
    id: Schema.String.pipe(Schema.minLength(1)),
  }),
);

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** An opaque cursor: the position as base64url JSON. */
export const encodeCursor = (position: ListPosition): string =>
  Buffer.from(JSON.stringify({ createdAt: position.createdAt, id: position.id }), 'utf8').toString('base64url');

const invalid = (reason: string) => new PersistenceFailure({ reason: `invalid cursor: ${reason}`, retryable: false });

/** The position of a cursor given back by a caller; anything else is a non-retryable `PersistenceFailure`. */
export const decodeCursor = (cursor: string): Either.Either<ListPosition, PersistenceFailure> => {
  if (!BASE64URL.test(cursor)) return Either.left(invalid('not base64url text'));
  const json = Buffer.from(cursor, 'base64url').toString('utf8');
  return Either.mapLeft(Schema.decodeUnknownEither(CursorJson)(json), (error) =>
    invalid(`not a cursor of this listing (${describeParseError(error)})`),
  );
};
