// The transfer log (`transfer_log`): every provider exchange of an attempt, for the application's TransferLog port.
import { type StoredExchange, TransferLog, type TransferLogEntry, type TransferLogService } from '@airtime/application';
import type { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Schema } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored, encodeStored, storableText } from '../shared/codec-support';
import { areStorableKeys } from '../shared/text-keys';
import { currentManager, sql } from '../unit-of-work/sql';

/** An ISO 8601 instant as text (kept as written). */
const IsoInstant = Schema.String.pipe(
  Schema.filter((text) => !Number.isNaN(Date.parse(text)) || 'must be an ISO 8601 instant'),
);

/** What `record` (jsonb) holds of an exchange: all of it but the provider and the reference, which are columns. */
const ExchangeRecord = Schema.Struct({
  method: Schema.String,
  url: Schema.String,
  startedAt: IsoInstant,
  durationMs: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  status: Schema.NullOr(Schema.Int),
  requestBody: Schema.NullOr(Schema.String),
  responseBody: Schema.NullOr(Schema.String),
  failure: Schema.optional(Schema.String),
});

const ExchangeRow = Schema.Struct({
  provider: Schema.String,
  reference: Schema.String,
  attempt_number: Schema.Int,
  record: ExchangeRecord,
});

const encodeRecord = encodeStored(ExchangeRecord);
const decodeExchangeRow = decodeStored(ExchangeRow);

/** Text jsonb can hold (see `storableText`). */
const storable = <T extends string | null | undefined>(text: T): T =>
  (typeof text === 'string' ? storableText(text) : text) as T;

const storableEntry = (entry: TransferLogEntry): TransferLogEntry => ({
  ...entry,
  method: storable(entry.method),
  url: storable(entry.url),
  startedAt: storable(entry.startedAt),
  requestBody: storable(entry.requestBody),
  responseBody: storable(entry.responseBody),
  failure: storable(entry.failure),
});

/** The exchanges of every attempt of the top-up $1, oldest first (each with the attempt that holds its reference). */
const EXCHANGES_OF_TOP_UP = `
  SELECT DISTINCT ON (l.id) l.id, l.provider, l.reference, a.number AS attempt_number, l.record
  FROM top_up_attempts a
  JOIN transfer_log l ON l.reference = a.provider_external_id
  WHERE a.top_up_id = $1
  ORDER BY l.id, (a.number = l.attempt_number) DESC NULLS LAST, a.number`;

/**
 * The transfer log on PostgreSQL. `append` keeps an exchange only when it
 * has a reference (the attempt's provider external id; catalogue reads have
 * none) and writes it in a statement of its own on the pool, outside any
 * unit of work, so that an exchange stays logged when the unit of work
 * around the send rolls back. It notes the attempt that holds the reference
 * then (the latest one: a resend after "not found" reuses its attempt's
 * reference). `forTopUp` reads the exchanges of every attempt of a top-up
 * (joined on the attempts' provider external ids), oldest first; a record
 * that does not decode is a non-retryable `PersistenceFailure`; an id
 * holding a NUL has none, without a statement (no row can: see text-keys).
 */
export const makeTransferLog = (dataSource: DataSource): TransferLogService => ({
  append: (entry) =>
    entry.reference === undefined || entry.reference === ''
      ? Effect.void
      : Effect.gen(function* () {
          const record = yield* encodeRecord(
            storableEntry(entry),
            `an exchange with ${entry.provider} for ${entry.reference}`,
          );
          yield* Effect.locally(
            sql(
              dataSource,
              `INSERT INTO transfer_log (provider, reference, attempt_number, record)
               SELECT $1, $2, (SELECT max(number) FROM top_up_attempts WHERE provider_external_id = $2), $3::jsonb`,
              [entry.provider, entry.reference, JSON.stringify(record)],
            ),
            currentManager,
            undefined,
          );
        }),
  forTopUp: (topUpId) =>
    Effect.flatMap(
      // no statement for an id holding a NUL: no row has it
      areStorableKeys(topUpId) ? sql(dataSource, EXCHANGES_OF_TOP_UP, [topUpId]) : Effect.succeed([]),
      (rows): Either.Either<readonly StoredExchange[], PersistenceFailure> =>
        Either.all(
          rows.map((row) =>
            Either.map(
              decodeExchangeRow(row, `transfer log entry ${String(row['id'])} of top-up ${topUpId}`),
              ({ provider, reference, attempt_number, record }) => ({
                provider,
                reference,
                ...record,
                attemptNumber: attempt_number,
              }),
            ),
          ),
        ),
    ),
});

export const transferLogLayer = (dataSource: DataSource) => Layer.succeed(TransferLog, makeTransferLog(dataSource));
