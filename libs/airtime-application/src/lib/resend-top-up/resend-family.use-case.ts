// A top-up's resend family: the original intent (the top-up a resend
// resends, else the top-up itself) and every resend of it. A resend always
// resends the original, never a resend, so that one failure has at most one
// live resend whichever member of its family the console resends from.
import { PersistenceFailure, type TopUp, TopUpRepository, type TransactionClass } from '@airtime/domain';
import { Effect, Option } from 'effect';
import { TopUpQueries } from '../ports/top-up-queries.port';
import { type StoredTopUpRequest, TopUpRequestStore } from '../ports/top-up-requests.port';
import { failedForCertain, resendOfRequest } from './resend.policy';

/** A top-up's family as it stands. */
export interface ResendFamily {
  /** The top-up this one resends: the one its request's `resend_of` names, when of the same account. */
  readonly resendOf: Option.Option<TopUp>;
  /** The original: what a resend of this top-up resends (`resendOf`, else the top-up itself). */
  readonly original: TopUp;
  /** The original's stored request (what a resend repeats). */
  readonly originalRequest: StoredTopUpRequest;
  /** The resends of the original already made, newest first. */
  readonly resends: readonly TopUp[];
  /** The members of the family (the original, its resends) an operator settled by hand to a failed class. */
  readonly settledByHand: ReadonlySet<string>;
}

/** Why a top-up may not be resent now. */
export type ResendRefusal =
  /** It did not fail for certain (see `failedForCertain`): its class, as it is. */
  | { readonly reason: 'status'; readonly statusClass: TransactionClass }
  /**
   * Its family already has a top-up that did not fail for certain (created,
   * pending, of unknown outcome, completed or reversed): that one.
   */
  | { readonly reason: 'already-resent'; readonly liveTopUpId: string }
  /**
   * A member of its family was settled as failed by an operator's hand
   * (`settleTopUpByHand`), not by the provider's answer: the provider may
   * still have delivered it, so a resend could deliver twice. That member.
   */
  | { readonly reason: 'settled-by-hand'; readonly settledTopUpId: string };

const missingRequest = (topUpId: string) =>
  new PersistenceFailure({ reason: `top-up ${topUpId} has no stored request`, retryable: false });

/**
 * The family of `topUp`, whose stored request is `request`. The top-up its
 * request's metadata names in `resend_of` counts only when it is another
 * top-up of the same account (metadata is the caller's own, so a link into
 * another account, or to nothing, is ignored); one level is followed, as
 * every resend names its original. A top-up stored without its request is a
 * `PersistenceFailure`.
 */
export const resendFamilyOf = (
  topUp: TopUp,
  request: StoredTopUpRequest,
): Effect.Effect<ResendFamily, PersistenceFailure, TopUpRepository | TopUpRequestStore | TopUpQueries> =>
  Effect.gen(function* () {
    const named = resendOfRequest(request.request);
    const found =
      named === undefined || named === topUp.id
        ? Option.none()
        : yield* Effect.flatMap(TopUpRepository, (repository) => repository.findById(named));
    const resendOf = Option.filter(
      Option.map(found, (stored) => stored.topUp),
      (original) => original.accountId === topUp.accountId,
    );
    const original = Option.getOrElse(resendOf, () => topUp);
    const originalRequest = Option.isNone(resendOf)
      ? request
      : Option.getOrUndefined(
          yield* Effect.flatMap(TopUpRequestStore, (requests) => requests.findByTopUpId(original.id)),
        );
    if (originalRequest === undefined) return yield* missingRequest(original.id);
    const queries = yield* TopUpQueries;
    const resends = yield* queries.resendsOf(original.accountId, original.id);
    const settledByHand = yield* queries.settledByHand([original.id, ...resends.map((resend) => resend.id)]);
    return { resendOf, original, originalRequest, resends, settledByHand };
  });

/**
 * Why `topUp` may not be resent, given its family, or undefined when it
 * may: it must have failed for certain (`status`), and so must every
 * member of its family, the resends (newest first) then the original
 * (`already-resent`, naming the first that did not); and none of them may
 * have been settled as failed by hand (`settled-by-hand`, naming it).
 */
export const resendRefusalOf = (topUp: TopUp, family: ResendFamily): ResendRefusal | undefined => {
  if (!failedForCertain(topUp)) return { reason: 'status', statusClass: topUp.status.class };
  const members = [...family.resends, family.original];
  const live = members.find((member) => !failedForCertain(member));
  if (live !== undefined) return { reason: 'already-resent', liveTopUpId: live.id };
  const byHand = members.find((member) => family.settledByHand.has(member.id));
  return byHand === undefined ? undefined : { reason: 'settled-by-hand', settledTopUpId: byHand.id };
};
