// The service identifiers of the consumer's container, each typed with what
// it resolves to. inversify binds resources and their lifecycles (config,
// logger, metrics, the DataSource, the AMQP connection and publisher, the
// provider's layer, the effect runtime, the runner, the scheduler and the
// metrics server); effect provides the services to the use cases.
import type { CallbackSenderService } from '@airtime/application';
import type { BrokerConnection, ConfirmPublisher, ConsumerRunner, Topology } from '@airtime/messaging-rabbitmq';
import type { ServiceIdentifier } from 'inversify';
import type { DataSource } from 'typeorm';
import type { ScaledClock } from '../adapters/scaled-clock.adapter';
import type { ConsumerConfig } from '../config/consumer.config';
import type { TopUpCommandHandler } from '../messages/top-up-command.handler';
import type { ConsumerMetrics } from '../observability/consumer-metrics';
import type { ConsumerLogger } from '../observability/logger';
import type { MetricsServer } from '../observability/metrics.server';
import type { Scheduler } from '../scheduler/scheduler.runner';
import type { ConsumerRuntime, ProviderLayer } from './runtime';

const token = <T>(name: string): ServiceIdentifier<T> => Symbol.for(`airtime.consumer.${name}`);

export const TOKENS = {
  config: token<ConsumerConfig>('Config'),
  logger: token<ConsumerLogger>('Logger'),
  metrics: token<ConsumerMetrics>('Metrics'),
  clock: token<ScaledClock>('Clock'),
  dataSource: token<DataSource>('DataSource'),
  topology: token<Topology>('Topology'),
  brokerConnection: token<BrokerConnection>('BrokerConnection'),
  eventConfirmPublisher: token<ConfirmPublisher>('EventConfirmPublisher'),
  providerLayer: token<ProviderLayer>('ProviderLayer'),
  callbackSender: token<CallbackSenderService>('CallbackSender'),
  runtime: token<ConsumerRuntime>('Runtime'),
  commandHandler: token<TopUpCommandHandler>('CommandHandler'),
  consumerRunner: token<ConsumerRunner>('ConsumerRunner'),
  scheduler: token<Scheduler>('Scheduler'),
  metricsServer: token<MetricsServer>('MetricsServer'),
} as const;

/** Every binding, in the order the container is closed (users before what they use). */
export const CLOSE_ORDER: readonly (keyof typeof TOKENS)[] = [
  'consumerRunner',
  'scheduler',
  'metricsServer',
  'commandHandler',
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
