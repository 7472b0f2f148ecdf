// The DVS sandbox rules (reference, top): the last three digits of the
// credit party identifier choose the outcome (last digit) and how long the
// transaction takes (first digit: 1 -> 3 s, 2 -> 20 s, 3 -> 5 min). Any
// other number completes, after `defaultDelayMs`.
import type { DetailedStatus } from '@airtime/domain';

export type DelayClass = '10X' | '20X' | '30X';

export interface SandboxOutcome {
  readonly finalStatus: Extract<DetailedStatus, 'COMPLETED' | `DECLINED${string}`>;
  /** A PIN (code and serial) is returned with the completed transaction. */
  readonly pinBased: boolean;
  /** Undefined when the number carries no sandbox suffix. */
  readonly delayClass: DelayClass | undefined;
  /** Simulated time from confirmation to the final status (before the time scale). */
  readonly delayMs: number;
}

export const DELAY_CLASS_MS: Readonly<Record<DelayClass, number>> = {
  '10X': 3_000,
  '20X': 20_000,
  '30X': 300_000,
};

const OUTCOME_BY_DIGIT: readonly { readonly finalStatus: SandboxOutcome['finalStatus']; readonly pinBased: boolean }[] =
  [
    { finalStatus: 'COMPLETED', pinBased: false },
    { finalStatus: 'COMPLETED', pinBased: true },
    { finalStatus: 'DECLINED-INVALID-CREDIT-PARTY', pinBased: false },
    { finalStatus: 'DECLINED-BARRED-CREDIT-PARTY', pinBased: false },
    { finalStatus: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE', pinBased: false },
    { finalStatus: 'DECLINED-DUPLICATED-TRANSACTION', pinBased: false },
    { finalStatus: 'DECLINED', pinBased: false },
    { finalStatus: 'DECLINED-EXCEPTION', pinBased: false },
  ];

const SUFFIX = /([123])0([0-7])$/;

/**
 * The sandbox outcome of a credit party identifier (mobile or account
 * number); `undefined` (no identifier, e.g. a gift card) always completes.
 */
export const sandboxOutcome = (identifier: string | undefined, defaultDelayMs = 0): SandboxOutcome => {
  const match = identifier === undefined ? null : SUFFIX.exec(identifier);
  const outcome = match ? OUTCOME_BY_DIGIT[Number(match[2])] : undefined;
  if (!match || !outcome)
    return { finalStatus: 'COMPLETED', pinBased: false, delayClass: undefined, delayMs: defaultDelayMs };
  const delayClass = `${match[1]}0X` as DelayClass;
  return { ...outcome, delayClass, delayMs: DELAY_CLASS_MS[delayClass] };
};

/**
 * The outcome of a transaction whose operator is under an outage (see
 * `SimulatorEngine.setOperatorOutage`): DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE,
 * no PIN, after the delay `outcome` would have taken.
 */
export const duringOutage = (outcome: SandboxOutcome): SandboxOutcome => ({
  ...outcome,
  finalStatus: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
  pinBased: false,
});
