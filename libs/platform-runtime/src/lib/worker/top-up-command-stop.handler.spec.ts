// The consumer's stop (interruptInFlight, top-up-workers.runner.ts; README,
// graceful shutdown step 3: "the stop waits until each has ended"), from a
// review: a command whose top-up change already sits in a running batch of
// the change writer (or the intake, a ledger lane, a group-commit group:
// every batch queue) when it is interrupted. The batch queue's canceler let
// the caller's fiber end at once while the batch ran on in its worker's own
// fiber, so interruptInFlight resolved and the stop went on to close the
// runtime and the DataSource while that batch could still be writing. The
// canceler of an item already in a running batch now waits for its answer.
import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput } from '@airtime/application/testing';
import { saveTopUpChangeBatch, type TopUpChangeCommitter, type TopUpChangeWrite } from '@airtime/application';
import { Deferred, Effect } from 'effect';
import { makePlatformMetrics } from '../observability/platform-metrics';
import { makeRecordingLogger } from '../../testing/recording-logger.fake';
import { commandDeliveryOf } from '../../testing/command-delivery.fixture';
import { makeCallerBatchQueue } from './caller-batch-queue.runner';
import { type CommandRuntime, makeTopUpCommandHandler } from './top-up-command.handler';

// a batch worker waits one turn of the event loop after its batch (for the next one): let it end with its test
afterEach(() => new Promise((resolve) => setTimeout(resolve, 5)));

/** `count` turns of the event loop (no timer: an order, not a duration). */
const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the top-up command handler: stop', () => {
  it('interruptInFlight resolves only once the writes of the commands it interrupted have ended (a change already in a running batch included)', async () => {
    const events: string[] = [];
    const batchStarted = Effect.runSync(Deferred.make<void>());
    const release = Effect.runSync(Deferred.make<void>());
    const batchEnded = Effect.runSync(Deferred.make<void>());
    // the change writer of the consumer (makeTopUpChangeWriter), its batch held until `release` (a slow
    // commit, a row lock another session holds)
    const submit = makeCallerBatchQueue(
      (writes: readonly TopUpChangeWrite[]) =>
        Deferred.succeed(batchStarted, undefined).pipe(
          Effect.zipRight(Deferred.await(release)),
          Effect.zipRight(saveTopUpChangeBatch(writes)),
          Effect.tap(() => Effect.sync(() => events.push('batch wrote the change'))),
          Effect.ensuring(Deferred.succeed(batchEnded, undefined)),
        ),
      10,
    );
    const changeWriter: TopUpChangeCommitter = (before, change) => Effect.flatten(submit({ before, change }));

    const { logger } = makeRecordingLogger('info');
    const world = inMemoryLayers({ products: sampleCatalogue });
    const runtime: CommandRuntime = {
      runPromiseExit: (effect, runOptions) => world.runtime.runPromiseExit(effect, runOptions),
    };
    const handler = makeTopUpCommandHandler({
      runtime,
      consumerName: 'test-consumer',
      logger,
      metrics: makePlatformMetrics({ processMetrics: false }),
      changeWriter,
    });
    await world.run(fundAccount('account-1', 'USD', 100_000n));

    const handled = handler(commandDeliveryOf(JSON.stringify({ version: 1, ...sampleRequestInput() }), 'message-stop'));
    // the command's first change (its attempt's start) is in the writer's running batch
    await Effect.runPromise(Deferred.await(batchStarted));
    const stopped = handler.interruptInFlight().then((count) => {
      events.push('interruptInFlight resolved');
      return count;
    });
    // the stop goes on (in the consumer: scheduler.stop(), then the container closes the runtime and the
    // DataSource) once interruptInFlight resolves; give it some turns of the event loop, then let the batch go
    await Promise.race([stopped, turns(50)]);
    await Effect.runPromise(Deferred.succeed(release, undefined));
    expect(await stopped).toBe(1);
    await handled;
    await Effect.runPromise(Deferred.await(batchEnded));

    // the stop should have waited for the write of the command it interrupted
    expect(events).toEqual(['batch wrote the change', 'interruptInFlight resolved']);
  });
});
