// Plan the resend of a failed top-up of one of the caller's accounts: the
// new top-up's request (the same request under a derived external id, its
// metadata naming the top-up it resends) and its quote now. Nothing is held
// or stored: the caller confirms, then submits `input` as any request.
import type { PersistenceFailure, Quote, TopUp, TopUpRepository } from '@airtime/domain';
import { Effect, Schema } from 'effect';
import type { InvalidInput } from '../api-access/api-access.errors';
import type { ScopedRequest } from '../api-access/api-principal';
import type { FindTopUpInputJson } from '../find-top-up/find-top-up.input';
import { findTopUp } from '../find-top-up/find-top-up.use-case';
import type { CallbackDeliveryStore } from '../ports/callback-deliveries.port';
import type { ProviderCatalogue } from '../ports/provider-catalogue.port';
import type { TopUpQueries } from '../ports/top-up-queries.port';
import type { StoredTopUpRequest, TopUpRequestStore } from '../ports/top-up-requests.port';
import type { InvalidTopUpRequest } from '../quote-top-up/quote-top-up.errors';
import { type QuoteError, quoteFor } from '../quote-top-up/quote-top-up.use-case';
import { decodeRequest } from '../quote-top-up/top-up-request.check';
import { checkTopUpRequest, type TopUpRequestRules } from '../request-top-up/request-top-up.check';
import type { CallbackSecretMissing } from '../request-top-up/request-top-up.errors';
import { RequestTopUpInput, type RequestTopUpInputJson } from '../request-top-up/request-top-up.input';
import { checkCallbackSecret } from '../request-top-up/request-top-up.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';
import { TopUpNotResendable } from './plan-resend-for.errors';
import { resendFamilyOf, resendRefusalOf } from './resend-family.use-case';
import { RESEND_OF_KEY, resendExternalIdFor } from './resend.policy';

/** A resend, planned: what to request, and what it would send now. */
export interface ResendPlan {
  /** The top-up asked for (failed for certain). */
  readonly original: TopUp;
  /**
   * The top-up the resend resends: `original`, or, when `original` is itself
   * a resend, the top-up it resends (a resend always names the first of its family).
   */
  readonly resendOf: TopUp;
  /** 1, 2, ...: one more than the resends of `resendOf` already made. */
  readonly resendNumber: number;
  /** The resend's external id: `resendExternalIdFor(resendOf.externalId, resendNumber)`. */
  readonly externalId: string;
  /**
   * The request of the resend, as `RequestTopUpInput` JSON (snake_case, with
   * `external_id` and `account_id`): `resendOf`'s request (number, currency,
   * amounts, product, exact amount, callback URL) with `externalId` and
   * metadata `{ ...its metadata, resend_of: resendOf.id }`. Submitting it
   * twice is one request repeated (the same key and body): one top-up.
   */
  readonly input: RequestTopUpInputJson;
  /** What `input` would be quoted now (requestTopUp quotes it again when it is submitted). */
  readonly quote: Quote;
}

export type PlanResendForError =
  | InvalidInput
  | TopUpNotFound
  | TopUpNotResendable
  | InvalidTopUpRequest
  | CallbackSecretMissing
  | QuoteError
  | PersistenceFailure;

export type PlanResendForServices =
  TopUpRepository | TopUpRequestStore | TopUpQueries | ProviderCatalogue | CallbackDeliveryStore;

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const encodeInput = Schema.encodeSync(RequestTopUpInput);

/** The request fields of a stored request that a resend repeats, as stored (canonical), and the resend's own. */
const resendRequestOf = (
  resendOf: TopUp,
  stored: StoredTopUpRequest,
  externalId: string,
): Readonly<Record<string, unknown>> => {
  const request = stored.request;
  const repeated = ['currency', 'max_amount', 'desired_amount', 'product_id', 'exact_amount', 'callback_url'] as const;
  const metadata = request['metadata'];
  return {
    external_id: externalId,
    account_id: resendOf.accountId,
    phone_number: resendOf.destination.e164,
    ...Object.fromEntries(repeated.filter((field) => request[field] !== undefined).map((f) => [f, request[f]])),
    metadata: { ...(isObject(metadata) ? metadata : {}), [RESEND_OF_KEY]: resendOf.id },
  };
};

/**
 * Plans the resend of the top-up `topUpId` of one of the principal's
 * accounts (`TopUpNotFound` otherwise, as `findTopUp`). Refused with
 * `TopUpNotResendable`: `status` unless it failed for certain (DECLINED,
 * REJECTED or CANCELLED, every attempt settled: never a top-up that is
 * created, pending, of unknown outcome, completed or reversed);
 * `already-resent` while a top-up of its family did not fail for certain
 * (no second live resend of one failure), naming it; `settled-by-hand` when
 * a top-up of its family was settled as failed by an operator, naming it
 * (the provider may still have delivered it). Otherwise the plan
 * (see `ResendPlan`), its request checked and quoted as `requestTopUp` would
 * (`rules` as the deployment's; `InvalidTopUpRequest` naming the field, e.g.
 * `metadata` grown past its limit by `resend_of`; `CallbackSecretMissing`
 * for a callback URL of an account with no callback signing secret, a
 * top-up taken before such requests were refused; the quote's errors as
 * they are). To do it, submit `plan.input` as the API submits any request;
 * the same confirmation submitted again is a repeat of that request (the
 * same top-up), and a second plan once it exists is `already-resent`.
 */
export const planResendFor = (
  request: ScopedRequest<FindTopUpInputJson>,
  rules: TopUpRequestRules = {},
): Effect.Effect<ResendPlan, PlanResendForError, PlanResendForServices> =>
  Effect.gen(function* () {
    const found = yield* findTopUp(request);
    const original = found.topUp;
    const family = yield* resendFamilyOf(original, found.request);
    const refusal = resendRefusalOf(original, family);
    if (refusal !== undefined)
      return yield* new TopUpNotResendable(
        refusal.reason === 'status'
          ? { topUpId: original.id, reason: 'status', statusClass: refusal.statusClass }
          : refusal.reason === 'already-resent'
            ? { topUpId: original.id, reason: 'already-resent', liveTopUpId: refusal.liveTopUpId }
            : { topUpId: original.id, reason: 'settled-by-hand', settledTopUpId: refusal.settledTopUpId },
      );
    const resendOf = family.original;
    const resendNumber = family.resends.length + 1;
    const externalId = resendExternalIdFor(resendOf.externalId, resendNumber);
    const decoded = yield* decodeRequest(RequestTopUpInput)(
      resendRequestOf(resendOf, family.originalRequest, externalId),
    );
    const checked = yield* checkTopUpRequest(decoded, rules);
    yield* checkCallbackSecret(checked);
    const quote = yield* quoteFor(checked.quote);
    return { original, resendOf, resendNumber, externalId, input: encodeInput(decoded), quote };
  });
