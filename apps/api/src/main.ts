// The API's entry point: decode the configuration (a bad value stops the
// process with the variables named, never their values), start the API
// (refusing a database with pending migrations unless
// DATABASE_MIGRATE_ON_START=true), and on SIGTERM or SIGINT stop accepting,
// finish the requests in flight, close everything and exit 0. No
// decorators: every inversify binding is a factory or a constant.
import 'reflect-metadata';
import { Either } from 'effect';
import { startApiApp } from './api-app.runner';
import { apiConfigFrom } from './config/api.config';

const main = async (): Promise<void> => {
  const config = apiConfigFrom(process.env);
  if (Either.isLeft(config)) {
    process.stderr.write(
      `api: invalid configuration\n${config.left.problems.map((problem) => `  ${problem}`).join('\n')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const app = await startApiApp({ config: config.right });
  const shutdown = (signal: NodeJS.Signals): void => {
    process.stderr.write(`api: ${signal} received, shutting down\n`);
    void app.stop().then(
      (failures) => process.exit(failures.length === 0 ? 0 : 1),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(`api: failed to start: ${error instanceof Error ? error.message : 'unknown error'}\n`);
  process.exit(1);
});
