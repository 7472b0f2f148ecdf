// Where top-up commands are enqueued for the workers: the commands queue
// (RabbitMQ's commands exchange in production, the in-process bus in the
// embedded first run). The API enqueues the command of a top-up it has
// requested itself, under the message id `api:<topUpId>`; the worker that
// takes it sends the top-up's first attempt.
import { Context, type Effect } from 'effect';
import type { TopUpCommandV1Json } from '../top-up-command/top-up-command.schema';
import type { CommandEnqueueFailed } from './top-up-command-queue.errors';

export interface TopUpCommandQueueService {
  /**
   * Enqueues `command` (schema v1, as producers write it) under `messageId`
   * (the consumer's inbox key with the body's hash), durably: it resolves
   * only once the queue has taken responsibility for it (a broker's
   * confirm). Enqueuing the same command under the same id again is safe.
   */
  readonly enqueue: (command: TopUpCommandV1Json, messageId: string) => Effect.Effect<void, CommandEnqueueFailed>;
}

export class TopUpCommandQueue extends Context.Tag('@airtime/application/TopUpCommandQueue')<
  TopUpCommandQueue,
  TopUpCommandQueueService
>() {}
