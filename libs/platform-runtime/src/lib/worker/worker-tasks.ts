// The scheduler's loops of the platform's work, as tasks of the scheduler
// runner: due retries, stalled top-ups, the outbox relay and the callers'
// callbacks, each a use case run through the app's runtime, with its
// options from the runtime settings, and every tick counted in the
// scheduler metrics.
import {
  callbackLeaseMs,
  deliverCallbacks,
  type DeliverCallbacksOptions,
  recoverStalledTopUps,
  type RecoverStalledTopUpsOptions,
  relayOutbox,
  retryDueTopUps,
  type RetryDueTopUpsOptions,
  type TopUpChangeCommitter,
} from '@airtime/application';
import { withOwnTransactions } from '@airtime/persistence-postgres';
import { Cause, Effect, Exit, Option } from 'effect';
import type { RuntimeSettings } from '../config/runtime.config';
import { describeDefect } from '../observability/defect.format';
import type { PlatformMetrics } from '../observability/platform-metrics';
import { makeScheduler, type ScheduledTask, type Scheduler, type SchedulerLogger } from '../scheduler/scheduler.runner';
import type { TopUpCommandServices } from './top-up-command.handler';
import { withTopUpChangeWriter } from './top-up-change-writer.runner';

/** The services the workers' use cases need (the command handler's and the four loops'). */
export type WorkerServices =
  | TopUpCommandServices
  | Effect.Effect.Context<ReturnType<typeof retryDueTopUps>>
  | Effect.Effect.Context<ReturnType<typeof recoverStalledTopUps>>
  | Effect.Effect.Context<ReturnType<typeof relayOutbox>>
  | Effect.Effect.Context<ReturnType<typeof deliverCallbacks>>;

/**
 * Runs effect programs that need the workers' services: the app's
 * ManagedRuntime (a PlatformRuntime, or any runtime providing at least these).
 */
export interface WorkerRuntime {
  /** `signal`: aborting it interrupts the program (the promise then answers its interrupted exit). */
  readonly runPromiseExit: <A, E>(
    effect: Effect.Effect<A, E, WorkerServices>,
    options?: { readonly signal?: AbortSignal },
  ) => Promise<Exit.Exit<A, E>>;
}

/**
 * A scheduler task running `program` through `runtime`: its count, or a
 * rejection with the failure's message (a defect: its class and first
 * stack frames, never its message). The program's logs carry `task`.
 */
export const runtimeTask = <E extends { readonly message: string }>(
  runtime: WorkerRuntime,
  name: string,
  program: () => Effect.Effect<number, E, WorkerServices>,
): ScheduledTask => ({
  name,
  run: async () => {
    const exit = await runtime.runPromiseExit(program().pipe(Effect.annotateLogs({ task: name })));
    if (Exit.isSuccess(exit)) return exit.value;
    const failure = Cause.failureOption(exit.cause);
    if (Option.isSome(failure)) throw new Error(failure.value.message);
    // a defect by its class and where it was thrown, never its message (it may quote outside text)
    const defect = describeDefect(Cause.squash(exit.cause));
    throw new Error([`defect: ${defect.name}`, ...defect.at].join(' '));
  },
});

/**
 * The callback loop's options: its batch, the sender's timeout, and the lease
 * of a run's deliveries. The lease is read on the Clock, which runs
 * CLOCK_SCALE times faster than real time: the real time a run may take (its
 * POSTs, each bounded by the timeout) is that many times longer on the Clock.
 */
export const deliverCallbacksOptionsOf = (
  settings: Pick<RuntimeSettings, 'scheduler' | 'callbackTimeoutMs' | 'clockScale'>,
): DeliverCallbacksOptions => {
  const { batchSize } = settings.scheduler;
  return {
    batchSize,
    callbackTimeoutMs: settings.callbackTimeoutMs,
    leaseMs: Math.max(1, Math.ceil(callbackLeaseMs(batchSize, settings.callbackTimeoutMs) * settings.clockScale)),
  };
};

