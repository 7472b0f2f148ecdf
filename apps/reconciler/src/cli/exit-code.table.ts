// The reconciler's exit status per way a run ends: a table, so that the
// scheduler running it (cron, a Kubernetes CronJob) and the README agree
// with the code. 0 and 1 are the two answers of a run that went through;
// 2 says the run was never started (fix the command or the environment);
// 3 says it could not finish (run it again once the provider or the
// database is back: it resumes).

/** How a run of the reconciler ended. */
export type RunEnd = 'MATCHED' | 'MISMATCHES' | 'INVALID' | 'FAILED';

export const EXIT_CODES: Readonly<Record<RunEnd, number>> = {
  /** Everything matches, or was settled. */
  MATCHED: 0,
  /** Mismatches, balance differences or decisions by hand remain: see the report. */
  MISMATCHES: 1,
  /** Bad arguments or configuration: nothing was run. */
  INVALID: 2,
  /** The run failed (provider or database unreachable, a report that could not be written). */
  FAILED: 3,
};

/** The exit status of a run that ended `end`. */
export const exitCodeOf = (end: RunEnd): number => EXIT_CODES[end];
