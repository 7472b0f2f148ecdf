// The input of "reconcile a day": which provider, which window, and how long
// to wait before settling a top-up or asking an operator to decide on it.
import { Schema } from 'effect';

/** A non-final top-up whose last attempt started this long ago is settled by asking the provider (15 minutes). */
export const DEFAULT_SETTLE_AFTER_MS = 15 * 60_000;

/** A top-up at a provider that cannot be asked is listed for an operator's decision after this long (24 hours). */
export const DEFAULT_DECISION_AFTER_MS = 24 * 3_600_000;

const Milliseconds = Schema.Int.pipe(Schema.between(0, 365 * 24 * 3_600_000));

/**
 * - `providerId`: the provider to reconcile (the configured one's id);
 * - `from`, `to`: the window, `from <= t < to` (Date instances), `from` before `to`;
 * - `settleAfterMs`: default DEFAULT_SETTLE_AFTER_MS; also the grace under which an attempt is in flight;
 * - `decisionAfterMs`: default DEFAULT_DECISION_AFTER_MS;
 * - `runId`: the run's id (default: a new id).
 */
export const ReconcileDayInput = Schema.Struct({
  providerId: Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(100)),
  from: Schema.ValidDateFromSelf,
  to: Schema.ValidDateFromSelf,
  settleAfterMs: Schema.optionalWith(Milliseconds, { default: () => DEFAULT_SETTLE_AFTER_MS }),
  decisionAfterMs: Schema.optionalWith(Milliseconds, { default: () => DEFAULT_DECISION_AFTER_MS }),
  runId: Schema.optional(Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(100))),
})
  .pipe(Schema.filter((input) => input.from.getTime() < input.to.getTime() || 'the window must start before it ends'))
  .annotations({ identifier: 'ReconcileDayInput' });

export type ReconcileDayInput = typeof ReconcileDayInput.Type;
export type ReconcileDayInputJson = typeof ReconcileDayInput.Encoded;
