// The consumer's entry point: decode the configuration (a bad value stops
// the process with the variables named), start the consumer, and on
// SIGTERM or SIGINT stop consuming, finish the commands in flight, close
// everything and exit 0. No decorators: every inversify binding is a
// factory or a constant, so no decorator metadata is needed and any emitter
// runs it (`npm run consumer` runs tsc's build in dist/ with plain node;
// the fault tests and npm start's spec run an esbuild bundle of this file).
import 'reflect-metadata';
import { Either } from 'effect';
import { consumerConfigFrom } from './config/consumer.config';
import { startConsumerApp } from './consumer-app.runner';

const main = async (): Promise<void> => {
  const config = consumerConfigFrom(process.env);
  if (Either.isLeft(config)) {
    process.stderr.write(
      `consumer: invalid configuration\n${config.left.problems.map((problem) => `  ${problem}`).join('\n')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const app = await startConsumerApp({ config: config.right });
  const shutdown = (signal: NodeJS.Signals): void => {
    process.stderr.write(`consumer: ${signal} received, shutting down\n`);
    void app.stop().then(
      (failures) => process.exit(failures.length === 0 ? 0 : 1),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(`consumer: failed to start: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exit(1);
});
