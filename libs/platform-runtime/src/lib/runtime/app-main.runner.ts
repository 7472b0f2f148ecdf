// The entry point every app shares: decode the configuration (a bad value
// stops the process with exit code 1 and the variables named, never their
// values), start the app, and on SIGTERM or SIGINT stop it gracefully and
// exit 0 (1 when a part failed to close). A start that fails exits 1 with
// the error's message.
import { Either } from 'effect';

/** An app once started: `stop` closes it and answers the parts that failed to close (empty when all closed). */
export interface StartedApp {
  readonly stop: () => Promise<readonly string[]>;
}

export interface AppMainOptions<Config> {
  /** The app's name, the prefix of every line written to stderr (`api`, `consumer`). */
  readonly name: string;
  /** Decodes the configuration; a `Left` names each problem (a variable and what it expects). */
  readonly config: () => Either.Either<Config, { readonly problems: readonly string[] }>;
  readonly start: (config: Config) => Promise<StartedApp>;
}

const startApp = async <Config>(options: AppMainOptions<Config>): Promise<void> => {
  const config = options.config();
  if (Either.isLeft(config)) {
    process.stderr.write(
      `${options.name}: invalid configuration\n${config.left.problems.map((problem) => `  ${problem}`).join('\n')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const app = await options.start(config.right);
  const shutdown = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${options.name}: ${signal} received, shutting down\n`);
    void app.stop().then(
      (failures) => process.exit(failures.length === 0 ? 0 : 1),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

/** Runs an app's `main` (see the header); returns at once, the process lives on while the app does. */
export const runAppMain = <Config>(options: AppMainOptions<Config>): void => {
  startApp(options).catch((error: unknown) => {
    process.stderr.write(
      `${options.name}: failed to start: ${error instanceof Error ? error.message : 'unknown error'}\n`,
    );
    process.exit(1);
  });
};
