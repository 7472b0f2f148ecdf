// The start of every run: settlements left APPLYING by a crash (of any
// window's run, or of an operator's command) are finished, so that none
// stays half done on a night whose window is never run again.
import { findAttempt } from '@airtime/domain';
import { Effect, Option } from 'effect';
import {
  ReconciliationStore,
  type ReconciliationWindow,
  type SettlementRecord,
  windowKeyOf,
} from '../ports/reconciliation-store.port';
import { loadTopUp } from '../top-up-change/save-top-up-change.use-case';
import type { AwaitingDecision } from './awaiting-decision';
import { ourAttemptOf } from './our-attempt.mapper';
import { describeProviderFailure, nonStoppingProviderFailure } from './provider-failure.policy';
import { applyAsNotFound, NOT_FOUND_REASON_START } from './settle-phase.use-case';
import { applyAsOperatorDecision, applyAsProviderUpdate, finishSettlement } from './settlement.use-case';

export interface ResumeSettlementsOptions {
  readonly now: Date;
  /** An operator's record younger than this may be a command still running: it is left to it. */
  readonly settleAfterMs: number;
}

/** The record's change applied again as it was meant: an operator's decision, "never received", or a provider's status. */
const finishRecord = (record: SettlementRecord) =>
  Effect.suspend(() => {
    if (record.actor === 'operator') return finishSettlement(record, applyAsOperatorDecision, true);
    if (record.reason.startsWith(NOT_FOUND_REASON_START)) return finishSettlement(record, applyAsNotFound, true);
    return finishSettlement(record, applyAsProviderUpdate, true);
  });

/** The record's attempt waits for a decision (it stays APPLYING: the next run tries again). */
const waitsForDecision = (record: SettlementRecord, reason: string) =>
  loadTopUp(record.topUpId).pipe(
    Effect.map(({ topUp }) => {
      const attempt = findAttempt(
        topUp.attempts,
        record.attemptNumber === undefined ? undefined : { attemptNumber: record.attemptNumber },
      );
      return attempt === undefined
        ? Option.none<AwaitingDecision>()
        : Option.some<AwaitingDecision>({ attempt: ourAttemptOf(topUp, attempt), reason });
    }),
    Effect.catchTag('TopUpNotFound', () => Effect.succeed(Option.none<AwaitingDecision>())),
  );

/**
 * Finishes every settlement still APPLYING (`unfinishedSettlements()`, any
 * window key, operators' too), each with its change applied again
 * (`finishSettlement`, resumed: APPLIED when the top-up stands at its
 * status). A record of another window is finished holding that window's
 * lock, and left to its own run when that run holds it; an operator's
 * record younger than `settleAfterMs` is left to its command. A record whose
 * provider answer cannot be used (a failure that does not stop the run)
 * stays APPLYING and its attempt waits for a decision (answered). Each
 * record is reported with its own window when that window is run.
 */
export const resumeSettlements = (window: ReconciliationWindow, options: ResumeSettlementsOptions) =>
  Effect.gen(function* () {
    const store = yield* ReconciliationStore;
    const ownKey = windowKeyOf(window);
    const unfinished = yield* store.unfinishedSettlements();
    const one = (record: SettlementRecord) => {
      const finished = finishRecord(record).pipe(
        Effect.as(Option.none<AwaitingDecision>()),
        Effect.catchAll((error) => {
          const failure = nonStoppingProviderFailure(error);
          return failure === undefined
            ? Effect.fail(error)
            : waitsForDecision(
                record,
                `a settlement left unfinished could not be completed: ${describeProviderFailure(failure)}`,
              );
        }),
      );
      if (record.windowKey === undefined)
        return record.recordedAt.getTime() <= options.now.getTime() - options.settleAfterMs
          ? finished
          : Effect.succeed(Option.none<AwaitingDecision>());
      if (record.windowKey === ownKey) return finished;
      return store
        .withWindowLock(record.windowKey, finished)
        .pipe(Effect.catchTag('ReconciliationWindowBusy', () => Effect.succeed(Option.none<AwaitingDecision>())));
    };
    const decisions = yield* Effect.forEach(unfinished, one);
    return decisions.flatMap((decision) => Option.toArray(decision));
  });
