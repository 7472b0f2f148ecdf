// The reconciler's store on PostgreSQL: our attempts at a provider read set-based from
// top_ups ⋈ top_up_attempts, the provider's holding per currency, the write-ahead
// settlements and the runs with their reports, for the application's ReconciliationStore port.
import { ReconciliationStore, type ReconciliationStoreService, windowKeyOf } from '@airtime/application';
import { type OurExposure, PersistenceFailure, preciseZero } from '@airtime/domain';
import { Effect, Either, Layer, Option } from 'effect';
import type { DataSource } from 'typeorm';
import { decodeStored, isoOf } from '../shared/codec-support';
import { PreciseMoneyFromJson } from '../shared/money.codec';
import type { Statement } from '../top-ups/top-up.queries';
import { areStorableKeys } from '../shared/text-keys';
import { sql } from '../unit-of-work/sql';
import { heldNeverSentOf } from './held-never-sent.mapper';
import { ourAttemptsOf } from './our-attempt.mapper';
import * as queries from './reconciliation.queries';
import { runOf, windowOf } from './reconciliation-run.mapper';
import { makeWithWindowLock } from './reconciliation-window-lock.adapter';
import { settlementOf, settlementProblem, settlementValuesOf, storableRefusal } from './settlement.mapper';

type Row = Record<string, unknown>;

const refuse = (reason: string) => Effect.fail(new PersistenceFailure({ reason, retryable: false }));

const decodeHolding = decodeStored(PreciseMoneyFromJson);

/**
 * `ReconciliationStore` on PostgreSQL. Every statement joins the current
 * unit of work (see `sql`), so `finishRun` commits with the outbox event the
 * use case appends beside it. Attempts are read in one statement per call
 * (indexed: a day of 10,000 attempts reads in tens of milliseconds);
 * `recordSettlement`, `startRun` and `finishRun` are idempotent (a repeat
 * answers or accepts what is there); a settlement is completed once.
 * Failures are non-retryable `PersistenceFailure`s naming what was refused,
 * or the database's (retryable when it was transient). The reads by a
 * provider id, window key or provider external id holding a NUL find
 * nothing, without a statement (no row can hold one: see text-keys).
 */
