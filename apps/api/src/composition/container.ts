// The API's container: the modules of its resources, loaded once, and their
// ordered closing (users before what they use: the HTTP server, the
// runtime, the messaging, the DataSource, the logger last).
//
// Parameterised for other compositions of the same parts: the database is
// whatever DATABASE_URL the config holds (an embedded PostgreSQL's URL
// works); the messaging is RabbitMQ (broker.module.ts) or, with
// MESSAGING=in-process, the in-process bus (in-process-messaging.module.ts),
// unless `messaging` brings a module binding TOKENS.commandQueue,
// TOKENS.eventPublisher and TOKENS.messagingCheck; API_WORKERS=true adds
// the consumer's workers (workers.module.ts); `modules` adds more, closed
// first in `closeFirst` order.
import type { CallbackSenderService } from '@airtime/application';
import type { PlatformLogger, ProviderLayer } from '@airtime/platform-runtime';
import { Container, type ContainerModule, type ServiceIdentifier } from 'inversify';
import type { ApiConfig } from '../config/api.config';
import type { ApiMetrics } from '../observability/api-metrics';
import type { ReadinessCheck } from '../routes/health.routes';
import { brokerModule } from './broker.module';
import { configModule } from './config.module';
import { databaseModule } from './database.module';
import { httpModule } from './http.module';
import { inProcessMessagingModule } from './in-process-messaging.module';
import { providerModule } from './provider.module';
import { CLOSE_ORDER, TOKENS } from './tokens';
import { workersModule } from './workers.module';

export interface ApiContainerOptions {
  readonly config: ApiConfig;
  /** Replacements for tests and benchmarks; by default each comes from the configuration. */
  readonly logger?: PlatformLogger | undefined;
  readonly metrics?: ApiMetrics | undefined;
  readonly provider?: ProviderLayer | undefined;
  readonly callbackSender?: CallbackSenderService | undefined;
  /** The messaging's module (default by MESSAGING: RabbitMQ's brokerModule, or the in-process bus's). */
  readonly messaging?: ContainerModule | undefined;
  /** More modules (e.g. workers over TOKENS.runtime), and more /readyz checks. */
  readonly modules?: readonly ContainerModule[] | undefined;
  readonly readiness?: Readonly<Record<string, ReadinessCheck>> | undefined;
}

export const buildApiContainer = async (options: ApiContainerOptions): Promise<Container> => {
  const container = new Container({ defaultScope: 'Singleton' });
  await container.load(
    configModule({ config: options.config, logger: options.logger, metrics: options.metrics }),
    databaseModule,
    options.messaging ?? (options.config.transport === 'in-process' ? inProcessMessagingModule() : brokerModule),
    providerModule({ provider: options.provider, callbackSender: options.callbackSender }),
    httpModule({ readiness: options.readiness }),
    ...(options.config.workers.enabled ? [workersModule()] : []),
    ...(options.modules ?? []),
  );
  return container;
};

/**
 * Unbinds `closeFirst` (the bindings of added modules, in order), then every
 * binding in CLOSE_ORDER, which runs the deactivation of each one that was
 * resolved (close, dispose, destroy). A failure is reported and the closing
 * goes on.
 */
export const closeApiContainer = async (
  container: Container,
  closeFirst: readonly ServiceIdentifier[] = [],
): Promise<readonly string[]> => {
  const failures: string[] = [];
  const order: readonly (readonly [string, ServiceIdentifier])[] = [
    ...closeFirst.map((token) => [String(token), token] as const),
    ...CLOSE_ORDER.map((key) => [key, TOKENS[key]] as const),
  ];
  for (const [name, token] of order) {
    if (!container.isBound(token)) continue;
    try {
      await container.unbind(token);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : 'closing failed'}`);
    }
  }
  return failures;
};
