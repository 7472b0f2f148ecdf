// The reconciliation store over the in-memory database: attempts read from
// its top-ups, and the settlements and runs kept beside its tables (in the
// same state value, so a unit of work commits or rolls them back with the
// rest), with the keys the SQL tables hold; window locks are a set of the
// keys held.
import { currencyOf, isFinalClass, money } from '@airtime/domain';
import { Effect, Either, Layer, Option } from 'effect';
import { ReconciliationWindowBusy } from '../lib/ports/reconciliation-store.errors';
import {
  type HeldNeverSent,
  ReconciliationStore,
  type ReconciliationStoreService,
  type ReconciliationWindow,
  type SettlementRecord,
  type StoredRun,
  windowKeyOf,
} from '../lib/ports/reconciliation-store.port';
import { holdingOf, ourAttemptsOf } from '../lib/reconcile-day/our-attempt.mapper';
import type { InMemoryDatabase, Tables } from './in-memory-database.fake';

/** The reconciler's rows: settlements and runs, in insertion order. */
export interface ReconciliationTables {
  readonly settlements: readonly SettlementRecord[];
  readonly runs: readonly StoredRun[];
}

const emptyReconciliationTables: ReconciliationTables = { settlements: [], runs: [] };

/** The database's tables with the reconciler's rows riding along (absent until the first write). */
type WithReconciliation = Tables & { readonly reconciliation?: ReconciliationTables };

/** The reconciler's rows kept beside the tables (none before the first write). */
export const rowsOf = (tables: Tables): ReconciliationTables =>
  (tables as WithReconciliation).reconciliation ?? emptyReconciliationTables;

const withRows = (tables: Tables, rows: ReconciliationTables): Tables =>
  ({
    ...tables,
    reconciliation: rows,
  }) as WithReconciliation;

const allAttempts = (tables: Tables) => [...tables.topUps.values()].flatMap(({ topUp }) => ourAttemptsOf(topUp));

const inWindow = (date: Date, window: ReconciliationWindow): boolean =>
  date.getTime() >= window.from.getTime() && date.getTime() < window.to.getTime();

const sameWindow = (a: ReconciliationWindow, b: ReconciliationWindow): boolean =>
  a.providerId === b.providerId && a.from.getTime() === b.from.getTime() && a.to.getTime() === b.to.getTime();

/** The key the store keeps unique: the window (or the operator), the top-up, the attempt and the status settled to. */
const settlementKey = (record: SettlementRecord): string =>
  JSON.stringify([
    record.windowKey ?? `operator:${record.operator ?? ''}`,
    record.topUpId,
    record.attemptNumber ?? 0,
    record.toStatus.status,
  ]);

const byRecording = (a: SettlementRecord, b: SettlementRecord): number =>
  a.recordedAt.getTime() - b.recordedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Runs by start, then id (as PostgreSQL orders them with `id COLLATE "C"`). */
const byStart = (a: StoredRun, b: StoredRun): number =>
  a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface InMemoryReconciliationStore extends ReconciliationStoreService {
  /** Every settlement recorded, in insertion order. */
  readonly settlements: () => readonly SettlementRecord[];
  /** Every run, in insertion order. */
  readonly runs: () => readonly StoredRun[];
}

