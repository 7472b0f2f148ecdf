// Configuration and the process-wide observers: the decoded settings, the
// pino logger (service `airtime-api`), the metrics registry and the clock
// the use cases read (CLOCK_SCALE, CLOCK_ORIGIN_MS: the consumer's timeline).
import { makeLogger, makeScaledClock, type PlatformLogger } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import type { ApiConfig } from '../config/api.config';
import { type ApiMetrics, makeApiMetrics } from '../observability/api-metrics';
import { TOKENS } from './tokens';

/** The `service` field of the API's log lines. */
export const API_SERVICE_NAME = 'airtime-api';

export interface ConfigModuleOptions {
  readonly config: ApiConfig;
  /** A logger of the caller's (tests); default: pino at LOG_LEVEL on stdout. */
  readonly logger?: PlatformLogger | undefined;
  /** Metrics of the caller's (tests, benchmarks); default: a fresh registry with process metrics. */
  readonly metrics?: ApiMetrics | undefined;
}

export const configModule = (options: ConfigModuleOptions): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.config).toConstantValue(options.config);
    bind(TOKENS.logger)
      .toDynamicValue(() => options.logger ?? makeLogger(options.config.runtime.logLevel, undefined, API_SERVICE_NAME))
      .inSingletonScope()
      .onDeactivation((logger) => logger.flush());
    bind(TOKENS.metrics)
      .toDynamicValue(() => options.metrics ?? makeApiMetrics())
      .inSingletonScope()
      .onDeactivation((metrics) => metrics.registry.clear());
    bind(TOKENS.clock)
      .toDynamicValue((context) => {
        const { runtime } = context.get(TOKENS.config);
        return makeScaledClock({ scale: runtime.clockScale, originMs: runtime.clockOriginMs });
      })
      .inSingletonScope();
  });
