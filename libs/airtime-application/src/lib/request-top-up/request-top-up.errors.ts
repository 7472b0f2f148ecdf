// The errors requestTopUp adds to those of quoting.
import { taggedError } from '@airtime/domain';

/**
 * The account already used this external id for a request that differs:
 * `field` is the first field that differs (in the input's spelling), never
 * either value. A repeat with the same payload is not an error: it answers
 * the existing top-up.
 */
export class ExternalIdConflict extends taggedError('ExternalIdConflict', {
  code: 'EXTERNAL_ID_CONFLICT',
  retryable: false,
})<{
  readonly field: string;
}>((e) => `the external id was already used for a request that differs at ${e.field}`) {}
