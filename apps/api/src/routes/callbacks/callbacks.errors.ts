// The errors the provider callback routes add: a callback about nothing of ours.
import { taggedError } from '@airtime/domain';

/**
 * A provider callback whose token names no top-up, or whose transaction is
 * not one of that top-up's attempts (or, for a provider without tokens, no
 * attempt of ours at all): answered 404, never saying which part did not match.
 */
export class UnknownCallback extends taggedError('UnknownCallback', { code: 'UNKNOWN_CALLBACK', retryable: false })<{
  readonly provider: string;
}>((e) => `this ${e.provider} callback matches no top-up`) {}

/**
 * A provider callback whose status cannot follow the top-up's (a decline
 * after a completion): nothing applied, answered 409 (the provider retries,
 * then it is left to reconciliation).
 */
export class CallbackConflict extends taggedError('CallbackConflict', { code: 'CALLBACK_CONFLICT', retryable: false })<{
  readonly provider: string;
}>((e) => `this ${e.provider} callback's status cannot follow the top-up's`) {}
