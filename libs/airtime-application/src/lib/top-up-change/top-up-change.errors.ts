// The errors of reading and changing a stored top-up.
import { taggedError } from '@airtime/domain';

/** No top-up with this id (or not one of the caller's account). */
export class TopUpNotFound extends taggedError('TopUpNotFound', { code: 'TOP_UP_NOT_FOUND', retryable: false })<{
  readonly topUpId: string;
}>((e) => `no top-up "${e.topUpId}"`) {}
