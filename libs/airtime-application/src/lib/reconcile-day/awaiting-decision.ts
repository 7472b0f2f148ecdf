// A top-up the reconciler cannot settle by asking the provider: an operator
// decides (`settleTopUpByHand`), with the reason it waits.
import type { OurAttempt } from '@airtime/domain';

export interface AwaitingDecision {
  /** The top-up's last attempt at the provider. */
  readonly attempt: OurAttempt;
  /** Why it waits, for people. */
  readonly reason: string;
}

/** The admin command that settles a top-up by hand, with placeholders for the status and the reason. */
export const settleCommandFor = (topUpId: string): string =>
  `npm run admin -- top-up settle ${topUpId} --status <STATUS> --reason "<why>"`;
