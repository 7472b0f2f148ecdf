// The service identifiers of the reconciler's container, each typed with
// what it resolves to. inversify binds the resources of one run and their
// lifecycles (config, logger, the run's metrics, the clock, the DataSource,
// the provider's layer, the effect runtime); effect provides the services
// to reconcileDay.
import type { PlatformLogger, ProviderLayer, ScaledClock } from '@airtime/platform-runtime';
import type { ServiceIdentifier } from 'inversify';
import type { DataSource } from 'typeorm';
import type { ReconcilerConfig } from '../config/reconciler.config';
import type { RunMetrics } from '../observability/run-metrics';
import type { ReconcilerRuntime } from './runtime';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`airtime.reconciler.${name}`);

export const TOKENS = {
  config: token<ReconcilerConfig>('Config'),
  logger: token<PlatformLogger>('Logger'),
  metrics: token<RunMetrics>('Metrics'),
  clock: token<ScaledClock>('Clock'),
  dataSource: token<DataSource>('DataSource'),
  providerLayer: token<ProviderLayer>('ProviderLayer'),
  runtime: token<ReconcilerRuntime>('Runtime'),
} as const;

/** Every binding, in the order the container is closed (users before what they use). */
export const CLOSE_ORDER: readonly (keyof typeof TOKENS)[] = [
  'runtime',
  'providerLayer',
  'dataSource',
  'clock',
  'metrics',
  'logger',
  'config',
];
