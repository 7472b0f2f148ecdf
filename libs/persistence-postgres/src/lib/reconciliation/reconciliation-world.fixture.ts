// Set-up helpers of the reconciliation store's integration specs: top-ups stored through the
// repository and moved by the domain (attempts started, answered, settled), and a day of
// thousands of top-ups copied from one template in a single INSERT ... SELECT generate_series.
import {
  applyProviderEvent,
  type AttemptOutcome,
  createTopUp,
  type NewTopUp,
  recordAttemptOutcome,
  startAttempt,
  type TopUp,
  type TopUpChange,
  transactionStatus,
  type DetailedStatus,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { DataSource } from 'typeorm';
import { makeTopUpRepository } from '../top-ups/top-up-repository.adapter';

/** A top-up as stored, with the version its next update is guarded by. */
export interface Seeded {
  readonly topUp: TopUp;
  readonly version: number;
}

const orThrow = <E>(change: Either.Either<TopUpChange | { readonly topUp: TopUp }, E>): TopUp =>
  Either.getOrThrow(Either.mapLeft(change, (error) => new Error(`the domain refused the step: ${String(error)}`)))
    .topUp;

/** Stores top-ups (made by `newTopUp`, a spec's sample) and moves them as the use cases would, each step committed. */
export const makeSeeder = (dataSource: DataSource, newTopUp: (id: string, now: Date) => NewTopUp) => {
  const repository = makeTopUpRepository(dataSource);
  const save = async (seeded: Seeded, next: TopUp): Promise<Seeded> => {
    await Effect.runPromise(repository.update(next, seeded.version));
    return { topUp: next, version: seeded.version + 1 };
  };
  return {
    /** A new top-up (CREATED, no attempt) created at `now`. */
    create: async (id: string, now: Date): Promise<Seeded> => {
      const topUp = orThrow(createTopUp(newTopUp(id, now)));
      await Effect.runPromise(repository.insert(topUp));
      return { topUp, version: 1 };
    },
    /** Its next attempt started at `at` at `providerId`. */
    start: (seeded: Seeded, at: Date, providerId: string) =>
      save(seeded, orThrow(startAttempt(seeded.topUp, at, providerId))),
    /** Its last attempt answered with `outcome` at `at`. */
    answer: (seeded: Seeded, outcome: AttemptOutcome, at: Date) =>
      save(seeded, orThrow(recordAttemptOutcome(seeded.topUp, outcome, at))),
    /** A provider's status for its last attempt (a callback) at `at`. */
    event: (seeded: Seeded, status: DetailedStatus, at: Date) =>
      save(seeded, orThrow(applyProviderEvent(seeded.topUp, transactionStatus(status), at))),
  };
};

/**
 * `count` copies of the stored top-up `templateId` and of its first attempt
 * (ids `<prefix>-<n>`, provider external ids `<prefix>x<n>`), the n-th
 * attempt started `n * stepMs` after `firstStart` and its exact cost
 * `n * 0.0001` above the template's (no two alike): one statement each.
 */
export const copyTopUps = async (
  dataSource: DataSource,
  templateId: string,
  options: { readonly prefix: string; readonly count: number; readonly firstStart: Date; readonly stepMs: number },
): Promise<void> => {
  const parameters = [templateId, options.prefix, options.count, options.firstStart.toISOString(), options.stepMs];
  await dataSource.query(
    `INSERT INTO top_ups (id, account_id, external_id, destination_e164, destination_country, status_class, status,
       product_id, operator_id, receive_minor, receive_currency, cost_minor, cost_currency, quote, next_attempt_at,
       awaiting_status_query, failure, version, created_at, updated_at)
     SELECT $2 || '-' || n, t.account_id, $2 || '-' || n, t.destination_e164, t.destination_country, t.status_class,
       t.status, t.product_id, t.operator_id, t.receive_minor, t.receive_currency, t.cost_minor, t.cost_currency,
       jsonb_set(t.quote, '{costExact,amount}', to_jsonb(round((t.quote -> 'costExact' ->> 'amount')::numeric + n / 10000.0, 4)::text)),
       t.next_attempt_at, t.awaiting_status_query, t.failure, t.version,
       $4::timestamptz + n * $5::int * interval '1 millisecond', $4::timestamptz + n * $5::int * interval '1 millisecond'
     FROM top_ups t CROSS JOIN generate_series(1, $3::int) AS n WHERE t.id = $1`,
    parameters,
  );
  await dataSource.query(
    `INSERT INTO top_up_attempts (top_up_id, number, provider_external_id, provider_id, provider_transaction_id, state,
       provider_status_class, provider_status, failure, unknown_reason, started_at, updated_at)
     SELECT $2 || '-' || n, a.number, $2 || 'x' || n, a.provider_id, a.provider_transaction_id || '-' || n, a.state,
       a.provider_status_class, a.provider_status, a.failure, a.unknown_reason,
       $4::timestamptz + n * $5::int * interval '1 millisecond', $4::timestamptz + n * $5::int * interval '1 millisecond'
     FROM top_up_attempts a CROSS JOIN generate_series(1, $3::int) AS n WHERE a.top_up_id = $1 AND a.number = 1`,
    parameters,
  );
  await dataSource.query(`ANALYZE top_ups`);
  await dataSource.query(`ANALYZE top_up_attempts`);
};
