// The input of "settle a top-up by hand": which top-up, the final status an
// operator decided on, why, and who decided.
import {
  DETAILED_STATUSES,
  type DetailedStatus,
  IDENTIFIER_RULES,
  isFinalClass,
  isValidIdentifier,
  TRANSACTION_STATUS_CATALOGUE,
} from '@airtime/domain';
import { Schema } from 'effect';

/** Every DVS detailed status of a final class (COMPLETED, REVERSED, REJECTED*, CANCELLED, DECLINED*). */
export const FINAL_STATUSES = DETAILED_STATUSES.filter((status) =>
  isFinalClass(TRANSACTION_STATUS_CATALOGUE[status].class),
) as readonly DetailedStatus[] as [DetailedStatus, ...DetailedStatus[]];

/** Longest reason kept with a settlement, in characters (code points, as the database counts them). */
export const MAX_SETTLEMENT_REASON_LENGTH = 500;

/** A control character a reason may not hold: all but tab and line feed (C0, DEL, C1), as the settlements table refuses. */
const isRefusedControl = (codePoint: number): boolean =>
  (codePoint <= 0x1f && codePoint !== 0x09 && codePoint !== 0x0a) || (codePoint >= 0x7f && codePoint <= 0x9f);

/** Invisible format characters (Unicode Cf: bidi overrides, zero-width spaces...) that would let a printed reason read otherwise. */
const FORMAT_CHARACTER = /\p{Cf}/u;

const hasRefusedControl = (text: string): boolean =>
  FORMAT_CHARACTER.test(text) || [...text].some((character) => isRefusedControl(character.codePointAt(0) ?? 0));

/** A settlement's reason: trimmed, 1..500 characters, no control character but tab and line feed, no invisible format character. */
const SettlementReason = Schema.Trim.pipe(
  Schema.nonEmptyString({ message: () => 'must not be blank' }),
  Schema.filter(
    (reason) =>
      [...reason].length <= MAX_SETTLEMENT_REASON_LENGTH ||
      `must be at most ${MAX_SETTLEMENT_REASON_LENGTH} characters`,
  ),
  Schema.filter(
    (reason) =>
      !hasRefusedControl(reason) ||
      'must not hold control or invisible format characters (tab and line feed are allowed)',
  ),
);

/**
 * Who settles: the identifier rule of an account id (1..100 characters, a
 * plain space allowed inside), which the settlements table's CHECK
 * `identifier_is_valid(operator, 100, true)` holds too. Before, 1..100
 * characters was all that was asked, and a no-break space or a zero-width
 * one reached the CHECK: a storage failure instead of a refusal.
 */
const SettlementOperator = Schema.Trim.pipe(
  Schema.nonEmptyString(),
  Schema.filter(
    (operator) =>
      isValidIdentifier(IDENTIFIER_RULES.ACCOUNT_ID, operator) ||
      'must be 1 to 100 characters with no control, invisible, format or separator character but a plain space inside, not starting with a combining mark',
  ),
);

/**
 * - `topUpId`: the top-up;
 * - `status`: a final DVS status (any letter case), e.g. COMPLETED, DECLINED, REVERSED (for a COMPLETED top-up);
 * - `reason`: why, 1..500 characters once trimmed, no control character but tab and line feed, no invisible
 *   format character such as a bidi override (kept with the settlement and printed to people);
 * - `operator`: who decides: 1..100 characters once trimmed, under the identifier rule with a plain space
 *   allowed inside (no control, invisible, format or separator character, none starting with a combining mark),
 *   the rule of the settlements table's CHECK (`identifier_is_valid(operator, 100, true)`);
 * - `force` (default false): settle an open top-up the latest reconciliation run of its provider does not list
 *   as awaiting a decision, the operator having checked with the provider that it is final there (see
 *   NotAwaitingDecision).
 */
export const SettleTopUpByHandInput = Schema.Struct({
  topUpId: Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(100)),
  status: Schema.Trim.pipe(Schema.compose(Schema.Uppercase), Schema.compose(Schema.Literal(...FINAL_STATUSES))),
  reason: SettlementReason,
  operator: SettlementOperator,
  force: Schema.optionalWith(Schema.Boolean, { default: () => false }),
}).annotations({ identifier: 'SettleTopUpByHandInput' });

export type SettleTopUpByHandInput = typeof SettleTopUpByHandInput.Type;
export type SettleTopUpByHandInputJson = typeof SettleTopUpByHandInput.Encoded;
