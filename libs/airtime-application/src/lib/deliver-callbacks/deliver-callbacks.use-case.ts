// The caller's callbacks: each due delivery (a top-up's final event owed to
// the callback URL of its request) is POSTed with the body signed by the
// account's secret over the time of the try and the body (callback-signature.ts),
// and the try is recorded: delivered on a 2xx, else tried again on the backoff
// policy, then abandoned. Deliveries are leased for the run (their next try
// moved to the lease's end in a short claim), so two dispatchers never POST
// the same one at once, and no transaction stays open while the POSTs wait
// on the callers' servers.
import { Clock, type PersistenceFailure, UnitOfWork } from '@airtime/domain';
import { Duration, Effect, Either, Option } from 'effect';
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

/** The sender's timeout of one POST assumed when the caller does not give it. */
export const DEFAULT_CALLBACK_POST_TIMEOUT_MS = 10_000;

/** How long a POST may run past the sender's own timeout before the run stops waiting and counts no answer. */
export const CALLBACK_POST_GRACE_MS = 1_000;

/** The lease covers the longest a run can take to reach its last delivery's record, times this. */
export const CALLBACK_LEASE_MARGIN = 2;

/** The shortest lease, whatever the timeout: time for the claim, the secrets and the records. */
export const CALLBACK_MIN_LEASE_MS = 30_000;

export interface DeliverCallbacksOptions {
  /** The most deliveries claimed by one run. */
  readonly batchSize: number;
  /**
   * The sender's timeout of one POST (default `DEFAULT_CALLBACK_POST_TIMEOUT_MS`): the
   * lease of the run's deliveries is derived from it (`callbackLeaseMs`), and a POST that
   * runs `CALLBACK_POST_GRACE_MS` past it is counted as no answer.
   */
  readonly callbackTimeoutMs?: number | undefined;
  /**
   * How long the run's deliveries are leased, in the Clock's time (default
   * `callbackLeaseMs(batchSize, callbackTimeoutMs)`). Give it when the Clock
   * does not run at real speed: with a clock `scale` times faster, that
   * default times the scale.
   */
  readonly leaseMs?: number | undefined;
}

/**
 * How long a run leases its deliveries: the POSTs go `CALLBACK_CONCURRENCY`
 * at a time, so the last delivery of a batch is recorded at the latest after
 * ceil(batch / concurrency) POSTs of at most the timeout (plus grace) each;
 * the lease is that times `CALLBACK_LEASE_MARGIN`, and at least
 * `CALLBACK_MIN_LEASE_MS`. Batch 100 at 10 s: 7 × 11 s × 2 = 154 s. A
 * dispatcher that dies mid-run leaves its deliveries due again when the
 * lease ends.
 */
export const callbackLeaseMs = (batchSize: number, callbackTimeoutMs: number): number =>
  Math.max(
    CALLBACK_MIN_LEASE_MS,
    Math.ceil(batchSize / CALLBACK_CONCURRENCY) * (callbackTimeoutMs + CALLBACK_POST_GRACE_MS) * CALLBACK_LEASE_MARGIN,
  );

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
 * One run: leases up to `batchSize` due deliveries in a short unit of work
 * of its own (their next try moves to the lease's end, `callbackLeaseMs`,
 * so no other dispatcher takes them meanwhile), then, outside any
 * transaction, POSTs each (at most `CALLBACK_CONCURRENCY` at once) with its
 * signature (over the time of the try and the body) and event id headers,
 * and records each try as soon as its answer comes, in a short unit of work
 * of its own: a slow receiver holds no lock and delays no other record. A
 * 2xx delivers; a 3xx (redirects are not followed), 4xx, 5xx or no answer is
 * a failed try, tried again at `nextCallbackTryAt`, then abandoned; an
 * account without a signing secret abandons the delivery at once (an
 * unsigned callback would be worthless to the caller).
 *
 * A try that is not recorded (the dispatcher died, or the record failed)
 * leaves its delivery leased: it is POSTed again once the lease ends
 * (at least once; callers dedupe on the event id). When a record fails, the
 * others are still recorded, and the run then fails with the first failure.
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
    const timeoutMs = options.callbackTimeoutMs ?? DEFAULT_CALLBACK_POST_TIMEOUT_MS;
    const guardMs = timeoutMs + CALLBACK_POST_GRACE_MS;

    const now = yield* clock.now();
    const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? callbackLeaseMs(options.batchSize, timeoutMs)));
    const deliveries = yield* unitOfWork.transactionally(store.claimDue(now, options.batchSize, leaseUntil));
    if (deliveries.length === 0) return { claimed: 0, delivered: 0, failed: 0, abandoned: 0 };

    const secrets = new Map<string, Option.Option<string>>();
    for (const delivery of deliveries) {
      if (!secrets.has(delivery.accountId)) {
        secrets.set(delivery.accountId, yield* store.signingSecretOf(delivery.accountId));
      }
    }

    /** The try of one delivery: its POST (none without a secret), and what it decides. */
    const attemptOf = (delivery: CallbackDelivery): Effect.Effect<Outcome> =>
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
        const answer = yield* sender
          .post(delivery.url, delivery.body, callbackHeaders(delivery, secret.value, at))
          .pipe(
            Effect.timeoutTo({
              duration: Duration.millis(guardMs),
              onSuccess: (answer) => answer,
              onTimeout: () => ({ status: null, durationMs: guardMs, error: `no answer within ${timeoutMs} ms` }),
            }),
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
      });

    const results = yield* Effect.forEach(
      deliveries,
      (delivery) =>
        Effect.flatMap(attemptOf(delivery), (outcome) =>
          Effect.either(
            Effect.as(
              unitOfWork.transactionally(store.recordTry(outcome.delivery.id, outcome.attempt, outcome.decision)),
              outcome,
            ),
          ),
        ),
      { concurrency: CALLBACK_CONCURRENCY },
    );

    const unrecorded = results.find(Either.isLeft);
    if (unrecorded !== undefined) return yield* Effect.fail(unrecorded.left);
    const outcomes = results.filter(Either.isRight).map((result) => result.right);
    return {
      claimed: deliveries.length,
      delivered: outcomes.filter((o) => o.decision.delivered).length,
      failed: outcomes.filter((o) => !o.decision.delivered && o.decision.nextAttemptAt !== undefined).length,
      abandoned: outcomes.filter((o) => !o.decision.delivered && o.decision.nextAttemptAt === undefined).length,
    };
  });
