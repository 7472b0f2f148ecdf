// A top-up whose hold the ledger refused for funds: REJECTED with its refusal,
// stored under the caller's key so that every repeat gets the same answer.
import { type InsufficientFunds, type TopUp, type TopUpChange, transactionStatus } from '@airtime/domain';

/**
 * The new top-up as REJECTED (REJECTED-INSUFFICIENT-BALANCE): nothing was
 * held, so no movement follows. The domain has no failure reason of its own
 * for a refused hold yet: it is recorded as INVALID_REQUEST with the detail.
 */
export const rejectedForFunds = (topUp: TopUp, refusal: InsufficientFunds): TopUpChange => ({
  topUp: {
    ...topUp,
    status: transactionStatus('REJECTED-INSUFFICIENT-BALANCE'),
    nextAttemptAt: undefined,
    failureReason: {
      reason: 'INVALID_REQUEST',
      attemptsExhausted: false,
      detail: `insufficient funds: the ${refusal.currency} account cannot hold the cost`,
    },
  },
  movements: [],
});
