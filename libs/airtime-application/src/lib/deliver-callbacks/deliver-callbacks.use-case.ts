// The caller's callbacks: each due delivery (a top-up's final event owed to
// the callback URL of its request) is POSTed with the body signed by the
// account's secret over the time of the try and the body (callback-signature.ts),
// and the try is recorded: delivered on a 2xx, else tried again on the backoff
// policy, then abandoned. Deliveries are claimed (locked) for the run, so two
// dispatchers never POST the same one at once.
import { Clock, type PersistenceFailure, UnitOfWork } from '@airtime/domain';
import { Effect, Option } from 'effect';
import {
  CALLBACK_SIGNATURE_HEADER,
  type CallbackDelivery,
  CallbackDeliveryStore,
  CallbackSender,
  type CallbackTry,
} from '../ports/callback-deliveries.port';
import { nextCallbackTryAt } from './callback-retry.policy';
import { callbackSignatureHeader } from './callback-signature';

/** The event id header: the same on every try of a delivery, so callers can dedupe. */
export const CALLBACK_EVENT_ID_HEADER = 'X-Airtime-Event-Id';

/** How many POSTs of one run are in flight at once. */
export const CALLBACK_CONCURRENCY = 16;

export interface DeliverCallbacksOptions {
  /** The most deliveries claimed by one run. */
  readonly batchSize: number;
}

/** What one run did. */
export interface DeliverCallbacksReport {
  readonly claimed: number;
  readonly delivered: number;
  /** Failed tries that will be tried again. */
  readonly failed: number;
  /** Deliveries given up: out of tries, or no signing secret for the account. */
  readonly abandoned: number;
}

/**
 * The headers of a try made at `at` (Content-Type is the sender's): the
 * signature `t=<unix seconds>,v1=<hex>` and the event id.
 */
export const callbackHeaders = (
  delivery: Pick<CallbackDelivery, 'eventId' | 'body'>,
  secret: string,
  at: Date,
): Readonly<Record<string, string>> => ({
  [CALLBACK_SIGNATURE_HEADER]: callbackSignatureHeader(secret, delivery.body, at),
  [CALLBACK_EVENT_ID_HEADER]: delivery.eventId,
});

type Decision = { readonly delivered: true } | { readonly delivered: false; readonly nextAttemptAt: Date | undefined };

interface Outcome {
  readonly delivery: CallbackDelivery;
  readonly attempt: CallbackTry;
  readonly decision: Decision;
}

const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** Why a try failed, from its answer: never the answer's body. */
const failureOf = (status: number | null, error: string | undefined): string =>
  error ?? (status === null ? 'no answer' : `HTTP ${status}`);

/**
 * One run: claims up to `batchSize` due deliveries, POSTs each (at most
 * `CALLBACK_CONCURRENCY` at once) with its signature (over the time of the
 * try and the body) and event id headers, and records every try, all in one
 * unit of work (the claims' locks last until the tries are recorded). A 2xx
 * delivers; a 3xx (redirects are not followed), 4xx, 5xx or no answer is a
 * failed try, tried again at `nextCallbackTryAt`, then abandoned; an account
 * without a signing secret abandons the delivery at once (an unsigned
 * callback would be worthless to the caller). If the unit of work fails, its
 * tries are not recorded and the deliveries are POSTed again later: callers
 * dedupe on the event id.
 */
export const deliverCallbacks = (
  options: DeliverCallbacksOptions,
): Effect.Effect<
  DeliverCallbacksReport,
  PersistenceFailure,
  UnitOfWork | CallbackDeliveryStore | CallbackSender | Clock
> =>
  Effect.gen(function* () {
    const unitOfWork = yield* UnitOfWork;
    const store = yield* CallbackDeliveryStore;
    const sender = yield* CallbackSender;
    const clock = yield* Clock;

    return yield* unitOfWork.transactionally(
      Effect.gen(function* () {
        const deliveries = yield* store.claimDue(yield* clock.now(), options.batchSize);
        const secrets = new Map<string, Option.Option<string>>();
        for (const delivery of deliveries) {
          if (!secrets.has(delivery.accountId)) {
            secrets.set(delivery.accountId, yield* store.signingSecretOf(delivery.accountId));
          }
        }

        const outcomes = yield* Effect.forEach(
          deliveries,
          (delivery): Effect.Effect<Outcome> =>
            Effect.gen(function* () {
              const at = yield* clock.now();
              const secret = secrets.get(delivery.accountId) ?? Option.none();
              if (Option.isNone(secret)) {
                return {
                  delivery,
                  attempt: { at, durationMs: 0, status: null, error: 'the account has no callback signing secret' },
                  decision: { delivered: false, nextAttemptAt: undefined },
                };
              }
              const answer = yield* sender.post(
                delivery.url,
                delivery.body,
                callbackHeaders(delivery, secret.value, at),
              );
              if (isSuccess(answer.status)) {
                return {
                  delivery,
                  attempt: { at, durationMs: answer.durationMs, status: answer.status },
                  decision: { delivered: true },
                };
              }
              return {
                delivery,
                attempt: {
                  at,
                  durationMs: answer.durationMs,
                  status: answer.status,
                  error: failureOf(answer.status, answer.error),
                },
                decision: { delivered: false, nextAttemptAt: nextCallbackTryAt(delivery.attempts + 1, at) },
              };
            }),
          { concurrency: CALLBACK_CONCURRENCY },
        );

        // recorded one after another: the unit of work is one connection
        for (const outcome of outcomes) {
          yield* store.recordTry(outcome.delivery.id, outcome.attempt, outcome.decision);
        }
        return {
          claimed: deliveries.length,
          delivered: outcomes.filter((o) => o.decision.delivered).length,
          failed: outcomes.filter((o) => !o.decision.delivered && o.decision.nextAttemptAt !== undefined).length,
          abandoned: outcomes.filter((o) => !o.decision.delivered && o.decision.nextAttemptAt === undefined).length,
        };
      }),
    );
  });
