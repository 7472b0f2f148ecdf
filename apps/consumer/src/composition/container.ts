// The consumer's container: the modules of its resources, loaded once, and
// their ordered closing (users before what they use: the workers, the
// runtime, the broker's publisher and connection, the DataSource, the
// logger last).
import type { CallbackSenderService } from '@airtime/application';
import type { PlatformLogger, ProviderLayer } from '@airtime/platform-runtime';
import { Container } from 'inversify';
import type { ConsumerConfig } from '../config/consumer.config';
import type { ConsumerMetrics } from '../observability/consumer-metrics';
import { brokerModule } from './broker.module';
import { configModule } from './config.module';
import { consumerModule } from './consumer.module';
import { databaseModule } from './database.module';
import { providerModule } from './provider.module';
import { CLOSE_ORDER, TOKENS } from './tokens';

export interface ConsumerContainerOptions {
  readonly config: ConsumerConfig;
  /** Replacements for tests and benchmarks; by default each comes from the configuration. */
  readonly logger?: PlatformLogger | undefined;
  readonly metrics?: ConsumerMetrics | undefined;
  readonly provider?: ProviderLayer | undefined;
  readonly callbackSender?: CallbackSenderService | undefined;
}

export const buildContainer = async (options: ConsumerContainerOptions): Promise<Container> => {
  const container = new Container({ defaultScope: 'Singleton' });
  await container.load(
    configModule({ config: options.config, logger: options.logger, metrics: options.metrics }),
    databaseModule,
    brokerModule,
    providerModule({ provider: options.provider }),
    consumerModule({
      shutdownTimeoutMs: options.config.messaging.shutdownTimeoutMs,
      callbackSender: options.callbackSender,
    }),
  );
  return container;
};

/**
 * Unbinds every binding in CLOSE_ORDER, which runs the deactivation of each
 * one that was resolved (stop, close, dispose, destroy). A failure is
 * reported and the closing goes on.
 */
export const closeContainer = async (container: Container): Promise<readonly string[]> => {
  const failures: string[] = [];
  for (const key of CLOSE_ORDER) {
    const token = TOKENS[key];
    if (!container.isBound(token)) continue;
    try {
      await container.unbind(token);
    } catch (error) {
      failures.push(`${key}: ${error instanceof Error ? error.message : 'closing failed'}`);
    }
  }
  return failures;
};
