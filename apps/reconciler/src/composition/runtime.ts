// The reconciler's one effect runtime: the persistence ports over the
// DataSource (the top-up flow's unit of work, ledger, top-ups, outbox and
// transfer log, the platform runtime's persistenceLayer, and the
// ReconciliationStore: our attempts, settlement records, runs), the provider layer
// chosen by configuration (its exchanges appended to the TransferLog, each
// call timed in the run's metrics), the clock, UUID v7 ids and effect's
// logger bridged to pino. reconcileDay and settleTopUpByHand run through it;
// the container disposes it when it closes.
import {
  persistenceLayer,
  pinoEffectLoggerLayer,
  type PlatformLogger,
  type ProviderLayer,
  type ScaledClock,
  scaledClockLayer,
  timedProviderLayer,
  uuidIdGeneratorLayer,
} from '@airtime/platform-runtime';
import { reconciliationStoreLayer } from '@airtime/persistence-postgres';
import { Layer, ManagedRuntime } from 'effect';
import type { DataSource } from 'typeorm';
import type { RunMetrics } from '../observability/run-metrics';

export interface ReconcilerRuntimeDependencies {
  readonly dataSource: DataSource;
  readonly provider: ProviderLayer;
  readonly clock: ScaledClock;
  readonly logger: PlatformLogger;
  readonly metrics: Pick<RunMetrics, 'providerLatency'>;
}

/** The layer of every service a run needs. */
export const reconcilerLayer = (dependencies: ReconcilerRuntimeDependencies) => {
  const persistence = Layer.merge(
    persistenceLayer(dependencies.dataSource),
    reconciliationStoreLayer(dependencies.dataSource),
  );
  const provider = timedProviderLayer(dependencies.provider, dependencies.metrics).pipe(Layer.provide(persistence));
  return Layer.mergeAll(
    persistence,
    provider,
    scaledClockLayer(dependencies.clock),
    uuidIdGeneratorLayer(),
    pinoEffectLoggerLayer(dependencies.logger),
  );
};

/** Every service the reconciler's runtime provides. */
export type ReconcilerServices = Layer.Layer.Success<ReturnType<typeof reconcilerLayer>>;

export type ReconcilerRuntime = ManagedRuntime.ManagedRuntime<ReconcilerServices, never>;

/** The reconciler's ManagedRuntime (dispose it to release the provider's scope). */
export const makeReconcilerRuntime = (dependencies: ReconcilerRuntimeDependencies): ReconcilerRuntime =>
  ManagedRuntime.make(reconcilerLayer(dependencies));
