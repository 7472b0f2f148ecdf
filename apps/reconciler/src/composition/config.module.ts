// Configuration and the run's observers: the decoded settings, the pino
// logger (on stderr: stdout is the report's), the run's metrics registry
// and the clock the use cases read.
import { makeLogger, makeScaledClock, type PlatformLogger } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import type { ReconcilerConfig } from '../config/reconciler.config';
import { makeRunMetrics, type RunMetrics } from '../observability/run-metrics';
import { TOKENS } from './tokens';

export interface ConfigModuleOptions {
  readonly config: ReconcilerConfig;
  /** A logger of the caller's (tests); default: pino at the configured level on stderr. */
  readonly logger?: PlatformLogger | undefined;
  /** Metrics of the caller's; default: a fresh registry for this run. */
  readonly metrics?: RunMetrics | undefined;
}

/** The `service` field of the reconciler's log lines. */
export const RECONCILER_SERVICE_NAME = 'airtime-reconciler';

export const configModule = (options: ConfigModuleOptions): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.config).toConstantValue(options.config);
    bind(TOKENS.logger)
      .toDynamicValue(
        () => options.logger ?? makeLogger(options.config.logLevel, process.stderr, RECONCILER_SERVICE_NAME),
      )
      .inSingletonScope()
      .onDeactivation((logger) => logger.flush());
    bind(TOKENS.metrics)
      .toDynamicValue(() => options.metrics ?? makeRunMetrics())
      .inSingletonScope();
    bind(TOKENS.clock)
      .toDynamicValue((context) => {
        const config = context.get(TOKENS.config);
        return makeScaledClock({ scale: config.clockScale, originMs: config.clockOriginMs });
      })
      .inSingletonScope();
  });
