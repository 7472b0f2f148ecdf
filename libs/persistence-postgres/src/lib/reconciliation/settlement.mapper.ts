// Settlements both ways: the application's SettlementRecord as the values of a
// `reconciliation_settlements` row, and a row (as pg returns it) back as the record.
import type { SettlementRecord } from '@airtime/application';
import { PersistenceFailure, type TransactionStatus } from '@airtime/domain';
import { Either, Schema } from 'effect';
import { MAX_SETTLEMENT_REFUSAL_LENGTH } from '../migrations/1764500000000-reconciliation.migration';
import { decodeStored, isoOf, storableText, undecodable } from '../shared/codec-support';
import { statusOf } from '../top-ups/status.codec';
import type { SettlementColumn } from './reconciliation.queries';

const SettlementRow = Schema.Struct({
  id: Schema.String,
  top_up_id: Schema.String,
  provider_id: Schema.String,
  provider_external_id: Schema.NullOr(Schema.String),
  attempt_number: Schema.NullOr(Schema.Int),
  from_status_class: Schema.String,
  from_status: Schema.String,
  to_status_class: Schema.String,
  to_status: Schema.String,
  reason: Schema.String,
  actor: Schema.Literal('reconciler', 'operator'),
  operator: Schema.NullOr(Schema.String),
  window_key: Schema.NullOr(Schema.String),
  state: Schema.Literal('APPLYING', 'APPLIED', 'UNCHANGED', 'REFUSED'),
  refusal: Schema.NullOr(Schema.String),
  recorded_at: Schema.ValidDateFromSelf,
  completed_at: Schema.NullOr(Schema.ValidDateFromSelf),
});

const decodeSettlementRow = decodeStored(SettlementRow);

/** A refusal as stored: text a column can hold, cut to its bound (the column's CHECK; it is a log of why, not a key). */
export const storableRefusal = (refusal: string | undefined): string | null =>
  refusal === undefined || refusal === '' ? null : storableText(refusal, MAX_SETTLEMENT_REFUSAL_LENGTH);

/**
 * The row values a settlement is recorded with: APPLYING, whatever the
 * record says of its completion (write-ahead: `completeSettlement` completes
 * it); its instant as exact ISO text (an invalid date cannot be stored).
 */
export const settlementValuesOf = (
  record: SettlementRecord,
): Either.Either<Readonly<Record<SettlementColumn, unknown>>, PersistenceFailure> =>
  Either.map(
    isoOf(record.recordedAt, `settlement ${record.id} of top-up ${record.topUpId}: recording time`),
    (recorded_at) => ({
      id: record.id,
      top_up_id: record.topUpId,
      provider_id: record.providerId,
      provider_external_id: record.providerExternalId ?? null,
      attempt_number: record.attemptNumber ?? null,
      from_status_class: record.fromStatus.class,
      from_status: record.fromStatus.status,
      to_status_class: record.toStatus.class,
      to_status: record.toStatus.status,
      reason: record.reason,
      actor: record.actor,
      operator: record.operator ?? null,
      window_key: record.windowKey ?? null,
      state: 'APPLYING',
      refusal: null,
      recorded_at,
      completed_at: null,
    }),
  );

/** A stored settlement; a row that does not decode (or whose statuses disagree with their class) is a `PersistenceFailure`. */
export const settlementOf = (row: Record<string, unknown>): Either.Either<SettlementRecord, PersistenceFailure> => {
  const what = `settlement ${typeof row['id'] === 'string' ? row['id'] : '(no id)'}`;
  return Either.gen(function* () {
    const decoded = yield* decodeSettlementRow(row, what);
    const status = (
      statusClass: string,
      text: string,
      side: string,
    ): Either.Either<TransactionStatus, PersistenceFailure> =>
      Either.mapLeft(statusOf(statusClass, text), (problem) => undecodable(what, `${side} ${problem}`));
    return {
      id: decoded.id,
      topUpId: decoded.top_up_id,
      providerId: decoded.provider_id,
      providerExternalId: decoded.provider_external_id ?? undefined,
      attemptNumber: decoded.attempt_number ?? undefined,
      fromStatus: yield* status(decoded.from_status_class, decoded.from_status, 'from'),
      toStatus: yield* status(decoded.to_status_class, decoded.to_status, 'to'),
      reason: decoded.reason,
      actor: decoded.actor,
      operator: decoded.operator ?? undefined,
      windowKey: decoded.window_key ?? undefined,
      state: decoded.state,
      refusal: decoded.refusal ?? undefined,
      recordedAt: decoded.recorded_at,
      completedAt: decoded.completed_at ?? undefined,
    };
  });
};

/** Why a settlement cannot be recorded as it is, if it cannot (what the table's CHECKs would refuse less clearly). */
export const settlementProblem = (record: SettlementRecord): PersistenceFailure | undefined => {
  const refuse = (reason: string) =>
    new PersistenceFailure({ reason: `settlement ${record.id} cannot be recorded: ${reason}`, retryable: false });
  if (record.actor === 'reconciler' && (record.windowKey === undefined || record.operator !== undefined))
    return refuse("the reconciler's settlement has a window key and no operator");
  if (record.actor === 'operator' && (record.operator === undefined || record.windowKey !== undefined))
    return refuse("an operator's settlement names the operator and has no window key");
  if (record.attemptNumber !== undefined && !(Number.isInteger(record.attemptNumber) && record.attemptNumber >= 1))
    return refuse(`attempt number ${String(record.attemptNumber)} is not an attempt's number (1, 2, ...)`);
  return undefined;
};