export const makeReconciliationStore = (dataSource: DataSource): ReconciliationStoreService => {
  const run = (statement: Statement) => sql<Row>(dataSource, statement.text, statement.parameters);

  const settlements = (statement: Statement) =>
    Effect.flatMap(run(statement), (rows) => Either.all(rows.map(settlementOf)));

  return {
    withWindowLock: makeWithWindowLock(dataSource),

    attemptsStartedIn: (window) =>
      Effect.gen(function* () {
        const { from, to } = yield* windowOf(window);
        if (!areStorableKeys(window.providerId)) return [];
        const rows = yield* run(queries.attemptsStartedIn(window.providerId, from, to));
        return yield* ourAttemptsOf(rows, window.providerId);
      }),

    attemptsByProviderExternalIds: (ids) => {
      const storable = [...new Set(ids)].filter((id) => areStorableKeys(id));
      return storable.length === 0
        ? Effect.succeed([])
        : Effect.flatMap(run(queries.attemptsByProviderExternalIds(storable)), (rows) => ourAttemptsOf(rows));
    },

    nonFinalSince: (providerId, olderThan) =>
      Effect.gen(function* () {
        if (!areStorableKeys(providerId)) return [];
        const rows = yield* run(queries.nonFinalSince(providerId, yield* isoOf(olderThan, 'olderThan')));
        return yield* ourAttemptsOf(rows, providerId);
      }),

    heldNeverSent: (createdBefore) =>
      Effect.gen(function* () {
        const rows = yield* run(queries.heldNeverSent(yield* isoOf(createdBefore, 'createdBefore')));
        return yield* Either.all(rows.map(heldNeverSentOf));
      }),

    holdingAtProvider: (providerId) =>
      Effect.flatMap(
        areStorableKeys(providerId) ? run(queries.holdingAtProvider(providerId)) : Effect.succeed([]),
        (rows) =>
          Either.all(
            rows.map((row) =>
              Either.map(
                decodeHolding(row, `what ${providerId} holds in ${String(row['currency'])}`),
                (holding): OurExposure => ({
                  currency: holding.currency.code,
                  holding,
                  captured: preciseZero(holding.currency),
                }),
              ),
            ),
          ),
      ),

    recordSettlement: (record) =>
      Effect.gen(function* () {
        const problem = settlementProblem(record);
        if (problem !== undefined) return yield* Effect.fail(problem);
        const inserted = yield* settlements(queries.insertSettlement(yield* settlementValuesOf(record)));
        if (inserted[0] !== undefined) return inserted[0];
        // a repeat: the record already there under the same key, whatever its state
        const [existing] = yield* settlements(
          queries.settlementByKey(
            record.windowKey ?? null,
            record.operator ?? null,
            record.topUpId,
            record.attemptNumber ?? null,
            record.toStatus.status,
          ),
        );
        if (existing !== undefined) return existing;
        return yield* refuse(`settlement id ${record.id} is already used by another settlement`);
      }),

    completeSettlement: (id, state, refusal, at) =>
      Effect.gen(function* () {
        const stored = storableRefusal(refusal);
        if (state === 'REFUSED' && stored === null)
          return yield* refuse(`settlement ${id} cannot be completed as REFUSED without saying why`);
        const completed = yield* run(
          queries.completeSettlement(id, state, stored, yield* isoOf(at, 'completion time')),
        );
        if (completed.length > 0) return;
        const [existing] = yield* settlements(queries.settlementById(id));
        if (existing === undefined) return yield* refuse(`settlement ${id} cannot be completed: it was never recorded`);
        // a repeat of the same completion changes nothing
        if (existing.state === state && (existing.refusal ?? null) === stored) return;
        return yield* refuse(`settlement ${id} is completed already (${existing.state}) and is never rewritten`);
      }),

    unfinishedSettlements: (windowKey) =>
      windowKey === undefined || areStorableKeys(windowKey)
        ? settlements(queries.unfinishedSettlements(windowKey ?? null))
        : Effect.succeed([]),

    settlementsOf: (window) =>
      Effect.gen(function* () {
        const { from, to } = yield* windowOf(window);
        if (!areStorableKeys(window.providerId)) return [];
        return yield* settlements(queries.settlementsOf(windowKeyOf(window), window.providerId, from, to));
      }),

    startRun: ({ id, window, startedAt }) =>
      Effect.gen(function* () {
        const { from, to } = yield* windowOf(window);
        const inserted = yield* run(
          queries.insertRun(id, window.providerId, from, to, yield* isoOf(startedAt, 'start of the run')),
        );
        if (inserted.length > 0) return;
        const [row] = yield* run(queries.runById(id));
        const existing = row === undefined ? undefined : yield* runOf(row);
        const same =
          existing !== undefined &&
          existing.window.providerId === window.providerId &&
          existing.window.from.getTime() === window.from.getTime() &&
          existing.window.to.getTime() === window.to.getTime() &&
          existing.startedAt.getTime() === startedAt.getTime();
        if (!same) return yield* refuse(`reconciliation run id ${id} is already used by another run`);
      }),

    finishRun: ({ id, finishedAt, outcome, report, summary }) =>
      Effect.gen(function* () {
        const at = yield* isoOf(finishedAt, 'end of the run');
        const json = JSON.stringify(report);
        const finished = yield* run(queries.finishRun(id, at, outcome, json, summary));
        if (finished.length > 0) return;
        if ((yield* run(queries.finishedAs(id, at, outcome, json, summary))).length > 0) return;
        const exists = (yield* run(queries.runById(id))).length > 0;
        return yield* refuse(
          exists
            ? `reconciliation run ${id} is finished already, otherwise, and is never rewritten`
            : `reconciliation run ${id} cannot be finished: it was never started`,
        );
      }),

    listedAwaitingDecision: ({ providerId, topUpId, attemptNumber }) =>
      Effect.map(
        run(queries.listedAwaitingDecision(providerId, topUpId, attemptNumber)),
        (rows) => rows[0]?.['listed'] === true,
      ),

    latestRun: (window) =>
      Effect.gen(function* () {
        const { from, to } = yield* windowOf(window);
        if (!areStorableKeys(window.providerId)) return Option.none();
        const [row] = yield* run(queries.latestRun(window.providerId, from, to));
        return row === undefined ? Option.none() : Option.some(yield* runOf(row));
      }),
  };
};

export const reconciliationStoreLayer = (dataSource: DataSource) =>
  Layer.succeed(ReconciliationStore, makeReconciliationStore(dataSource));
