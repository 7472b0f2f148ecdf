// The reconciler's container: the modules of one run's resources, loaded
// once, and their ordered closing (the runtime, the provider layer, the
// DataSource, the logger last).
import type { PlatformLogger, ProviderLayer } from '@airtime/platform-runtime';
import { Container } from 'inversify';
import type { ReconcilerConfig } from '../config/reconciler.config';
import type { RunMetrics } from '../observability/run-metrics';
import { configModule } from './config.module';
import { databaseModule } from './database.module';
import { providerModule } from './provider.module';
import { reconcilerModule } from './reconciler.module';
import { CLOSE_ORDER, TOKENS } from './tokens';

export interface ReconcilerContainerOptions {
  readonly config: ReconcilerConfig;
  /** Replacements for tests; by default each comes from the configuration. */
  readonly logger?: PlatformLogger | undefined;
  readonly metrics?: RunMetrics | undefined;
  readonly provider?: ProviderLayer | undefined;
}

export const buildContainer = async (options: ReconcilerContainerOptions): Promise<Container> => {
  const container = new Container({ defaultScope: 'Singleton' });
  await container.load(
    configModule({ config: options.config, logger: options.logger, metrics: options.metrics }),
    databaseModule,
    providerModule({ provider: options.provider }),
    reconcilerModule,
  );
  return container;
};

/**
 * Unbinds every binding in CLOSE_ORDER, which runs the deactivation of each
 * one that was resolved (dispose, destroy, flush). A failure is reported and
 * the closing goes on.
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
