// The refusal of `npm start`'s demo account: the id it would use is taken
// by an account npm start did not open.
import { taggedError } from '@airtime/domain';

/**
 * The account `START_DEMO_ACCOUNT` names (default `demo`) exists under
 * another name than npm start's demo account: someone else opened it, so
 * npm start neither funds it nor issues a key for it (it changes nothing).
 */
export class DemoAccountTaken extends taggedError('DemoAccountTaken', {
  code: 'DEMO_ACCOUNT_TAKEN',
  retryable: false,
})(
  () =>
    'an account npm start did not open already has the demo account id; nothing was changed: ' +
    'set START_DEMO_ACCOUNT to an unused account id (default demo)',
) {}
