import { CommandEnqueueFailed, TopUpCommandQueue, type TopUpCommandV1Json } from '@airtime/application';
import {
  inMemoryLayers,
  openFundedAccounts,
  principalOf,
  sampleCatalogue,
  sampleRequestInput,
} from '@airtime/application/testing';
import { Effect, Either, Layer, Logger } from 'effect';
import { type SubmittedTopUp, submitTopUp, type TopUpSubmission } from './submit-top-up.use-case';

interface Enqueued {
  readonly command: TopUpCommandV1Json;
  readonly messageId: string;
}

const setUp = async (queue: 'works' | 'fails') => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(openFundedAccounts(['account-1', 'account-2']));
  const enqueued: Enqueued[] = [];
  const warnings: string[] = [];
  const queueLayer = Layer.succeed(TopUpCommandQueue, {
    enqueue: (command, messageId) =>
      queue === 'works'
        ? Effect.sync(() => {
            enqueued.push({ command, messageId });
          })
        : Effect.fail(new CommandEnqueueFailed({ reason: 'the broker is unreachable' })),
  });
  const logger = Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ message }) => {
      warnings.push(Array.isArray(message) ? message.join(' ') : String(message));
    }),
  );
  const submit = (submission: TopUpSubmission): Promise<Either.Either<SubmittedTopUp, unknown>> =>
    world.runEither(submitTopUp(submission, {}).pipe(Effect.provide(Layer.merge(queueLayer, logger))));
  return { world, enqueued, warnings, submit };
};

const { account_id: _account, ...body } = sampleRequestInput();

describe('submitting a top-up (POST /v1/topups)', () => {
  it("requests it for the key's only account and enqueues its v1 command as api:<id>", async () => {
    const { enqueued, submit } = await setUp('works');
    const submitted = Either.getOrThrow(await submit({ principal: principalOf('account-1'), body }));
    expect(submitted).toMatchObject({ outcome: 'created', enqueued: true, topUp: { accountId: 'account-1' } });
    expect(enqueued).toEqual([
      {
        messageId: `api:${submitted.topUp.id}`,
        command: expect.objectContaining({ version: 1, external_id: 'order-1', account_id: 'account-1' }),
      },
    ]);
    // a repeat of a top-up the consumer has not attempted yet is enqueued again (the consumer sends it once)
    const again = Either.getOrThrow(await submit({ principal: principalOf('account-1'), body }));
    expect(again).toMatchObject({ outcome: 'repeated', enqueued: true });
    expect(again.topUp.id).toBe(submitted.topUp.id);
  });

  it('answers the top-up when the enqueue fails, and logs it (the consumer recovers the top-up)', async () => {
    const { warnings, submit } = await setUp('fails');
    const submitted = Either.getOrThrow(await submit({ principal: principalOf('account-1'), body }));
    expect(submitted).toMatchObject({ outcome: 'created', enqueued: false });
    expect(warnings).toEqual([expect.stringContaining('top-up command not enqueued; the consumer recovers it')]);
  });

  it('takes the key from the Idempotency-Key header, refuses a differing external_id or none at all', async () => {
    const { submit } = await setUp('works');
    const { external_id: externalId, ...withoutKey } = body;
    const principal = principalOf('account-1');
    const byHeader = Either.getOrThrow(await submit({ principal, body: withoutKey, idempotencyKey: externalId }));
    expect(byHeader.topUp.externalId).toBe(externalId);
    expect(await submit({ principal, body, idempotencyKey: 'other' })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidRequest', field: 'external_id' })),
    );
    expect(await submit({ principal, body: withoutKey })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidRequest', field: 'Idempotency-Key' })),
    );
    // a key the request's rules refuse (over 40 characters) names the header it came in, or external_id from the body
    const long = 'k'.repeat(41);
    const refused = await submit({ principal, body: withoutKey, idempotencyKey: long });
    expect(refused).toEqual(Either.left(expect.objectContaining({ field: 'Idempotency-Key' })));
    expect(Either.isLeft(refused) ? String((refused.left as Error).message) : '').not.toContain('external_id');
    expect(await submit({ principal, body: { ...withoutKey, external_id: long } })).toEqual(
      Either.left(expect.objectContaining({ field: 'external_id' })),
    );
  });

  it('needs account_id for a key of several accounts, and refuses one out of its scope as not found', async () => {
    const { submit, enqueued } = await setUp('works');
    expect(await submit({ principal: principalOf('account-1', 'account-2'), body })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidRequest', field: 'account_id' })),
    );
    expect(await submit({ principal: principalOf('account-1'), body: { ...body, account_id: 'account-2' } })).toEqual(
      Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound' })),
    );
    const chosen = await submit({
      principal: principalOf('account-1', 'account-2'),
      body: { ...body, account_id: 'account-2' },
    });
    expect(Either.getOrThrow(chosen).topUp.accountId).toBe('account-2');
    expect(enqueued).toHaveLength(1);
  });
});
