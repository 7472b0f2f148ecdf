// npm run topup:publish — publishes top-up commands (schema v1) to RabbitMQ
// with publisher confirms: one from flags, or many from a JSON-lines file
// with a progress bar (plain progress lines when stdout is not a terminal).
// `npm run topup:publish -- --help` tells the flags. Broker settings come from
// AMQP_URL and the other AMQP_* variables; the topology is declared first
// (idempotent), so commands wait in the queue until a consumer runs.
import { readFileSync } from 'node:fs';
import {
  declareTopology,
  makeBrokerConnection,
  makeConfirmPublisher,
  messagingConfigFrom,
  publishTopUpCommands,
  topologyFor,
  type PublishProgress,
  type TopUpCommandToPublish,
} from '@airtime/messaging-rabbitmq';
import { SingleBar } from 'cli-progress';
import { Effect, Either } from 'effect';
import { commandsFromJsonLines, parsePublishArguments, type PublishPlan, USAGE } from './publish-arguments.input';
import { isProgressStep, listed, progressLine, publishSummary } from './publish-summary.format';

const fail = (message: string, code: number): void => {
  process.stderr.write(`topup:publish: ${message}\n`);
  process.exitCode = code;
};

/** The commands to publish and how to name each one in the summary. */
const commandsOf = (
  plan: Exclude<PublishPlan, { readonly kind: 'help' }>,
): Either.Either<{ commands: TopUpCommandToPublish[]; lineOf: (index: number) => string }, string> => {
  if (plan.kind === 'one') {
    return Either.right({
      commands: [{ command: plan.command, messageId: plan.messageId }],
      lineOf: () => `external id ${String(plan.command['external_id'])}`,
    });
  }
  let text: string;
  try {
    text = readFileSync(plan.path, 'utf8');
  } catch (error) {
    return Either.left(`cannot read ${plan.path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  const { commands, problems } = commandsFromJsonLines(text);
  if (problems.length > 0) {
    return Either.left(
      [`${plan.path}: ${problems.length} invalid line(s), nothing published:`, ...listed(problems)].join('\n'),
    );
  }
  return Either.right({
    commands: commands.map(({ command }) => ({ command })),
    lineOf: (index) => `line ${commands[index]?.line ?? '?'}`,
  });
};

const progressReporter = (
  total: number,
): { readonly onProgress: (p: PublishProgress) => void; readonly stop: () => void } => {
  if (total <= 1) return { onProgress: () => undefined, stop: () => undefined };
  if (process.stdout.isTTY === true) {
    const bar = new SingleBar({
      stream: process.stdout,
      format: 'publishing [{bar}] {percentage}% | {value}/{total} | {invalid} invalid, {failed} failed | ETA {eta}s',
      hideCursor: true,
    });
    bar.start(total, 0, { invalid: 0, failed: 0 });
    return {
      onProgress: (p) => bar.update(p.done, { invalid: p.invalid, failed: p.failed }),
      stop: () => bar.stop(),
    };
  }
  return {
    onProgress: (p) => {
      if (isProgressStep(p)) process.stdout.write(`${progressLine(p)}\n`);
    },
    stop: () => undefined,
  };
};

const main = async (): Promise<void> => {
  const plan = parsePublishArguments(process.argv.slice(2));
  if (Either.isLeft(plan)) return fail(`${plan.left}\n\n${USAGE}`, 2);
  if (plan.right.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = messagingConfigFrom(process.env);
  if (Either.isLeft(config)) return fail(config.left.message, 2);
  const input = commandsOf(plan.right);
  if (Either.isLeft(input)) return fail(input.left, 2);
  const { commands, lineOf } = input.right;

  const settings = config.right;
  const topology = topologyFor(settings.topologyPrefix);
  const connection = makeBrokerConnection({ ...settings, connectionName: 'airtime-topup-publish', startAttempts: 3 });
  const started = await Effect.runPromise(Effect.either(connection.start));
  if (Either.isLeft(started)) {
    await connection.close();
    return fail(started.left.message, 1);
  }
  const publisher = makeConfirmPublisher({
    connection,
    confirmTimeoutMs: settings.confirmTimeoutMs,
    name: 'topup-publish',
  });
  try {
    const declared = await Effect.runPromise(
      Effect.either(declareTopology(connection, topology, settings.connectTimeoutMs)),
    );
    if (Either.isLeft(declared)) return fail(declared.left.message, 1);
    const progress = progressReporter(commands.length);
    const report = await Effect.runPromise(
      publishTopUpCommands(publisher, topology, commands, {
        onProgress: progress.onProgress,
        concurrency: plan.right.concurrency,
      }),
    );
    progress.stop();
    process.stdout.write(`${publishSummary(report, lineOf)}\n`);
    if (report.published !== report.total) process.exitCode = 1;
  } finally {
    await publisher.close();
    await connection.close();
  }
};

void main().catch((error: unknown) => {
  fail(`unexpected failure: ${error instanceof Error ? error.name : 'unknown'}`, 1);
});
