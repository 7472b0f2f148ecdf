// The platform's workers in one process: the top-up command handler fed by
// a command runner of the app's choice (RabbitMQ's consumer runner, or the
// in-process bus's), and the scheduler's loops (due retries, stalled
// top-ups, the outbox relay, the callers' callbacks). The consumer runs
// them on RabbitMQ; the API's embedded first run runs them on the
// in-process bus, beside its routes, through the same runtime, without the
// outbox relay (the events wait in the outbox for a RabbitMQ relay).
import { Effect } from 'effect';
import type { RuntimeSettings } from '../config/runtime.config';
import type { PlatformLogger } from '../observability/logger';
import type { PlatformMetrics } from '../observability/platform-metrics';
import type { Scheduler } from '../scheduler/scheduler.runner';
import type { CommandRunner, CommandRunnerFactory } from './command-runner.types';
import { makeTopUpCommandHandler, type TopUpCommandHandler } from './top-up-command.handler';
import { makeTopUpIntake } from './top-up-intake.runner';
import { makeTopUpChangeWriter } from './top-up-change-writer.runner';
import { makeWorkerScheduler, type WorkerLoopSettings, type WorkerRuntime } from './worker-tasks';

export interface TopUpWorkersOptions {
  /** The app's runtime (the handler and the loops run their use cases through it). */
  readonly runtime: WorkerRuntime;
  readonly settings: WorkerLoopSettings &
    Pick<RuntimeSettings, 'consumerName' | 'allowPrivateCallbackHosts' | 'commandBatchMax' | 'changeBatchMax'>;
  readonly logger: PlatformLogger;
  readonly metrics: Pick<PlatformMetrics, 'commands' | 'deadLetters' | 'schedulerTicks' | 'schedulerItems'>;
  /** Builds the runner that hands the commands to the handler (the transport is the app's choice). */
  readonly commandRunner: CommandRunnerFactory;
  /**
   * Whether the outbox relay loop runs: true when the app's EventPublisher is
   * RabbitMQ's; false on the in-process bus (no subscriber: the events stay
   * in the outbox for a RabbitMQ relay instead of being marked sent and lost).
   */
  readonly relayOutbox: boolean;
}

export interface TopUpWorkers {
  readonly handler: TopUpCommandHandler;
  readonly runner: CommandRunner;
  readonly scheduler: Scheduler;
  /**
   * Starts the loops, then the runner. A runner that cannot start stops the
   * loops and rejects with its failure (e.g. ConsumerStartFailed).
   */
  readonly start: () => Promise<void>;
  /**
   * Stops the runner (no new commands; those in flight get up to `timeoutMs`),
   * interrupts the commands the timeout left running (not acknowledged:
   * RabbitMQ delivers them again), then stops the loops after their ticks in
   * flight.
   * Idempotent; never rejects.
   */
  readonly stop: (timeoutMs: number) => Promise<{ readonly unfinished: number }>;
}

/** The handler, its runner and the scheduler, built and not started. */
export const makeTopUpWorkers = (options: TopUpWorkersOptions): TopUpWorkers => {
  const { runtime, settings, logger, metrics } = options;
  // one writer for the handler's sends and the loops': their changes committed at the same time share batches
  const changeWriter = makeTopUpChangeWriter(settings.changeBatchMax);
  const handler = makeTopUpCommandHandler({
    runtime,
    consumerName: settings.consumerName,
    allowPrivateCallbackHosts: settings.allowPrivateCallbackHosts,
    logger,
    metrics,
    intake: makeTopUpIntake(
      { allowPrivateCallbackHosts: settings.allowPrivateCallbackHosts },
      settings.commandBatchMax,
    ),
    changeWriter,
  });
  const runner = options.commandRunner(handler);
  const scheduler = makeWorkerScheduler({
    runtime,
    settings,
    logger,
    metrics,
    relayOutbox: options.relayOutbox,
    changeWriter,
  });
  let stopping: Promise<{ readonly unfinished: number }> | undefined;
  return {
    handler,
    runner,
    scheduler,
    start: async () => {
      scheduler.start();
      const started = await Effect.runPromise(Effect.either(runner.start));
      if (started._tag === 'Left') {
        await scheduler.stop();
        const failure: { readonly message: string } = started.left;
        throw failure instanceof Error ? failure : new Error(failure.message);
      }
    },
    stop: (timeoutMs) => {
      stopping ??= (async () => {
        // what the timeout left running is interrupted (not acknowledged) before the runner lets go
        // of its deliveries (RabbitMQ's delivers them again only then, never beside a running copy)
        // and before anything closes, so that no send or write of it runs on against a closed pool;
        // the second call covers a runner that does not take the hook (a no-op otherwise)
        const report = await runner.stop(timeoutMs, { interruptUnfinished: handler.interruptInFlight });
        await handler.interruptInFlight();
        await scheduler.stop();
        return { unfinished: report.unfinished };
      })();
      return stopping;
    },
  };
};
