// The caller's callbacks: a top-up's outcome events POSTed to the callback URL
// of its request, signed with the account's secret, each try recorded.
import { Context, type Effect, type Option } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

/** A POST owed to a caller: one per (event, URL), written in the unit of work of the event. */
export interface CallbackDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly topUpId: string;
  readonly accountId: string;
  readonly url: string;
  /** The exact body POSTed (JSON text); the signature is over these bytes. */
  readonly body: string;
  /** Tries made so far. */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly createdAt: Date;
}

/** The result of one POST, as recorded. */
export interface CallbackTry {
  readonly at: Date;
  readonly durationMs: number;
  /** HTTP status, or null when no answer came. */
  readonly status: number | null;
  /** Why it failed (no answer, non-2xx), never the answer's body. */
  readonly error?: string | undefined;
}

export interface CallbackDeliveryStoreService {
  /** Adds a delivery (joins the caller's unit of work); a second one for the same (event, URL) is a no-op. */
  readonly enqueue: (delivery: Omit<CallbackDelivery, 'attempts'>) => Effect.Effect<void, PersistenceFailure>;
  /**
   * Leases up to `limit` due (next try at or before `now`), undelivered,
   * unabandoned deliveries no other dispatcher is claiming, earliest due
   * first: their next try's time becomes `leaseUntil` (after `now`), so no
   * other claim takes them before then, and they are returned as leased
   * (`nextAttemptAt` = `leaseUntil`). One short step: run it in a unit of
   * work of its own, never one that stays open during the POSTs. A
   * delivery whose try is never recorded (the dispatcher died) is due again
   * when the lease ends.
   */
  readonly claimDue: (
    now: Date,
    limit: number,
    leaseUntil: Date,
  ) => Effect.Effect<readonly CallbackDelivery[], PersistenceFailure>;
  /**
   * Records a try (in a short unit of work of its own): delivered (2xx), or
   * failed with the next try's time, or abandoned when `nextAttemptAt` is
   * undefined after a failure. It ends the delivery's lease.
   */
  readonly recordTry: (
    deliveryId: string,
    attempt: CallbackTry,
    outcome: { readonly delivered: true } | { readonly delivered: false; readonly nextAttemptAt: Date | undefined },
  ) => Effect.Effect<void, PersistenceFailure>;
  /** The secret an account's callbacks are signed with (HMAC-SHA256 key); none when the account has not set one. */
  readonly signingSecretOf: (accountId: string) => Effect.Effect<Option.Option<string>, PersistenceFailure>;
}

export class CallbackDeliveryStore extends Context.Tag('@airtime/application/CallbackDeliveryStore')<
  CallbackDeliveryStore,
  CallbackDeliveryStoreService
>() {}

/**
 * The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, checked by receivers
 * with `verifyCallbackSignature`.
 */
export const CALLBACK_SIGNATURE_HEADER = 'X-Airtime-Signature';

export interface CallbackSenderService {
  /** POSTs `body` as application/json with the given headers; never follows redirects; times out. */
  readonly post: (
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
  ) => Effect.Effect<{
    readonly status: number | null;
    readonly durationMs: number;
    readonly error?: string | undefined;
  }>;
}

export class CallbackSender extends Context.Tag('@airtime/application/CallbackSender')<
  CallbackSender,
  CallbackSenderService
>() {}
