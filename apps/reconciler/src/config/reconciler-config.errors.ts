// The error of a reconciler configuration that cannot run.
import { taggedError } from '@airtime/domain';

/** One or more environment variables are missing or bad; the reason names each variable and what it expects, never its value. */
export class InvalidReconcilerConfig extends taggedError('InvalidReconcilerConfig', {
  code: 'INVALID_RECONCILER_CONFIG',
  retryable: false,
})<{ readonly problems: readonly string[] }>((e) => `invalid reconciler configuration: ${e.problems.join('; ')}`) {}
