// Set-up for the reconciliation specs: an in-memory world whose scripted
// provider charges each send its quote's exact cost, top-ups sent on
// 2026-01-01 (the window), the clock moved to the next morning, and runs of
// reconcileDay with their progress recorded.
import {
  AirtimeProvider,
  type AirtimeProviderService,
  type DetailedStatus,
  exactCostAt,
  type ProviderTransaction,
  type TopUp,
  transactionStatus,
} from '@airtime/domain';
import { Effect } from 'effect';
import { fundAccount, inMemoryLayers, type InMemoryWorld, sampleCatalogue, sampleRequestInput } from '../../testing';
import type { SendScript } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import type { ReconcileDayInputJson } from './reconcile-day.input';
import { reconcileDay } from './reconcile-day.use-case';
import type { ReconcilePhase, ReconcileProgress } from './reconcile-progress';
import type { ReconciliationReport } from './reconciliation-report.types';

export const DAY = { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2026-01-02T00:00:00.000Z') };
/** When the runs happen by default: two hours after the window. */
export const NEXT_MORNING = new Date('2026-01-02T02:00:00.000Z');
export const HOUR = 3_600_000;

export const reconcilingWorld = async (): Promise<InMemoryWorld> => {
  const world = inMemoryLayers({
    products: sampleCatalogue,
    start: new Date('2026-01-01T12:00:00.000Z'),
    chargedOf: (request) => exactCostAt(request.product, 0n),
  });
  await world.run(fundAccount('account-1', 'USD', 1_000_000n));
  return world;
};

/** A top-up for PHP 100 (USD 1.857) with `externalId`, sent once with `script`; answers it and its provider external id. */
export const sentTopUp = async (
  world: InMemoryWorld,
  externalId: string,
  script: SendScript = { _tag: 'Complete' },
): Promise<{ readonly topUp: TopUp; readonly providerExternalId: string }> => {
  const created = await world.run(requestTopUp(sampleRequestInput({ external_id: externalId })));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends(script);
  const topUp = await world.run(sendAttempt(created.topUp.id));
  return { topUp, providerExternalId: topUp.attempts[0]?.providerExternalId ?? '' };
};

/** A transaction at the provider no send of ours brought. */
export const strangerTransaction = (
  providerExternalId: string,
  providerTransactionId: string,
  status: DetailedStatus = 'COMPLETED',
): ProviderTransaction => ({ providerTransactionId, providerExternalId, status: transactionStatus(status) });

export interface RecordedProgress extends ReconcileProgress {
  readonly calls: () => readonly string[];
}

/** Progress that keeps every call as text: `phase settle 3`, `tick 1`, `done`. */
export const recordedProgress = (): RecordedProgress => {
  const calls: string[] = [];
  return {
    phase: (name: ReconcilePhase, total) => calls.push(`phase ${name} ${total ?? '?'}`),
    tick: (n) => calls.push(`tick ${n}`),
    done: () => calls.push('done'),
    calls: () => [...calls],
  };
};

/** Runs reconcileDay over DAY at `at` (default NEXT_MORNING), with the provider replaced when given. */
export const reconcile = async (
  world: InMemoryWorld,
  options: {
    readonly at?: Date;
    readonly input?: Partial<ReconcileDayInputJson>;
    readonly provider?: AirtimeProviderService;
    readonly progress?: ReconcileProgress;
  } = {},
) => {
  world.clock.set(options.at ?? NEXT_MORNING);
  const run = reconcileDay({ providerId: 'scripted', ...DAY, ...options.input }, options.progress);
  return world.run(
    options.provider === undefined ? run : Effect.provideService(run, AirtimeProvider, options.provider),
  );
};

/** The report without its `run` part (what two runs over the same books share). */
export const withoutRun = (report: ReconciliationReport) => {
  const { run: _run, ...rest } = report;
  return rest;
};
