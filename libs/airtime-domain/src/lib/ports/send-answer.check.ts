// Holds a provider's answer to a send to what was asked, before it can count
// as anything: the same transaction (external id), the requested currency, a
// positive amount no greater than requested. Every adapter runs its answers
// (send, status query, callback) through these checks; a failure is an
// unknown outcome (`ProviderAnswerMismatch`), settled by a status query or by
// reconciliation, never resent and never captured blindly.
import { Either } from 'effect';
import { comparePrecise, isPositivePrecise, preciseOf, type PreciseMoney } from '../money/precise-money';
import type { ProviderTransaction, SendRequest } from './airtime-provider.port';
import { ProviderAnswerMismatch } from './provider.errors';

/** The answer's field names, as the adapter calls them in its provider's document. */
export interface AnswerFields {
  readonly externalId: string;
  readonly amount: string;
  readonly currency: string;
}

const mismatch = (provider: string, field: string, reason: string) =>
  Either.left(new ProviderAnswerMismatch({ provider, field, reason }));

/**
 * Checks a delivered amount against the requested one: same currency,
 * positive, not above what was asked. A smaller positive amount is accepted
 * (a provider may deliver less, e.g. engageSPARK's chosen amount) and kept
 * exactly as answered.
 */
export const checkDeliveredAmount = (
  provider: string,
  requested: PreciseMoney,
  delivered: PreciseMoney,
  fields: Pick<AnswerFields, 'amount' | 'currency'>,
): Either.Either<PreciseMoney, ProviderAnswerMismatch> => {
  if (delivered.currency.code !== requested.currency.code)
    return mismatch(provider, fields.currency, 'a currency other than the requested one');
  if (!isPositivePrecise(delivered)) return mismatch(provider, fields.amount, 'not a positive amount');
  if (comparePrecise(delivered, requested) === 1)
    return mismatch(provider, fields.amount, 'above the requested amount');
  return Either.right(delivered);
};

/**
 * Checks a transaction the provider reports for one of our sends: it must be
 * the transaction we asked for, and what it delivers must pass
 * `checkDeliveredAmount`. A transaction without a delivered amount passes
 * (the amount is unknown, never replaced by the requested one).
 */
export const checkSendAnswer = (
  provider: string,
  request: Pick<SendRequest, 'providerExternalId' | 'receive'>,
  answer: ProviderTransaction,
  fields: AnswerFields,
): Either.Either<ProviderTransaction, ProviderAnswerMismatch> => {
  if (answer.providerExternalId !== request.providerExternalId)
    return mismatch(provider, fields.externalId, 'an answer about another transaction');
  if (answer.receive === undefined) return Either.right(answer);
  return Either.map(checkDeliveredAmount(provider, preciseOf(request.receive), answer.receive, fields), () => answer);
};
