import {
  checkAccountId,
  parseExternalId,
  PersistenceFailure,
  type Quote,
  type TopUp,
  type TopUpFailureReason,
} from '@airtime/domain';
import { Either, Schema } from 'effect';
import { decodeStored, encodeStored, isoOf, undecodable } from '../shared/codec-support';
import { BigIntFromDecimal } from '../shared/money.codec';
import { type AttemptRecord, attemptOf, attemptRecordOf, FailureReasonJson } from './attempt.mapper';
import { destinationOf } from './destination.codec';
import { type QuoteJson, QuoteFromJson } from './quote.codec';
import { statusOf } from './status.codec';

const TOP_UP_ONLY_REASONS = ['CANCELLED', 'INSUFFICIENT_FUNDS'] as const satisfies readonly TopUpFailureReason[];

// A reason added to the domain must be added here too: this fails to compile until it is.
const _allTopUpFailureReasons: Exclude<
  TopUpFailureReason,
  Schema.Schema.Type<typeof FailureReasonJson> | (typeof TOP_UP_ONLY_REASONS)[number]
> extends never
  ? true
  : never = true;

/** `top_ups.failure`: `{ "reason": "CANCELLED", "attemptsExhausted": false, "detail"?: "..." }`. */
const TopUpFailureFromJson = Schema.Struct({
  reason: Schema.Union(FailureReasonJson, Schema.Literal(...TOP_UP_ONLY_REASONS)),
  attemptsExhausted: Schema.Boolean,
  detail: Schema.optional(Schema.String),
});

/** A `top_ups` row as pg returns it (bigint as text, jsonb parsed, timestamptz as Date). */
const TopUpRow = Schema.Struct({
  id: Schema.String,
  account_id: Schema.String,
  external_id: Schema.String,
  destination_e164: Schema.String,
  destination_country: Schema.String,
  status_class: Schema.String,
  status: Schema.String,
  product_id: Schema.String,
  operator_id: Schema.String,
  receive_minor: BigIntFromDecimal,
  receive_currency: Schema.String,
  cost_minor: BigIntFromDecimal,
  cost_currency: Schema.String,
  quote: QuoteFromJson,
  next_attempt_at: Schema.NullOr(Schema.ValidDateFromSelf),
  awaiting_status_query: Schema.Boolean,
  failure: Schema.NullOr(TopUpFailureFromJson),
  version: Schema.Int.pipe(Schema.positive()),
  created_at: Schema.ValidDateFromSelf,
  updated_at: Schema.ValidDateFromSelf,
});

const decodeTopUpRow = decodeStored(TopUpRow);
const encodeQuote = encodeStored(QuoteFromJson);
const encodeFailure = encodeStored(TopUpFailureFromJson);

export interface StoredTopUp {
  readonly topUp: TopUp;
  readonly version: number;
}

/** Where the row's columns disagree with its quote (they are copies of it, kept for queries). */
const disagreement = (row: Schema.Schema.Type<typeof TopUpRow>, quote: Quote): string | undefined => {
  if (row.product_id !== quote.product.id) return 'product_id differs from the quote';
  if (row.operator_id !== quote.product.operator.id) return 'operator_id differs from the quote';
  if (row.receive_minor !== quote.receive.amountMinor || row.receive_currency !== quote.receive.currency.code)
    return 'receive amount differs from the quote';
  if (row.cost_minor !== quote.cost.amountMinor || row.cost_currency !== quote.cost.currency.code)
    return 'cost differs from the quote';
  return undefined;
};

/** A top-up from its row and its attempt rows (any order); anything that does not decode is a `PersistenceFailure`. */
export const topUpOf = (
  row: unknown,
  attemptRows: readonly unknown[],
): Either.Either<StoredTopUp, PersistenceFailure> => {
  const id =
    typeof row === 'object' && row !== null && typeof (row as { id?: unknown }).id === 'string'
      ? (row as { id: string }).id
      : '(no id)';
  const what = `top-up ${id}`;
  return Either.gen(function* () {
    const decoded = yield* decodeTopUpRow(row, what);
    const refuse = (reason: string) => Either.left(undecodable(what, reason));
    const externalId = parseExternalId(decoded.external_id);
    if (Either.isLeft(externalId)) return yield* refuse(`the external id is invalid (${externalId.left.problem})`);
    const destination = destinationOf(decoded.destination_e164, decoded.destination_country);
    if (Either.isLeft(destination)) return yield* refuse(destination.left);
    const status = statusOf(decoded.status_class, decoded.status);
    if (Either.isLeft(status)) return yield* refuse(status.left);
    const mismatch = disagreement(decoded, decoded.quote);
    if (mismatch !== undefined) return yield* refuse(mismatch);
    const attempts = [...(yield* Either.all(attemptRows.map((attemptRow) => attemptOf(attemptRow, id))))].sort(
      (a, b) => a.number - b.number,
    );
    const gap = attempts.findIndex((attempt, index) => attempt.number !== index + 1);
    if (gap !== -1)
      return yield* refuse(
        `attempts are not numbered 1..${attempts.length} (found ${attempts.map((a) => a.number).join(', ')})`,
      );
    const topUp: TopUp = {
      id: decoded.id,
      accountId: decoded.account_id,
      externalId: externalId.right,
      destination: destination.right,
      quote: decoded.quote,
      status: status.right,
      attempts,
      nextAttemptAt: decoded.next_attempt_at ?? undefined,
      awaitingStatusQuery: decoded.awaiting_status_query,
      failureReason: decoded.failure ?? undefined,
      createdAt: decoded.created_at,
      updatedAt: decoded.updated_at,
    };
    return { topUp, version: decoded.version };
  });
};

