// The reconciler's exit status per way a run ends: a table, so that the
// scheduler running it (cron, a Kubernetes CronJob) and the README agree
// with the code. 0 and 1 are the answers of a run that went through (1: look
// at the report, something was not found matching or could not be
// verified); 2 says the run was never started, or the provider refused our
// credentials (fix the command or the environment); 3 says it did not
// finish, or did not start because another run of the window was going (run
// it again later: it resumes).
import {
  InvalidInput,
  ReconcileProviderMismatch,
  ReconciliationWindowBusy,
  refusesOurCredentials,
} from '@airtime/application';

/** How a run of the reconciler ended. */
export type RunEnd = 'MATCHED' | 'MISMATCHES' | 'UNVERIFIED' | 'INVALID' | 'CREDENTIALS' | 'BUSY' | 'FAILED';

export const EXIT_CODES: Readonly<Record<RunEnd, number>> = {
  /** Everything matches, or was settled. */
  MATCHED: 0,
  /** Mismatches, balance differences or decisions by hand remain: see the report. */
  MISMATCHES: 1,
  /** The provider cannot list its transactions, so the day was not matched: reconcile it as the report says. */
  UNVERIFIED: 1,
  /** Bad arguments, configuration or input: nothing was run. */
  INVALID: 2,
  /** The provider refused our credentials (HTTP 401/403): configuration; running it again changes nothing. */
  CREDENTIALS: 2,
  /** Another run of the same window is in progress: nothing was done; run it again when that one ends. */
  BUSY: 3,
  /** The run failed (provider or database unreachable, a report that could not be written). */
  FAILED: 3,
};

/** The exit status of a run that ended `end`. */
export const exitCodeOf = (end: RunEnd): number => EXIT_CODES[end];

/** The variables holding each provider's credentials, as the line of a refusal names them. */
export const CREDENTIAL_VARIABLES: Readonly<Record<string, string>> = {
  dtone: 'DTONE_API_KEY/DTONE_API_SECRET',
  africastalking: 'AFRICASTALKING_USERNAME/AFRICASTALKING_API_KEY',
  engagespark: 'ENGAGESPARK_ORG_ID/ENGAGESPARK_TOKEN',
};

/**
 * How a run that failed with `error` ended: INVALID for the input refused
 * (InvalidInput, ReconcileProviderMismatch: nothing was run), CREDENTIALS
 * when the provider refused our credentials (a configuration to fix: exit 2),
 * BUSY when another run holds the window (ReconciliationWindowBusy: nothing
 * was done), FAILED for anything else (provider, database, a defect).
 */
export const endOfFailure = (error: unknown): Extract<RunEnd, 'INVALID' | 'CREDENTIALS' | 'BUSY' | 'FAILED'> => {
  if (error instanceof InvalidInput || error instanceof ReconcileProviderMismatch) return 'INVALID';
  if (refusesOurCredentials(error)) return 'CREDENTIALS';
  if (error instanceof ReconciliationWindowBusy) return 'BUSY';
  return 'FAILED';
};
