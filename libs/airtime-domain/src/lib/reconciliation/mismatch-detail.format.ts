// The words of a mismatch's detail, for people: statuses, amounts, ids of
// attempts and transactions; never a phone number nor a secret.
import { preciseOf, comparePrecise, formatPrecise, type PreciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import { isFailureClass, isPendingClass, type TransactionStatus } from '../transaction/transaction-status';
import { isExpectedAbsent, isRefusedBeforeCreation, type OurAttempt } from './reconciliation';

/** "PHP 99.995": the code and every decimal the amount has. */
export const formatAmount = (amount: PreciseMoney): string => `${amount.currency.code} ${formatPrecise(amount)}`;

/** Same currency and exactly the same value (USD 2.1 equals USD 2.100). */
export const samePrecise = (a: PreciseMoney, b: PreciseMoney): boolean => comparePrecise(a, b) === 0;

/** How we recorded an attempt expected absent: "never sent (TIMEOUT_BEFORE_SEND)", "refused by the provider (...)". */
const absenceOf = (ours: OurAttempt): string =>
  `${isRefusedBeforeCreation(ours) ? 'refused by the provider' : 'never sent'} (${ours.failureReason ?? 'failed'})`;

/** Our side in a few words: the attempt, its top-up and what we hold for it. */
export const describeOurs = (ours: OurAttempt): string => {
  const view =
    ours.state === 'InFlight' || ours.state === 'Unknown'
      ? `outcome unknown (${ours.state})`
      : isExpectedAbsent(ours)
        ? absenceOf(ours)
        : ours.status.status;
  return `ours: attempt ${ours.attemptNumber} of top-up ${ours.topUpId}, ${view}, receive ${formatAmount(preciseOf(ours.receive))}, charged ${formatAmount(ours.charged)}`;
};

/** Their side in a few words: the transaction id, its status and the amounts it gave. */
export const describeTheirs = (theirs: ProviderTransaction): string =>
  [
    `provider transaction ${theirs.providerTransactionId} ${theirs.status.status}`,
    ...(theirs.receive === undefined ? [] : [`receive ${formatAmount(theirs.receive)}`]),
    ...(theirs.charged === undefined ? [] : [`charged ${formatAmount(theirs.charged)}`]),
    ...(theirs.createdAt === undefined ? [] : [`created ${theirs.createdAt.toISOString()}`]),
  ].join(', ');

const sameClass = (a: TransactionStatus, b: TransactionStatus): boolean =>
  a.class === b.class || (isPendingClass(a.class) && isPendingClass(b.class));

/**
 * How our status differs from theirs, or undefined when they agree: by class,
 * every pending class (CREATED, CONFIRMED, SUBMITTED) agreeing with the
 * others. An attempt expected absent (never sent, or refused before a
 * transaction was created) agrees with a transaction of a failure class
 * (DECLINED, REJECTED, CANCELLED: nothing was delivered either way) and with
 * no other; an attempt with no answer recorded agrees with none.
 */
export const statusDifference = (ours: OurAttempt, theirs: ProviderTransaction): string | undefined => {
  if (isExpectedAbsent(ours))
    return isFailureClass(theirs.status.class)
      ? undefined
      : `status: we recorded it as ${absenceOf(ours)}, the provider has it ${theirs.status.status}`;
  if (ours.state === 'InFlight' || ours.state === 'Unknown')
    return `status: ours has no answer recorded (${ours.state}), the provider has it ${theirs.status.status}`;
  return sameClass(ours.status, theirs.status)
    ? undefined
    : `status: ours ${ours.status.status}, the provider ${theirs.status.status}`;
};

/** Each amount the provider gave that differs from ours (value or currency), exactly. */
export const amountDifferences = (ours: OurAttempt, theirs: ProviderTransaction): readonly string[] => {
  const differences: string[] = [];
  const receive = preciseOf(ours.receive);
  if (theirs.receive !== undefined && !samePrecise(receive, theirs.receive))
    differences.push(`receive: ours ${formatAmount(receive)}, the provider ${formatAmount(theirs.receive)}`);
  if (theirs.charged !== undefined && !samePrecise(ours.charged, theirs.charged))
    differences.push(`charged: ours ${formatAmount(ours.charged)}, the provider ${formatAmount(theirs.charged)}`);
  return differences;
};
