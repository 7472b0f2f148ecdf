// npm run simulator — the DT One DVS simulator over HTTP, for local runs.
// Settings (environment):
//   PORT                  port to listen on (default 8089; 0 picks a free one)
//   HOST                  interface (default 127.0.0.1)
//   SIMULATOR_API_KEY     HTTP Basic user name the API accepts (required)
//   SIMULATOR_API_SECRET  HTTP Basic password the API accepts (required)
//   SIMULATOR_TIME_SCALE  real ms per simulated ms (default 1; 0.01 makes the sandbox's 5 min into 3 s);
//                         dates and the Date header stay on the real clock at any scale
import { startSimulatorServer } from '@airtime/provider-simulator';
import { Either, ParseResult, Schema } from 'effect';

const NumberFromEnv = Schema.NumberFromString.pipe(Schema.finite());

const Settings = Schema.Struct({
  PORT: Schema.optionalWith(NumberFromEnv.pipe(Schema.int(), Schema.between(0, 65_535)), { default: () => 8089 }),
  HOST: Schema.optionalWith(Schema.String.pipe(Schema.minLength(1)), { default: () => '127.0.0.1' }),
  SIMULATOR_API_KEY: Schema.String.pipe(Schema.minLength(1)),
  SIMULATOR_API_SECRET: Schema.String.pipe(Schema.minLength(1)),
  SIMULATOR_TIME_SCALE: Schema.optionalWith(NumberFromEnv.pipe(Schema.nonNegative()), { default: () => 1 }),
});

const main = async (): Promise<void> => {
  const env = Object.fromEntries(
    Object.keys(Settings.fields).flatMap((name) => {
      const value = process.env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const settings = Schema.decodeUnknownEither(Settings, { errors: 'all' })(env);
  if (Either.isLeft(settings)) {
    // the message names the invalid settings; values of secrets are never echoed
    const problems = new Map<string, string>();
    for (const issue of ParseResult.ArrayFormatter.formatErrorSync(settings.left)) {
      const name = issue.path.join('.');
      if (!problems.has(name)) problems.set(name, issue.message.replace(/"[^"]*"/g, 'the given value'));
    }
    const lines = [...problems].map(([name, message]) => `  ${name}: ${message}`);
    process.stderr.write(`simulator: invalid settings\n${lines.join('\n')}\n`);
    process.exitCode = 1;
    return;
  }
  const { PORT, HOST, SIMULATOR_API_KEY, SIMULATOR_API_SECRET, SIMULATOR_TIME_SCALE } = settings.right;
  const server = await startSimulatorServer({
    port: PORT,
    host: HOST,
    apiKey: SIMULATOR_API_KEY,
    apiSecret: SIMULATOR_API_SECRET,
    timeScale: SIMULATOR_TIME_SCALE,
    onError: (error) => process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  process.stdout.write(
    `DVS simulator listening on ${server.url}/v1 (time scale ${SIMULATOR_TIME_SCALE}); test controls under ${server.url}/__simulator/\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

void main();
