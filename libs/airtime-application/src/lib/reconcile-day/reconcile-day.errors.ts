// The errors reconcileDay adds.
import { taggedError } from '@airtime/domain';

/** The window names a provider other than the one this process talks to. */
export class ReconcileProviderMismatch extends taggedError('ReconcileProviderMismatch', {
  code: 'RECONCILE_PROVIDER_MISMATCH',
  retryable: false,
})<{
  readonly requested: string;
  readonly configured: string;
}>((e) => `cannot reconcile provider "${e.requested}": this process talks to "${e.configured}"`) {}
