// The input of "settle a top-up by hand": which top-up, the final status an
// operator decided on, why, and who decided.
import { DETAILED_STATUSES, type DetailedStatus, isFinalClass, TRANSACTION_STATUS_CATALOGUE } from '@airtime/domain';
import { Schema } from 'effect';

/** Every DVS detailed status of a final class (COMPLETED, REVERSED, REJECTED*, CANCELLED, DECLINED*). */
export const FINAL_STATUSES = DETAILED_STATUSES.filter((status) =>
  isFinalClass(TRANSACTION_STATUS_CATALOGUE[status].class),
) as readonly DetailedStatus[] as [DetailedStatus, ...DetailedStatus[]];

/** Longest reason kept with a settlement. */
export const MAX_SETTLEMENT_REASON_LENGTH = 500;

/**
 * - `topUpId`: the top-up;
 * - `status`: a final DVS status (any letter case), e.g. COMPLETED, DECLINED, REVERSED (for a COMPLETED top-up);
 * - `reason`: why, 1..500 characters once trimmed (kept with the settlement);
 * - `operator`: who decides, 1..100 characters.
 */
export const SettleTopUpByHandInput = Schema.Struct({
  topUpId: Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(100)),
  status: Schema.Trim.pipe(Schema.compose(Schema.Uppercase), Schema.compose(Schema.Literal(...FINAL_STATUSES))),
  reason: Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(MAX_SETTLEMENT_REASON_LENGTH)),
  operator: Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(100)),
}).annotations({ identifier: 'SettleTopUpByHandInput' });

export type SettleTopUpByHandInput = typeof SettleTopUpByHandInput.Type;
export type SettleTopUpByHandInputJson = typeof SettleTopUpByHandInput.Encoded;
