// Closing the reconciliation runs that end without a report: a run that
// failed is finished FAILED with why, and the runs of a window a killed
// process left open are finished FAILED ("abandoned") by the next run of that
// window, so that no run row stays open forever. Outside the application's
// ReconciliationStore port (its finishRun takes a report): the reconciler
// app calls these holding the window's lock (`withWindowLock`), when no run
// of the window can be going.
import type { ReconciliationWindow } from '@airtime/application';
import type { PersistenceFailure } from '@airtime/domain';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import { isoOf } from '../shared/codec-support';
import { sql } from '../unit-of-work/sql';
import * as queries from './reconciliation.queries';
import { windowOf } from './reconciliation-run.mapper';

/** The longest summary of a run closed here, in characters (code points). */
export const MAX_CLOSED_RUN_SUMMARY_LENGTH = 500;

/** The summary of a run found open by a later run of its window. */
export const ABANDONED_RUN_SUMMARY =
  'the run was abandoned: it stopped before it finished (killed, or its process or database connection ended); found open by a later run of its window';

/** C0 and C1 control characters (line feed and tab included: a summary is one line). */
const isControl = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};

/** `text` as one printable line of at most `max` code points (control characters as spaces, cut with "…"). */
const oneLine = (text: string, max: number): string => {
  const printable = [...text].map((character) => (isControl(character) ? ' ' : character)).join('');
  const line = printable.replace(/ {2,}/g, ' ').trim();
  const points = [...line];
  return points.length <= max ? line : `${points.slice(0, max - 1).join('')}…`;
};

export interface FailedRun {
  readonly id: string;
  readonly finishedAt: Date;
  /** Why, for people, without secrets: kept as one line, `the run failed: <reason>`, cut to 500 characters. */
  readonly reason: string;
}

export interface ReconciliationRunCloser {
  /**
   * Finishes the open run `id` FAILED with its reason (no report). Answers
   * false when the run is unknown or finished already (it is never rewritten).
   */
  readonly failRun: (run: FailedRun) => Effect.Effect<boolean, PersistenceFailure>;
  /**
   * Finishes every run of the window still open FAILED as abandoned
   * (ABANDONED_RUN_SUMMARY) at `at`; answers their ids, by start. Call it
   * holding the window's lock: an open run is then a dead one.
   */
  readonly abandonOpenRuns: (
    window: ReconciliationWindow,
    at: Date,
  ) => Effect.Effect<readonly string[], PersistenceFailure>;
}

/** The run closer on PostgreSQL (statements join the current unit of work, as the store's). */
export const makeReconciliationRunCloser = (dataSource: DataSource): ReconciliationRunCloser => ({
  failRun: ({ id, finishedAt, reason }) =>
    Effect.gen(function* () {
      const at = yield* isoOf(finishedAt, 'end of the run');
      const summary = oneLine(`the run failed: ${reason}`, MAX_CLOSED_RUN_SUMMARY_LENGTH);
      const statement = queries.failRun(id, at, summary);
      const closed = yield* sql<Record<string, unknown>>(dataSource, statement.text, statement.parameters);
      return closed.length > 0;
    }),
  abandonOpenRuns: (window, at) =>
    Effect.gen(function* () {
      const { from, to } = yield* windowOf(window);
      const statement = queries.failOpenRuns(
        window.providerId,
        from,
        to,
        yield* isoOf(at, 'the time the runs were found abandoned'),
        ABANDONED_RUN_SUMMARY,
      );
      const closed = yield* sql<{ readonly id: string }>(dataSource, statement.text, statement.parameters);
      return closed.map((row) => row.id);
    }),
});
