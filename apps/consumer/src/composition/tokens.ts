// The service identifiers of the consumer's container, each typed with what
// it resolves to. inversify binds resources and their lifecycles (config,
// logger, metrics, the DataSource, the AMQP connection and publisher, the
// provider's layer, the effect runtime, the workers (the command handler on
// the RabbitMQ runner, and the scheduler) and the metrics server); effect
// provides the services to the use cases.
import type { CallbackSenderService } from '@airtime/application';
import type { BrokerConnection, ConfirmPublisher, Topology } from '@airtime/messaging-rabbitmq';
import type {
  PlatformLogger,
  PlatformRuntime,
  ProviderLayer,
  ScaledClock,
  TopUpWorkers,
} from '@airtime/platform-runtime';
import type { ServiceIdentifier } from 'inversify';
import type { DataSource } from 'typeorm';
import type { ConsumerConfig } from '../config/consumer.config';
import type { ConsumerMetrics } from '../observability/consumer-metrics';
import type { MetricsServer } from '../observability/metrics.server';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`airtime.consumer.${name}`);

export const TOKENS = {
  config: token<ConsumerConfig>('Config'),
  logger: token<PlatformLogger>('Logger'),
  metrics: token<ConsumerMetrics>('Metrics'),
  clock: token<ScaledClock>('Clock'),
  dataSource: token<DataSource>('DataSource'),
  topology: token<Topology>('Topology'),
  brokerConnection: token<BrokerConnection>('BrokerConnection'),
  eventConfirmPublisher: token<ConfirmPublisher>('EventConfirmPublisher'),
  providerLayer: token<ProviderLayer>('ProviderLayer'),
  callbackSender: token<CallbackSenderService>('CallbackSender'),
  runtime: token<PlatformRuntime>('Runtime'),
  workers: token<TopUpWorkers>('Workers'),
  metricsServer: token<MetricsServer>('MetricsServer'),
} as const;

/** Every binding, in the order the container is closed (users before what they use). */
export const CLOSE_ORDER: readonly (keyof typeof TOKENS)[] = [
  'workers',
  'metricsServer',
  'runtime',
  'providerLayer',
  'callbackSender',
  'eventConfirmPublisher',
  'brokerConnection',
  'topology',
  'dataSource',
  'clock',
  'metrics',
  'logger',
  'config',
];
