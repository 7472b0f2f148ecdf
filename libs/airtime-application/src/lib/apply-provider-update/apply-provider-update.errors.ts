// The errors applyProviderUpdate adds.
import { taggedError } from '@airtime/domain';

/** A provider update about no top-up of ours (no attempt used its external id, or got its transaction id). */
export class UnknownProviderTransaction extends taggedError('UnknownProviderTransaction', {
  code: 'UNKNOWN_PROVIDER_TRANSACTION',
  retryable: false,
})<{
  readonly provider: string;
}>((e) => `${e.provider} reported on a transaction that matches no top-up`) {}
