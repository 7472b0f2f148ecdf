// The failure of the embedded PostgreSQL server of the first run.
import { taggedError } from '@airtime/domain';

/**
 * The embedded server could not be prepared, started or reached. The reason
 * names the step and, where it helps to fix it, the data folder (an
 * operator's setting); never the password.
 */
export class EmbeddedPostgresFailed extends taggedError('EmbeddedPostgresFailed', {
  code: 'EMBEDDED_POSTGRES_FAILED',
  retryable: false,
})<{ readonly reason: string }>((e) => `the embedded PostgreSQL did not start: ${e.reason}`) {}
