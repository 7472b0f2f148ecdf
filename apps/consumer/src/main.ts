// The consumer's entry point: decode the configuration (a bad value stops
// the process with the variables named), start the consumer, and on
// SIGTERM or SIGINT stop consuming, finish the commands in flight, close
// everything and exit 0. No decorators: every inversify binding is a
// factory or a constant, so no decorator metadata is needed and any emitter
// runs it (`npm run consumer` runs tsc's build in dist/ with plain node;
// the fault tests and npm start's spec run an esbuild bundle of this file).
import 'reflect-metadata';
import { runAppMain } from '@airtime/platform-runtime';
import { consumerConfigFrom } from './config/consumer.config';
import { startConsumerApp } from './consumer-app.runner';

runAppMain({
  name: 'consumer',
  config: () => consumerConfigFrom(process.env),
  start: (config) => startConsumerApp({ config }),
});
