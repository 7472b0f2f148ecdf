import {
  type Attempt,
  type AttemptFailureReason,
  type AttemptState,
  parseExternalId,
  PersistenceFailure,
  type UnknownOutcomeReason,
} from '@airtime/domain';
import { Either, Schema } from 'effect';
import { decodeStored, encodeStored, isoOf, undecodable } from '../shared/codec-support';
import { statusOf } from './status.codec';

const FAILURE_REASONS = [
  'OPERATOR_UNAVAILABLE',
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'TIMEOUT_BEFORE_SEND',
  'NOT_FOUND_AT_PROVIDER',
  'RETRY_LATER',
  'DECLINED_BY_OPERATOR',
  'REJECTED_BY_PROVIDER',
  'CANCELLED_AT_PROVIDER',
  'INVALID_REQUEST',
] as const satisfies readonly AttemptFailureReason[];
const UNKNOWN_REASONS = [
  'TIMEOUT_AFTER_SEND',
  'SERVER_ERROR_AFTER_SEND',
  'CONNECTION_LOST_AFTER_SEND',
  'UNCLEAR_ANSWER_AFTER_SEND',
  'UNSPECIFIED_AFTER_SEND',
  'NOT_FOUND_AWAITING_CONFIRMATION',
] as const satisfies readonly UnknownOutcomeReason[];
const STATES = ['InFlight', 'Pending', 'Unknown', 'Succeeded', 'Failed'] as const satisfies readonly AttemptState[];

// A reason or state added to the domain must be added here too: these fail to compile until it is.
const _allFailureReasons: Exclude<AttemptFailureReason, (typeof FAILURE_REASONS)[number]> extends never ? true : never =
  true;
const _allUnknownReasons: Exclude<UnknownOutcomeReason, (typeof UNKNOWN_REASONS)[number]> extends never ? true : never =
  true;
const _allStates: Exclude<AttemptState, (typeof STATES)[number]> extends never ? true : never = true;

export const FailureReasonJson = Schema.Literal(...FAILURE_REASONS);

/** `top_up_attempts.failure`: `{ "reason": "RATE_LIMITED", "retryable": true, "detail"?: "..." }`. */
export const AttemptFailureFromJson = Schema.Struct({
  reason: FailureReasonJson,
  retryable: Schema.Boolean,
  detail: Schema.optional(Schema.String),
});

/** An attempt row as pg returns it (the repository selects the columns with an `attempt_` prefix). */
const AttemptRow = Schema.Struct({
  number: Schema.Int.pipe(Schema.between(1, 20)),
  provider_external_id: Schema.String,
  provider_id: Schema.NullOr(Schema.String),
  provider_transaction_id: Schema.NullOr(Schema.String),
  state: Schema.Literal(...STATES),
  provider_status_class: Schema.NullOr(Schema.String),
  provider_status: Schema.NullOr(Schema.String),
  failure: Schema.NullOr(AttemptFailureFromJson),
  unknown_reason: Schema.NullOr(Schema.Literal(...UNKNOWN_REASONS)),
  started_at: Schema.ValidDateFromSelf,
  updated_at: Schema.ValidDateFromSelf,
});

const decodeAttemptRow = decodeStored(AttemptRow);
const encodeFailure = encodeStored(AttemptFailureFromJson);

const optional = <A>(value: A | null): A | undefined => (value === null ? undefined : value);

/** One attempt row as the domain's attempt. */
export const attemptOf = (row: unknown, topUpId: string): Either.Either<Attempt, PersistenceFailure> => {
  const what = `attempt of top-up ${topUpId}`;
  return Either.flatMap(decodeAttemptRow(row, what), (attempt) => {
    const refuse = (reason: string) =>
      Either.left(undecodable(`attempt ${attempt.number} of top-up ${topUpId}`, reason));
    const providerExternalId = parseExternalId(attempt.provider_external_id);
    if (Either.isLeft(providerExternalId))
      return refuse(`the provider external id is invalid (${providerExternalId.left.problem})`);
    let providerStatus: Attempt['providerStatus'];
    if (attempt.provider_status_class !== null || attempt.provider_status !== null) {
      if (attempt.provider_status_class === null || attempt.provider_status === null)
        return refuse('provider status class and status are stored together or not at all');
      const status = statusOf(attempt.provider_status_class, attempt.provider_status);
      if (Either.isLeft(status)) return refuse(`provider ${status.left}`);
      providerStatus = status.right;
    }
    return Either.right<Attempt>({
      number: attempt.number,
      providerExternalId: providerExternalId.right,
      providerId: optional(attempt.provider_id),
      startedAt: attempt.started_at,
      state: attempt.state,
      providerStatus,
      providerTransactionId: optional(attempt.provider_transaction_id),
      failure: optional(attempt.failure),
      unknownReason: optional(attempt.unknown_reason),
      updatedAt: attempt.updated_at,
    });
  });
};

/** An attempt as one record of the `jsonb_to_recordset` parameter the repository writes attempts with. */
export interface AttemptRecord {
  readonly number: number;
  readonly provider_external_id: string;
  readonly provider_id: string | null;
  readonly provider_transaction_id: string | null;
  readonly state: AttemptState;
  readonly provider_status_class: string | null;
  readonly provider_status: string | null;
  readonly failure: Schema.Schema.Encoded<typeof AttemptFailureFromJson> | null;
  readonly unknown_reason: UnknownOutcomeReason | null;
  /** ISO 8601 with milliseconds: exact for a JS date. */
  readonly started_at: string;
  readonly updated_at: string;
}

/** The record an attempt is written as. */
export const attemptRecordOf = (
  attempt: Attempt,
  topUpId: string,
): Either.Either<AttemptRecord, PersistenceFailure> => {
  const what = `attempt ${attempt.number} of top-up ${topUpId}`;
  if (Either.isLeft(parseExternalId(attempt.providerExternalId))) {
    return Either.left(
      new PersistenceFailure({
        reason: `${what} cannot be stored exactly: its provider external id is not a valid one`,
        retryable: false,
      }),
    );
  }
  return Either.all({
    failure: attempt.failure === undefined ? Either.right(null) : encodeFailure(attempt.failure, `${what}: failure`),
    started_at: isoOf(attempt.startedAt, `${what}: start`),
    updated_at: isoOf(attempt.updatedAt, `${what}: update time`),
  }).pipe(
    Either.map(({ failure, started_at, updated_at }) => ({
      number: attempt.number,
      provider_external_id: attempt.providerExternalId,
      provider_id: attempt.providerId ?? null,
      provider_transaction_id: attempt.providerTransactionId ?? null,
      state: attempt.state,
      provider_status_class: attempt.providerStatus?.class ?? null,
      provider_status: attempt.providerStatus?.status ?? null,
      failure,
      unknown_reason: attempt.unknownReason ?? null,
      started_at,
      updated_at,
    })),
  );
};
