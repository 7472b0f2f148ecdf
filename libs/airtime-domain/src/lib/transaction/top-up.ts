import { Either } from 'effect';
import { checkAccountId, checkTransactionId } from '../identifier/identifier';
import type { InvalidIdentifier } from '../identifier/identifier.errors';
import type { PhoneNumber } from '../phone/phone-number';
import type { Quote } from '../selector/quote';
import type { Attempt, AttemptFailureReason } from './attempt';
import type { ExternalId } from './external-id';
import { InvalidTopUp } from './top-up.errors';
import { statusOfClass, type TransactionStatus } from './transaction-status';
import type { LedgerMovementKind } from './transaction.machine';

/**
 * Why a top-up ended without delivering: its last attempt's failure, its
 * caller's cancel (`CANCELLED`), or its hold refused for funds before any
 * attempt (`INSUFFICIENT_FUNDS`, never retried: a repeat of the request gets
 * the same answer). None but an attempt's retryable failures is retried.
 */
export type TopUpFailureReason = AttemptFailureReason | 'CANCELLED' | 'INSUFFICIENT_FUNDS';

/** Why a top-up ended without delivering. */
export interface TopUpFailure {
  readonly reason: TopUpFailureReason;
  /** True when a retryable failure ran out of attempts. */
  readonly attemptsExhausted: boolean;
  readonly detail?: string | undefined;
}

/** A request to send a quote's value to a phone, with its provider attempts. */
export interface TopUp {
  readonly id: string;
  readonly accountId: string;
  /** The caller's idempotency key; ledger hold and provider ids derive from it. */
  readonly externalId: ExternalId;
  readonly destination: PhoneNumber;
  readonly quote: Quote;
  /**
   * The top-up's own status, that of its latest attempt: CREATED until the
   * provider reports on it and again while a retry is scheduled after a
   * retryable failure; the attempt's pending status while the provider
   * holds it; then final. A final status stays (only COMPLETED -> REVERSED,
   * or a detail of the same class that takes precedence). The same provider
   * events give the same status in any order (see `reportAttemptStatus`).
   */
  readonly status: TransactionStatus;
  readonly attempts: readonly Attempt[];
  /**
   * When a scheduled retry is due: the latest of the schedule and every
   * not-before known for the latest attempt, whatever the order they came
   * in; kept while the provider holds that attempt (no attempt starts before
   * it settles); `undefined` when none is known and once the top-up is final.
   */
  readonly nextAttemptAt: Date | undefined;
  /** The last attempt's outcome is unknown: the provider must be asked by external id. */
  readonly awaitingStatusQuery: boolean;
  readonly failureReason: TopUpFailure | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A top-up after a change, and the ledger movements that change implies, in order. */
export interface TopUpChange {
  readonly topUp: TopUp;
  readonly movements: readonly LedgerMovementKind[];
}

export interface NewTopUp {
  readonly id: string;
  readonly accountId: string;
  readonly externalId: ExternalId;
  readonly destination: PhoneNumber;
  readonly quote: Quote;
  readonly now: Date;
}

/**
 * A new top-up in CREATED: the quote's cost is to be authorized (held).
 * `InvalidIdentifier` (kind TRANSACTION_ID or ACCOUNT_ID, naming the problem,
 * never the value) for an id or account id that breaks the identifier rule
 * the store also holds it to (empty, blank, too long, a control or bidi
 * character...: see `checkIdentifier`). `InvalidTopUp` for a quote that
 * costs or delivers nothing, and for a destination whose country is not the
 * country of the quoted product's operator (a Kenyan product is never sent
 * to a Tanzanian number).
 */
export const createTopUp = (input: NewTopUp): Either.Either<TopUpChange, InvalidTopUp | InvalidIdentifier> => {
  const id = checkTransactionId(input.id);
  if (Either.isLeft(id)) return Either.left(id.left);
  const accountId = checkAccountId(input.accountId);
  if (Either.isLeft(accountId)) return Either.left(accountId.left);
  const refuse = (reason: string) => Either.left(new InvalidTopUp({ topUpId: input.id, reason }));
  if (input.quote.cost.amountMinor <= 0n) return refuse('the quote has no cost to hold');
  if (input.quote.receive.amountMinor <= 0n) return refuse('the quote delivers nothing');
  if (input.destination.countryIso !== input.quote.product.operator.countryIso)
    return refuse("the destination is not a number of the product operator's country");
  const topUp: TopUp = {
    id: input.id,
    accountId: input.accountId,
    externalId: input.externalId,
    destination: input.destination,
    quote: input.quote,
    status: statusOfClass('CREATED'),
    attempts: [],
    nextAttemptAt: undefined,
    awaitingStatusQuery: false,
    failureReason: undefined,
    createdAt: input.now,
    updatedAt: input.now,
  };
  return Either.right({ topUp, movements: ['AUTHORIZE'] });
};

export const lastAttemptOf = (topUp: TopUp): Attempt | undefined => topUp.attempts[topUp.attempts.length - 1];