export const makeInMemoryReconciliationStore = (database: InMemoryDatabase): InMemoryReconciliationStore => {
  const change = (edit: (rows: ReconciliationTables) => ReconciliationTables): Effect.Effect<void> =>
    database.update((tables) => [undefined, withRows(tables, edit(rowsOf(tables)))] as const);
  const heldLocks = new Set<string>();

  return {
    withWindowLock: (windowKey, work) =>
      Effect.acquireUseRelease(
        Effect.suspend(() => {
          if (heldLocks.has(windowKey)) return Effect.fail(new ReconciliationWindowBusy({ windowKey }));
          heldLocks.add(windowKey);
          return Effect.void;
        }),
        () => work,
        () => Effect.sync(() => heldLocks.delete(windowKey)),
      ),
    attemptsStartedIn: (window) =>
      database.read((tables) =>
        allAttempts(tables).filter(
          (attempt) => attempt.providerId === window.providerId && inWindow(attempt.startedAt, window),
        ),
      ),
    attemptsByProviderExternalIds: (ids) =>
      database.read((tables) => {
        const wanted = new Set(ids);
        return allAttempts(tables).filter((attempt) => wanted.has(attempt.providerExternalId));
      }),
    nonFinalSince: (providerId, olderThan) =>
      database.read((tables) =>
        [...tables.topUps.values()]
          .flatMap(({ topUp }) => ourAttemptsOf(topUp).filter((attempt) => attempt.isLastAttempt))
          .filter(
            (attempt) =>
              attempt.providerId === providerId &&
              attempt.startedAt.getTime() <= olderThan.getTime() &&
              !isFinalClass(attempt.topUpStatus.class),
          )
          .sort(
            (a, b) =>
              a.startedAt.getTime() - b.startedAt.getTime() ||
              (a.topUpId < b.topUpId ? -1 : a.topUpId > b.topUpId ? 1 : 0),
          ),
      ),
    heldNeverSent: (createdBefore) =>
      database.read((tables) =>
        [...tables.topUps.values()]
          .flatMap(({ topUp }): HeldNeverSent[] => {
            const hold = tables.ledger.holds.get(topUp.id);
            if (
              topUp.attempts.length > 0 ||
              isFinalClass(topUp.status.class) ||
              topUp.createdAt.getTime() >= createdBefore.getTime() ||
              hold === undefined ||
              hold.settlement !== undefined
            )
              return [];
            const currency = currencyOf(hold.currency);
            return Either.isLeft(currency)
              ? []
              : [
                  {
                    topUpId: topUp.id,
                    accountId: topUp.accountId,
                    externalId: topUp.externalId,
                    status: topUp.status,
                    createdAt: topUp.createdAt,
                    held: money(hold.amountMinor, currency.right),
                  },
                ];
          })
          .sort(
            (a, b) =>
              a.createdAt.getTime() - b.createdAt.getTime() ||
              (a.topUpId < b.topUpId ? -1 : a.topUpId > b.topUpId ? 1 : 0),
          ),
      ),
    holdingAtProvider: (providerId) => database.read((tables) => holdingOf(allAttempts(tables), providerId)),
    recordSettlement: (record) =>
      database.update((tables) => {
        const rows = rowsOf(tables);
        const existing = rows.settlements.find((stored) => settlementKey(stored) === settlementKey(record));
        if (existing !== undefined) return [existing, tables] as const;
        const recorded: SettlementRecord = { ...record, state: 'APPLYING', refusal: undefined, completedAt: undefined };
        return [recorded, withRows(tables, { ...rows, settlements: [...rows.settlements, recorded] })] as const;
      }),
    completeSettlement: (id, state, refusal, at) =>
      change((rows) => ({
        ...rows,
        settlements: rows.settlements.map((stored) =>
          stored.id === id && stored.state === 'APPLYING' ? { ...stored, state, refusal, completedAt: at } : stored,
        ),
      })),
    unfinishedSettlements: (windowKey) =>
      database.read((tables) =>
        rowsOf(tables)
          .settlements.filter(
            (stored) => (windowKey === undefined || stored.windowKey === windowKey) && stored.state === 'APPLYING',
          )
          .sort(byRecording),
      ),
    settlementsOf: (window) =>
      database.read((tables) => {
        const key = windowKeyOf(window);
        const topUpsOfWindow = new Set(
          allAttempts(tables)
            .filter((attempt) => attempt.providerId === window.providerId && inWindow(attempt.startedAt, window))
            .map((attempt) => attempt.topUpId),
        );
        return rowsOf(tables)
          .settlements.filter((stored) =>
            stored.actor === 'reconciler' ? stored.windowKey === key : topUpsOfWindow.has(stored.topUpId),
          )
          .sort(byRecording);
      }),
    startRun: (run) =>
      change((rows) => ({
        ...rows,
        runs: [
          ...rows.runs,
          { ...run, finishedAt: undefined, outcome: undefined, report: undefined, summary: undefined },
        ],
      })),
    finishRun: (run) =>
      change((rows) => ({
        ...rows,
        runs: rows.runs.map((stored) =>
          stored.id === run.id
            ? { ...stored, finishedAt: run.finishedAt, outcome: run.outcome, report: run.report, summary: run.summary }
            : stored,
        ),
      })),
    listedAwaitingDecision: ({ providerId, topUpId, attemptNumber }) =>
      database.read((tables) => {
        const latest = rowsOf(tables)
          .runs.filter(
            (stored) =>
              stored.window.providerId === providerId && stored.finishedAt !== undefined && stored.report !== undefined,
          )
          .reduce<StoredRun | undefined>(
            (sofar, stored) => (sofar === undefined || byStart(stored, sofar) > 0 ? stored : sofar),
            undefined,
          );
        return (
          latest?.report?.awaitingDecision.some(
            (awaiting) => awaiting.topUpId === topUpId && awaiting.attemptNumber === attemptNumber,
          ) ?? false
        );
      }),
    latestRun: (window) =>
      database.read((tables) =>
        Option.fromNullable(
          rowsOf(tables)
            .runs.filter((stored) => sameWindow(stored.window, window))
            .reduce<StoredRun | undefined>(
              (latest, stored) =>
                latest === undefined || stored.startedAt.getTime() >= latest.startedAt.getTime() ? stored : latest,
              undefined,
            ),
        ),
      ),
    settlements: () => rowsOf(database.tables()).settlements,
    runs: () => rowsOf(database.tables()).runs,
  };
};

export const inMemoryReconciliationStoreLayer = (
  store: InMemoryReconciliationStore,
): Layer.Layer<ReconciliationStore> => Layer.succeed(ReconciliationStore, store);
