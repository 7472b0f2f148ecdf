// The service identifiers of the API's container, each typed with what it
// resolves to. inversify binds resources and their lifecycles (the
// configuration, the logger, the metrics, the clock, the DataSource, the
// messaging, the provider's layer, the effect runtime and the HTTP server);
// effect provides the services to the use cases.
//
// The messaging is bound twice over: RabbitMQ's own resources (topology,
// connection, confirm publishers: broker.module.ts) and what the runtime and
// /readyz take whichever messaging runs (the command queue, the event
// publisher, the messaging check). An embedded composition binds the latter
// three to the in-process bus instead and leaves the former unbound.
import type { CallbackSenderService, EventPublisherService, TopUpCommandQueueService } from '@airtime/application';
import type { BrokerConnection, ConfirmPublisher, Topology } from '@airtime/messaging-rabbitmq';
import type { PlatformLogger, ProviderLayer, ScaledClock } from '@airtime/platform-runtime';
import type { ServiceIdentifier } from 'inversify';
import type { DataSource } from 'typeorm';
import type { ApiConfig } from '../config/api.config';
import type { ApiMetrics } from '../observability/api-metrics';
import type { ReadinessCheck } from '../routes/health.routes';
import type { ApiHttpServer } from './http.module';
import type { ApiRuntime } from './runtime';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`airtime.api.${name}`);

export const TOKENS = {
  config: token<ApiConfig>('Config'),
  logger: token<PlatformLogger>('Logger'),
  metrics: token<ApiMetrics>('Metrics'),
  clock: token<ScaledClock>('Clock'),
  dataSource: token<DataSource>('DataSource'),
  // RabbitMQ (broker.module.ts)
  topology: token<Topology>('Topology'),
  brokerConnection: token<BrokerConnection>('BrokerConnection'),
  eventConfirmPublisher: token<ConfirmPublisher>('EventConfirmPublisher'),
  commandConfirmPublisher: token<ConfirmPublisher>('CommandConfirmPublisher'),
  // the messaging, whichever runs
  commandQueue: token<TopUpCommandQueueService>('CommandQueue'),
  eventPublisher: token<EventPublisherService>('EventPublisher'),
  messagingCheck: token<ReadinessCheck>('MessagingCheck'),
  providerLayer: token<ProviderLayer>('ProviderLayer'),
  callbackSender: token<CallbackSenderService>('CallbackSender'),
  runtime: token<ApiRuntime>('Runtime'),
  httpServer: token<ApiHttpServer>('HttpServer'),
} as const;

/** Every binding, in the order the container is closed (users before what they use). */
export const CLOSE_ORDER: readonly (keyof typeof TOKENS)[] = [
  'httpServer',
  'runtime',
  'providerLayer',
  'callbackSender',
  'messagingCheck',
  'eventPublisher',
  'commandQueue',
  'commandConfirmPublisher',
  'eventConfirmPublisher',
  'brokerConnection',
  'topology',
  'dataSource',
  'clock',
  'metrics',
  'logger',
  'config',
];
