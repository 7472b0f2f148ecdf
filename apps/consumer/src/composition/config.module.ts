// Configuration and the process-wide observers: the decoded settings, the
// pino logger, the metrics registry and the clock the use cases read.
import { makeLogger, makeScaledClock, type PlatformLogger } from '@airtime/platform-runtime';
import { ContainerModule } from 'inversify';
import type { ConsumerConfig } from '../config/consumer.config';
import { type ConsumerMetrics, makeConsumerMetrics } from '../observability/consumer-metrics';
import { TOKENS } from './tokens';

export interface ConfigModuleOptions {
  readonly config: ConsumerConfig;
  /** A logger of the caller's (tests); default: pino at the configured level on stdout. */
  readonly logger?: PlatformLogger | undefined;
  /** Metrics of the caller's (tests, benchmarks); default: a fresh registry with process metrics. */
  readonly metrics?: ConsumerMetrics | undefined;
}

export const configModule = (options: ConfigModuleOptions): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.config).toConstantValue(options.config);
    bind(TOKENS.logger)
      .toDynamicValue(() => options.logger ?? makeLogger(options.config.logLevel))
      .inSingletonScope()
      .onDeactivation((logger) => logger.flush());
    bind(TOKENS.metrics)
      .toDynamicValue(() => options.metrics ?? makeConsumerMetrics())
      .inSingletonScope()
      .onDeactivation((metrics) => metrics.registry.clear());
    bind(TOKENS.clock)
      .toDynamicValue((context) => {
        const config = context.get(TOKENS.config);
        return makeScaledClock({ scale: config.clockScale, originMs: config.clockOriginMs });
      })
      .inSingletonScope();
  });