/**
 * The values a change to a top-up is written with: its mutable columns
 * (jsonb values as JSON text). `updateTopUp` and `updateTopUps` write only
 * these: a top-up's identity (account, external id, destination, quote,
 * creation time) is never rewritten, so a change neither encodes nor checks
 * it again.
 */
export interface TopUpChangeRecord {
  readonly id: string;
  readonly statusClass: string;
  readonly status: string;
  readonly nextAttemptAt: string | null;
  readonly awaitingStatusQuery: boolean;
  readonly failure: string | null;
  readonly updatedAt: string;
  /** A JSON array of `AttemptRecord`s. */
  readonly attempts: string;
}

/** The values a top-up is written with (jsonb values as JSON text): its identity and its mutable columns. */
export interface TopUpRecord extends TopUpChangeRecord {
  readonly accountId: string;
  readonly externalId: string;
  readonly destinationE164: string;
  readonly destinationCountry: string;
  readonly productId: string;
  readonly operatorId: string;
  readonly receiveMinor: string;
  readonly receiveCurrency: string;
  readonly costMinor: string;
  readonly costCurrency: string;
  readonly quote: string;
  readonly createdAt: string;
}

const cannotBeStored = (what: string, reason: string) =>
  new PersistenceFailure({ reason: `${what} cannot be stored exactly: ${reason}`, retryable: false });

/** A top-up's mutable columns as the values they are written with; one that cannot be stored exactly is a `PersistenceFailure`. */
export const topUpChangeRecordOf = (topUp: TopUp): Either.Either<TopUpChangeRecord, PersistenceFailure> => {
  const what = `top-up ${topUp.id}`;
  return Either.gen(function* () {
    const failure =
      topUp.failureReason === undefined ? null : yield* encodeFailure(topUp.failureReason, `${what}: failure`);
    const attempts: readonly AttemptRecord[] = yield* Either.all(
      topUp.attempts.map((attempt) => attemptRecordOf(attempt, topUp.id)),
    );
    return {
      id: topUp.id,
      statusClass: topUp.status.class,
      status: topUp.status.status,
      nextAttemptAt:
        topUp.nextAttemptAt === undefined ? null : yield* isoOf(topUp.nextAttemptAt, `${what}: next attempt time`),
      awaitingStatusQuery: topUp.awaitingStatusQuery,
      failure: failure === null ? null : JSON.stringify(failure),
      updatedAt: yield* isoOf(topUp.updatedAt, `${what}: update time`),
      attempts: JSON.stringify(attempts),
    };
  });
};

/** A top-up as the values it is written with; a value that cannot be stored exactly is a `PersistenceFailure`. */
export const topUpRecordOf = (topUp: TopUp): Either.Either<TopUpRecord, PersistenceFailure> => {
  const what = `top-up ${topUp.id}`;
  return Either.gen(function* () {
    // what could not be read back is not written
    const refuse = (reason: string) => Either.left(cannotBeStored(what, reason));
    if (Either.isLeft(parseExternalId(topUp.externalId))) return yield* refuse('its external id is not a valid one');
    if (Either.isLeft(checkAccountId(topUp.accountId))) return yield* refuse('its account id is not a valid one');
    const destination = destinationOf(topUp.destination.e164, topUp.destination.countryIso);
    if (Either.isLeft(destination)) return yield* refuse(destination.left);
    if (destination.right.callingCode !== topUp.destination.callingCode)
      return yield* refuse('the calling code of the destination is not that of its country');
    const quote: QuoteJson = yield* encodeQuote(topUp.quote, `${what}: quote`);
    const change = yield* topUpChangeRecordOf(topUp);
    return {
      ...change,
      accountId: topUp.accountId,
      externalId: topUp.externalId,
      destinationE164: topUp.destination.e164,
      destinationCountry: topUp.destination.countryIso,
      productId: topUp.quote.product.id,
      operatorId: topUp.quote.product.operator.id,
      receiveMinor: quote.receive.amountMinor,
      receiveCurrency: quote.receive.currency,
      costMinor: quote.cost.amountMinor,
      costCurrency: quote.cost.currency,
      quote: JSON.stringify(quote),
      createdAt: yield* isoOf(topUp.createdAt, `${what}: creation time`),
    };
  });
};
