// Settle a top-up by hand: an operator decides the final status of a top-up
// nobody can settle by asking the provider (or a reversal the provider
// reported elsewhere). The decision is recorded with its reason before the
// change, applied as the domain applies a provider's status (ledger capture
// or void follows), and the record completed: never a silent change.
import {
  type Clock,
  IllegalTransition,
  isFinalClass,
  lastAttemptOf,
  type PersistenceFailure,
  type TopUp,
  TopUpAlreadyFinal,
  transactionStatus,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { ReconciliationStore, type SettlementRecord } from '../ports/reconciliation-store.port';
import { applyAsOperatorDecision, settle } from '../reconcile-day/settlement.use-case';
import { loadTopUp, type SaveError, type SaveServices } from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { NoAttemptToSettle, NotAwaitingDecision, SettlementRefused } from './settle-top-up-by-hand.errors';
import { SettleTopUpByHandInput, type SettleTopUpByHandInputJson } from './settle-top-up-by-hand.input';

export interface SettleTopUpByHandResult {
  /** The settlement as recorded and completed (APPLIED, or UNCHANGED when the top-up already stood there). */
  readonly settlement: SettlementRecord;
  readonly topUp: TopUp;
}

export type SettleTopUpByHandError =
  | InvalidInput
  | TopUpNotFound
  | TopUpAlreadyFinal
  | IllegalTransition
  | NoAttemptToSettle
  | NotAwaitingDecision
  | SettlementRefused
  | SaveError
  | PersistenceFailure;

/**
 * Settles `topUpId` at a final `status` decided by `operator` for `reason`
 * (see SettleTopUpByHandInput): the settlement is recorded (actor operator,
 * APPLYING), the status applied to the top-up's last attempt as a provider's
 * would be (COMPLETED captures the hold, a failure voids it, REVERSED
 * reverses a capture), and the record completed. Fails with `InvalidInput`,
 * `TopUpNotFound`, `TopUpAlreadyFinal` for a final top-up (but a COMPLETED
 * one may be REVERSED), `IllegalTransition` for REVERSED on a top-up not
 * COMPLETED, `NoAttemptToSettle` for a top-up never sent, `NotAwaitingDecision`
 * for an open top-up whose last attempt the latest finished reconciliation
 * run of its provider does not list as awaiting a decision (unless `force`:
 * the provider may still deliver it), and `SettlementRefused` (recorded
 * REFUSED) when the domain refuses the change, or when the top-up changed
 * between the checks and the write (`SettlementOutdated`: another attempt
 * is its last, e.g. a resend, or it left the status read): the decision
 * applies to the attempt checked only, as the top-up stood when checked.
 * The same decision repeated while its record is unfinished (a crash)
 * finishes it.
 */
export const settleTopUpByHand = (
  input: SettleTopUpByHandInputJson,
): Effect.Effect<
  SettleTopUpByHandResult,
  SettleTopUpByHandError,
  ReconciliationStore | SaveServices | Clock | UnitOfWork
> =>
  Effect.gen(function* () {
    const decoded = yield* decodeInput(SettleTopUpByHandInput)(input);
    const toStatus = transactionStatus(decoded.status);
    const { topUp } = yield* loadTopUp(decoded.topUpId);
    const reversal = topUp.status.class === 'COMPLETED' && toStatus.class === 'REVERSED';
    if (isFinalClass(topUp.status.class) && !reversal)
      return yield* new TopUpAlreadyFinal({ topUpId: topUp.id, status: topUp.status });
    if (toStatus.class === 'REVERSED' && !reversal)
      return yield* new IllegalTransition({ from: topUp.status, to: toStatus });
    const attempt = lastAttemptOf(topUp);
    if (attempt === undefined) return yield* new NoAttemptToSettle({ topUpId: topUp.id });
    if (!reversal && !decoded.force) {
      const store = yield* ReconciliationStore;
      const listed =
        attempt.providerId !== undefined &&
        (yield* store.listedAwaitingDecision({
          providerId: attempt.providerId,
          topUpId: topUp.id,
          attemptNumber: attempt.number,
        }));
      if (!listed) return yield* new NotAwaitingDecision({ topUpId: topUp.id, status: topUp.status.status });
    }
    // bound to the attempt checked and the status read: applied only if, on the read the write is made under
    // (at its version), that attempt is still the last and the top-up still there (else REFUSED: SettlementOutdated)
    const settlement = yield* settle(
      {
        topUpId: topUp.id,
        providerId: attempt.providerId ?? '',
        providerExternalId: attempt.providerExternalId,
        attemptNumber: attempt.number,
        fromStatus: topUp.status,
        toStatus,
        reason: decoded.reason,
        actor: 'operator',
        operator: decoded.operator,
        windowKey: undefined,
      },
      applyAsOperatorDecision,
    );
    if (settlement.state === 'REFUSED')
      return yield* new SettlementRefused({ topUpId: topUp.id, refusal: settlement.refusal ?? 'refused' });
    const after = yield* loadTopUp(topUp.id);
    return { settlement, topUp: after.topUp };
  });