/** The due-retry and stalled-recovery loops' options: a batch per tick, SCHEDULER_CONCURRENCY of it at once. */
export const topUpLoopOptionsOf = (
  settings: Pick<RuntimeSettings, 'scheduler'>,
): { readonly retryDue: RetryDueTopUpsOptions; readonly recoverStalled: RecoverStalledTopUpsOptions } => {
  const { batchSize, stalledAfterMs, concurrency } = settings.scheduler;
  return {
    retryDue: { limit: batchSize, concurrency },
    recoverStalled: { olderThanMs: stalledAfterMs, limit: batchSize, concurrency },
  };
};

/** The settings the loops read. */
export type WorkerLoopSettings = Pick<RuntimeSettings, 'scheduler' | 'callbackTimeoutMs' | 'clockScale'>;

/** Which loops run beside the ones every worker runs. */
export interface WorkerLoopChoice {
  /**
   * Whether the outbox relay runs: true only when the app's EventPublisher
   * delivers the events somewhere durable (RabbitMQ). False on the in-process
   * bus, which has no subscriber: relaying there would mark the topup.*
   * events sent and lose them; left unsent, they wait in the outbox for a
   * relay on RabbitMQ (the consumer, or a later start with AMQP_URL).
   */
  readonly relayOutbox: boolean;
  /**
   * The writer the top-up loops' sends and status queries commit their
   * changes through (batched with the command handler's; see
   * makeTopUpChangeWriter); each change in a unit of work of its own when
   * not given.
   */
  readonly changeWriter?: TopUpChangeCommitter | undefined;
}

/**
 * The loops: retryDueTopUps, recoverStalledTopUps, relayOutbox (only when
 * `choice.relayOutbox`), deliverCallbacks (in that order).
 */
export const workerTasks = (
  runtime: WorkerRuntime,
  settings: WorkerLoopSettings,
  choice: WorkerLoopChoice,
): readonly ScheduledTask[] => {
  const { batchSize } = settings.scheduler;
  const callbacks = deliverCallbacksOptionsOf(settings);
  const topUpLoops = topUpLoopOptionsOf(settings);
  const batched = withTopUpChangeWriter(choice.changeWriter);
  return [
    runtimeTask(runtime, 'retryDueTopUps', () => batched(retryDueTopUps(topUpLoops.retryDue))),
    runtimeTask(runtime, 'recoverStalledTopUps', () => batched(recoverStalledTopUps(topUpLoops.recoverStalled))),
    // the relay waits on the broker's confirms inside its transaction: never in a group (it would hold it up)
    ...(choice.relayOutbox
      ? [runtimeTask(runtime, 'relayOutbox', () => withOwnTransactions(relayOutbox({ batchSize })))]
      : []),
    runtimeTask(runtime, 'deliverCallbacks', () => Effect.map(deliverCallbacks(callbacks), (report) => report.claimed)),
  ];
};

export interface WorkerSchedulerOptions {
  readonly runtime: WorkerRuntime;
  readonly settings: WorkerLoopSettings;
  readonly logger: SchedulerLogger;
  readonly metrics: Pick<PlatformMetrics, 'schedulerTicks' | 'schedulerItems'>;
  /** Whether the outbox relay runs (see WorkerLoopChoice). */
  readonly relayOutbox: boolean;
  /** The top-up loops' change writer (see WorkerLoopChoice). */
  readonly changeWriter?: TopUpChangeCommitter | undefined;
  /** The loops (default `workerTasks(runtime, settings, options)`). */
  readonly tasks?: readonly ScheduledTask[] | undefined;
}

/**
 * The scheduler of the platform's loops: a tick every SCHEDULER_INTERVAL_MS
 * per loop (at once again when it filled its batch), each tick counted in
 * `airtime_scheduler_ticks_total{task,outcome}` and its items in
 * `airtime_scheduler_items_total{task}`. Not started.
 */
export const makeWorkerScheduler = (options: WorkerSchedulerOptions): Scheduler => {
  const { metrics, settings } = options;
  return makeScheduler({
    intervalMs: settings.scheduler.intervalMs,
    batchSize: settings.scheduler.batchSize,
    logger: options.logger,
    onTick: (name, outcome) => {
      if ('failed' in outcome) {
        metrics.schedulerTicks.inc({ task: name, outcome: 'failed' });
        return;
      }
      metrics.schedulerTicks.inc({ task: name, outcome: 'ok' });
      metrics.schedulerItems.inc({ task: name }, outcome.handled);
    },
    tasks: options.tasks ?? workerTasks(options.runtime, settings, options),
  });
};
