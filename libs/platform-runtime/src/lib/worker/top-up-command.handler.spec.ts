import {
  fundAccount,
  inMemoryLayers,
  type InMemoryWorld,
  sampleCatalogue,
  SAMPLE_PH_NUMBER,
  sampleRequestInput,
} from '@airtime/application/testing';
import { requestTopUp, type RequestTopUpInputJson } from '@airtime/application';
import { type TopUp, UnitOfWork, type UnitOfWorkService } from '@airtime/domain';
import { ConsumeDecision, type Delivery } from '@airtime/messaging-rabbitmq';
import { Deferred, Effect, Exit } from 'effect';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { makePlatformMetrics } from '../observability/platform-metrics';
import { makeLogger, pinoEffectLoggerLayer } from '../observability/logger';
import { makeRecordingLogger } from '../../testing/recording-logger.fake';
import { commandDeliveryOf } from '../../testing/command-delivery.fixture';
import { inboxKeyOf, makeTopUpCommandHandler, type CommandRuntime } from './top-up-command.handler';
import { makeTopUpIntake } from './top-up-intake.runner';

const command = (overrides: Partial<RequestTopUpInputJson> = {}) =>
  JSON.stringify({ version: 1, ...sampleRequestInput(overrides) });

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The handler's two ways of requesting: each command its own unit of work, or batched with its neighbours. */
const MODES = ['one by one', 'batched intake'] as const;
let mode: (typeof MODES)[number] = 'one by one';

// the intake's batch worker waits one turn of the event loop after a batch (for the next one): let it end with its test
afterEach(() => new Promise((resolve) => setTimeout(resolve, 5)));

const setUp = (
  options: {
    readonly failCommitAfterSend?: boolean;
    readonly fundedMinor?: bigint;
    /** The provider fake logs each call through effect's logger (as a use case would), inside the program. */
    readonly logProviderCalls?: boolean;
    /** Runs at each send, inside the program, before the provider answers (e.g. waits forever). */
    readonly atSend?: Effect.Effect<void>;
    readonly allowPrivateCallbackHosts?: boolean;
  } = {},
) => {
  const { logger, lines } = makeRecordingLogger('info');
  const metrics = makePlatformMetrics({ processMetrics: false });
  const holder: { world?: InMemoryWorld } = {};
  const world = inMemoryLayers({
    products: sampleCatalogue,
    gate: (call) =>
      Effect.zipRight(
        options.logProviderCalls === true ? Effect.logInfo(`provider ${call.operation} called`) : Effect.void,
        Effect.zipRight(
          Effect.sync(() => {
            // the attempt is committed and leaves; the unit of work applying its answer fails
            if (options.failCommitAfterSend === true && call.operation === 'send')
              holder.world?.database.failNextCommits(1);
          }),
          call.operation === 'send' && options.atSend !== undefined ? options.atSend : Effect.void,
        ),
      ),
  });
  holder.world = world;
  // as in the consumer's runtime: effect's logs go to the same pino logger
  const runtime: CommandRuntime = {
    runPromiseExit: (effect, runOptions) =>
      world.runtime.runPromiseExit(Effect.provide(effect, pinoEffectLoggerLayer(logger)), runOptions),
  };
  const handler = makeTopUpCommandHandler({
    runtime,
    consumerName: 'test-consumer',
    allowPrivateCallbackHosts: options.allowPrivateCallbackHosts,
    logger,
    metrics,
    intake:
      mode === 'batched intake'
        ? makeTopUpIntake({ allowPrivateCallbackHosts: options.allowPrivateCallbackHosts === true })
        : undefined,
  });
  const sends = () => world.provider.calls().filter((call) => call.operation === 'send').length;
  const outcomes = async () =>
    Object.fromEntries((await metrics.commands.get()).values.map((v) => [String(v.labels['outcome']), v.value]));
  return {
    world,
    handler,
    lines,
    metrics,
    sends,
    outcomes,
    fund: () => world.run(fundAccount('account-1', 'USD', options.fundedMinor ?? 100_000n)),
  };
};

describe.each(MODES)('the top-up command handler (%s)', (each) => {
  beforeEach(() => {
    mode = each;
  });

  it('interruptInFlight interrupts a command still being handled (its send waiting at the provider): the message goes back to the queue, and the stop waits for it', async () => {
    let sendInterrupted = false;
    const reached = Effect.runSync(Deferred.make<void>());
    const atSend = Deferred.succeed(reached, undefined).pipe(
      Effect.zipRight(Effect.never),
      Effect.onInterrupt(() => Effect.sync(() => (sendInterrupted = true))),
    );
    const { handler, lines, fund } = setUp({ atSend });
    await fund();
    const handled = handler(commandDeliveryOf(command(), 'message-stop'));
    await Effect.runPromise(Deferred.await(reached));
    expect(await handler.interruptInFlight()).toBe(1);
    expect(sendInterrupted).toBe(true);
    expect(await handled).toEqual(ConsumeDecision.Retry({ reason: 'interrupted by the consumer stopping' }));
    expect(lines.some((line) => line['msg'] === 'top-up command interrupted by the stop; not acknowledged')).toBe(true);
    // nothing left to interrupt
    expect(await handler.interruptInFlight()).toBe(0);
  });

  it('requests the top-up with the inbox claim, sends it, and acks; the log line has the ids, not the number', async () => {
    const { handler, world, lines, sends, outcomes, fund } = setUp();
    await fund();
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    const [topUp] = [...world.database.tables().topUps.values()].map((row) => row.topUp);
    expect(topUp?.status.class).toBe('COMPLETED');
    const key = `message-1:${sha256(command())}`;
    expect(world.database.tables().inbox.has(JSON.stringify(['test-consumer', key]))).toBe(true);
    expect(await outcomes()).toEqual({ accepted: 1 });
    const line = lines.find((l) => l['msg'] === 'top-up command handled');
    expect(line).toMatchObject({
      topUpId: topUp?.id,
      externalId: 'order-1',
      accountId: 'account-1',
      messageId: 'message-1',
      outcome: 'accepted',
      status: 'COMPLETED',
      sent: true,
    });
    expect(JSON.stringify(lines)).not.toContain(SAMPLE_PH_NUMBER.slice(1));
  });

  it('acks a duplicate with no second send: the same message again, the same request under another id', async () => {
    const { handler, sends, outcomes, fund } = setUp();
    await fund();
    await handler(commandDeliveryOf(command(), 'message-1'));
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(await handler(commandDeliveryOf(command(), 'message-2'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    expect(await outcomes()).toEqual({ accepted: 1, duplicate: 2 });
  });

  it('dedupes a message without an id by the hash of its bytes', async () => {
    const { handler, world, sends, fund } = setUp();
    await fund();
    const body = command();
    await handler(commandDeliveryOf(body, undefined));
    expect(await handler(commandDeliveryOf(body, undefined))).toEqual(ConsumeDecision.Ack());
    // an empty message id is no id
    expect(await handler(commandDeliveryOf(body, ''))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    expect(inboxKeyOf(commandDeliveryOf(body, undefined))).toBe(`sha256:${sha256(body)}`);
    expect(inboxKeyOf(commandDeliveryOf(body, ''))).toBe(`sha256:${sha256(body)}`);
    expect([...world.database.tables().inbox.keys()]).toEqual([
      JSON.stringify(['test-consumer', `sha256:${sha256(body)}`]),
    ]);
  });

  it('keys a message id PostgreSQL text cannot hold (a NUL, a lone surrogate) by its digest: the same id is one message', () => {
    const body = command();
    const idDigest = (id: string) => createHash('sha256').update(Buffer.from(id, 'utf8')).digest('hex');
    for (const messageId of ['a\u0000b', '\u0000', 'x\ud800', '\udc00y']) {
      const key = inboxKeyOf(commandDeliveryOf(body, messageId));
      expect(key).toBe(`id-sha256:${idDigest(messageId)}:${sha256(body)}`);
      expect(key).toMatch(/^id-sha256:[0-9a-f]{64}:[0-9a-f]{64}$/);
      expect(inboxKeyOf(commandDeliveryOf(body, messageId))).toBe(key);
    }
    expect(inboxKeyOf(commandDeliveryOf(body, 'a\u0000b'))).not.toBe(inboxKeyOf(commandDeliveryOf(body, 'a\u0000c')));
    // a well-formed id keeps its own text, astral characters included
    expect(inboxKeyOf(commandDeliveryOf(body, 'order-😀'))).toBe(`order-😀:${sha256(body)}`);
  });

  it('processes another command under a reused message id: two accounts, the same id, two top-ups', async () => {
    const { handler, world, sends, outcomes, fund } = setUp();
    await fund();
    await world.run(fundAccount('account-2', 'USD', 100_000n));
    // producers choose message ids; the README's producers use the external id, unique per account only
    const acme = command({ account_id: 'account-1', external_id: 'order-42' });
    const globex = command({ account_id: 'account-2', external_id: 'order-42' });
    expect(await handler(commandDeliveryOf(acme, 'order-42'))).toEqual(ConsumeDecision.Ack());
    expect(await handler(commandDeliveryOf(globex, 'order-42'))).toEqual(ConsumeDecision.Ack());
    // and the same account's next order under the same id again
    expect(await handler(commandDeliveryOf(command({ external_id: 'order-43' }), 'order-42'))).toEqual(
      ConsumeDecision.Ack(),
    );
    expect(sends()).toBe(3);
    const requests = [...world.database.tables().requests.values()].map((r) => `${r.accountId}/${r.externalId}`);
    expect(requests.sort()).toEqual(['account-1/order-42', 'account-1/order-43', 'account-2/order-42']);
    expect(await outcomes()).toEqual({ accepted: 3 });
  });

  it('takes an exact redelivery (the same id, the same bytes) as one message: one top-up, one send', async () => {
    const { handler, world, sends, outcomes, fund } = setUp();
    await fund();
    const body = command({ external_id: 'order-42' });
    expect(await handler(commandDeliveryOf(body, 'order-42'))).toEqual(ConsumeDecision.Ack());
    const redelivery: Delivery = { ...commandDeliveryOf(body, 'order-42'), redelivered: true, deliveryCount: 1 };
    expect(await handler(redelivery)).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    expect(world.database.tables().topUps.size).toBe(1);
    expect([...world.database.tables().inbox.keys()]).toEqual([
      JSON.stringify(['test-consumer', `order-42:${sha256(body)}`]),
    ]);
    // the inbox answered the redelivery (AlreadyProcessed: no top-up looked up)
    expect(await outcomes()).toEqual({ accepted: 1, duplicate: 1 });
  });

  it('annotates the use cases’ log lines with the message, external, account and top-up ids (never the number)', async () => {
    const { handler, world, lines, fund } = setUp({ logProviderCalls: true });
    await fund();
    await handler(commandDeliveryOf(command({ external_id: 'order-7' }), 'message-7'));
    const [topUp] = [...world.database.tables().topUps.values()].map((row) => row.topUp);
    const send = lines.find((l) => l['msg'] === 'provider send called');
    expect(send).toMatchObject({
      messageId: 'message-7',
      externalId: 'order-7',
      accountId: 'account-1',
      topUpId: topUp?.id,
    });
    expect(JSON.stringify(lines)).not.toContain(SAMPLE_PH_NUMBER.slice(1));
  });

  it('logs what its request does through the consumer’s logger, batched too (never the number)', async () => {
    const { handler, lines, fund } = setUp({ logProviderCalls: true });
    await fund();
    await handler(commandDeliveryOf(command({ external_id: 'order-8' }), 'message-8'));
    // the catalogue's lookups of the request run inside the intake's batch when batched
    const lookups = lines.filter((l) => typeof l['msg'] === 'string' && l['msg'] !== 'provider send called');
    expect(lookups.map((l) => l['msg'])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^provider \w+ called$/)]),
    );
    expect(JSON.stringify(lines)).not.toContain(SAMPLE_PH_NUMBER.slice(1));
  });

  it('dead-letters a malformed command with its reason, never retried, nothing written', async () => {
    const { handler, world, metrics, outcomes } = setUp();
    expect(await handler(commandDeliveryOf('{"version":1,', 'bad-1'))).toEqual(
      ConsumeDecision.DeadLetter({ reason: 'MALFORMED_COMMAND: malformed top-up command: the body is not JSON' }),
    );
    const wrongVersion = await handler(
      commandDeliveryOf(JSON.stringify({ ...sampleRequestInput(), version: 2 }), 'bad-2'),
    );
    expect(wrongVersion).toEqual(
      ConsumeDecision.DeadLetter({
        reason: 'MALFORMED_COMMAND: malformed top-up command: version is not supported (this consumer reads version 1)',
      }),
    );
    const decision = await handler(
      commandDeliveryOf(JSON.stringify({ version: 1, phone_number: '+639171234567' }), 'bad-3'),
    );
    expect(decision._tag).toBe('DeadLetter');
    expect(JSON.stringify(decision)).not.toContain('639171234567');
    expect(world.database.tables().topUps.size).toBe(0);
    expect(await outcomes()).toEqual({ dead_lettered: 3 });
    expect((await metrics.deadLetters.get()).values).toEqual([
      expect.objectContaining({ labels: { code: 'MALFORMED_COMMAND' }, value: 3 }),
    ]);
  });

  it('dead-letters a command whose properties disagree with it, naming the property; nothing written', async () => {
    const { handler, world, sends, outcomes, fund } = setUp();
    await fund();
    const delivery = (messageId: string, properties: Partial<Delivery>) => ({
      ...commandDeliveryOf(command({ external_id: messageId }), messageId),
      ...properties,
    });
    const refused = [
      [delivery('text-plain', { contentType: 'text/plain' }), 'content-type'],
      [delivery('no-media-type', { contentType: '; charset=utf-8' }), 'content-type'],
      [delivery('json-suffix', { contentType: 'application/problem+json' }), 'content-type'],
      [delivery('latin-1', { contentType: 'application/json; charset=iso-8859-1' }), 'content-type'],
      [delivery('gzip', { contentEncoding: 'gzip' }), 'content-encoding'],
      [delivery('base64', { contentEncoding: 'base64' }), 'content-encoding'],
      [delivery('version-2', { headers: { 'x-schema-version': 2 } }), 'x-schema-version'],
      [delivery('version-text', { headers: { 'x-schema-version': 'v1' } }), 'x-schema-version'],
      [delivery('other-type', { type: 'topup.cancel' }), 'type'],
    ] as const;
    for (const [each, property] of refused) {
      const decision = await handler(each);
      expect({ messageId: each.messageId, decision }).toEqual({
        messageId: each.messageId,
        decision: ConsumeDecision.DeadLetter({ reason: expect.stringContaining(property) }),
      });
      const reason = decision._tag === 'DeadLetter' ? decision.reason : '';
      expect(reason).toMatch(/^MALFORMED_COMMAND: /);
      expect(reason).not.toMatch(/639171234567|gzip|base64|text\/plain|iso-8859-1|topup\.cancel/);
    }
    expect(world.database.tables().topUps.size).toBe(0);
    expect(sends()).toBe(0);
    const accepted = [
      delivery('no-content-type', { contentType: undefined, type: undefined }),
      delivery('charset-utf-8', { contentType: 'application/json; charset=utf-8' }),
      delivery('upper-case', { contentType: 'Application/JSON;charset="UTF-8"' }),
      delivery('identity', { contentEncoding: 'identity' }),
      // publishTopUpCommands's own properties (a charset label where an encoding goes)
      delivery('published', { contentEncoding: 'utf-8', headers: { 'x-schema-version': 1 } }),
      delivery('version-1-text', { headers: { 'x-schema-version': '1' } }),
      // properties set empty (pika sends '') and a null header (AMQP void) say nothing; Go's []byte header
      delivery('empty', { contentType: '', contentEncoding: '', type: '', headers: { 'x-schema-version': null } }),
      delivery('utf8-bytes', { contentEncoding: 'UTF8', headers: { 'x-schema-version': Buffer.from('1') } }),
    ];
    for (const each of accepted) {
      expect({ messageId: each.messageId, decision: await handler(each) }).toEqual({
        messageId: each.messageId,
        decision: ConsumeDecision.Ack(),
      });
    }
    expect(await outcomes()).toEqual({ dead_lettered: refused.length, accepted: accepted.length });
  });

  it('dead-letters a request that can never succeed: the same external id with another payload, nothing to sell', async () => {
    const { handler, sends, fund } = setUp();
    await fund();
    await handler(commandDeliveryOf(command(), 'message-1'));
    const conflict = await handler(commandDeliveryOf(command({ max_amount: '300' }), 'message-2'));
    expect(conflict).toEqual(
      ConsumeDecision.DeadLetter({
        reason: 'EXTERNAL_ID_CONFLICT: the external id was already used for a request that differs at max_amount',
      }),
    );
    const nothing = await handler(
      commandDeliveryOf(command({ external_id: 'order-2', max_amount: '10' }), 'message-3'),
    );
    expect(nothing._tag).toBe('DeadLetter');
    expect(sends()).toBe(1);
  });

  it('dead-letters a callback URL to a host that is not public, unless the consumer allows such hosts', async () => {
    const local = command({ callback_url: 'http://127.0.0.1:8080/hooks?token=t' });
    const strict = setUp();
    await strict.fund();
    expect(await strict.handler(commandDeliveryOf(local, 'message-1'))).toEqual(
      ConsumeDecision.DeadLetter({
        reason: expect.stringMatching(/^INVALID_TOP_UP_REQUEST: .*callback_url.*not public \(loopback\)/),
      }),
    );
    expect(strict.world.database.tables().topUps.size).toBe(0);
    const allowing = setUp({ allowPrivateCallbackHosts: true });
    await allowing.fund();
    expect(await allowing.handler(commandDeliveryOf(local, 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(allowing.world.database.tables().topUps.size).toBe(1);
    expect(allowing.sends()).toBe(1);
  });

  it('retries a transient failure with nothing committed, and the redelivery goes through', async () => {
    const { handler, world, sends, outcomes, fund } = setUp();
    await fund();
    world.provider.failCatalogue(1);
    const first = await handler(commandDeliveryOf(command(), 'message-1'));
    expect(first._tag).toBe('Retry');
    expect(world.database.tables().topUps.size).toBe(0);
    // batched, a batch whose commit fails runs again one by one: both commits must fail for a retry
    world.database.failNextCommits(mode === 'batched intake' ? 2 : 1);
    const second = await handler(commandDeliveryOf(command(), 'message-1'));
    expect(second).toEqual(
      ConsumeDecision.Retry({ reason: expect.stringMatching(/^PERSISTENCE_FAILURE: /) as unknown as string }),
    );
    expect(world.database.tables().inbox.size).toBe(0);
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    expect(await outcomes()).toEqual({ retried: 2, accepted: 1 });
  });

  it('a commit that fails once: one by one, the batched intake writes it again and sends it', async () => {
    const { handler, world, sends, fund } = setUp();
    await fund();
    world.database.failNextCommits(1);
    const decision = await handler(commandDeliveryOf(command(), 'message-1'));
    if (mode === 'batched intake') {
      expect(decision).toEqual(ConsumeDecision.Ack());
      expect(world.database.tables().inbox.size).toBe(1);
      expect(sends()).toBe(1);
    } else {
      expect(decision._tag).toBe('Retry');
      expect(world.database.tables().inbox.size).toBe(0);
      expect(sends()).toBe(0);
    }
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(world.database.tables().topUps.size).toBe(1);
    expect(sends()).toBe(1);
  });

  it('acks a top-up refused for funds as rejected, with no send', async () => {
    const { handler, world, sends, outcomes, fund } = setUp({ fundedMinor: 10n });
    await fund();
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(0);
    expect([...world.database.tables().topUps.values()][0]?.topUp.status.class).toBe('REJECTED');
    expect(await outcomes()).toEqual({ rejected: 1 });
  });

  it('acks a committed top-up whose first send failed to record: the scheduler takes it over, never a second send', async () => {
    const { handler, world, sends, lines, fund } = setUp({ failCommitAfterSend: true });
    await fund();
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    const [topUp] = [...world.database.tables().topUps.values()].map((row) => row.topUp);
    expect(topUp?.attempts).toHaveLength(1);
    expect(lines.find((l) => l['msg'] === 'top-up command acknowledged')).toMatchObject({
      topUpId: topUp?.id,
      externalId: 'order-1',
      code: 'FIRST_SEND_DEFERRED',
    });
    // a redelivery is a duplicate
    expect(await handler(commandDeliveryOf(command(), 'message-1'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
  });

  it('retries when the program dies, naming the defect by its class and where it was thrown, never its message', async () => {
    // node's JSON.parse quotes the text it could not read: a provider's answer must not reach a header or a log
    const thrown = (() => {
      try {
        JSON.parse('SECRET');
      } catch (error) {
        return error;
      }
      throw new Error('JSON.parse read it');
    })();
    const dying: CommandRuntime = { runPromiseExit: () => Promise.resolve(Exit.die(thrown)) };
    const metrics = makePlatformMetrics({ processMetrics: false });
    const logged: string[] = [];
    const handler = makeTopUpCommandHandler({
      runtime: dying,
      consumerName: 'c',
      logger: makeLogger('info', { write: (line: string) => void logged.push(line) }),
      metrics,
    });
    expect(await handler(commandDeliveryOf(command(), 'm'))).toEqual(
      ConsumeDecision.Retry({ reason: 'handler defect: SyntaxError' }),
    );
    const line = logged
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry['msg'] === 'top-up command handler died; the message will be retried');
    expect(line).toMatchObject({ reason: 'SyntaxError' });
    expect(line?.['at']).toEqual(expect.arrayContaining([expect.stringMatching(/^at /)]));
    expect((thrown as Error).message).toContain('"SECRET"'); // what would have leaked
    expect(logged.join('\n')).not.toContain('SECRET');
  });
});

describe.each(MODES)('a command for a top-up requested already and never attempted (the API’s; %s)', (each) => {
  beforeEach(() => {
    mode = each;
  });

  /** The API runs requestTopUp itself (no inbox), then enqueues the same command under `api:<topUpId>`. */
  const requestedByTheApi = async (world: InMemoryWorld): Promise<TopUp> => {
    const requested = await world.run(requestTopUp(sampleRequestInput()));
    if (requested._tag !== 'Created') throw new Error('expected a new top-up');
    return requested.topUp;
  };

  it('gets its first attempt sent, as a new top-up would; that message again, or another repeat, sends nothing', async () => {
    const { handler, world, lines, sends, outcomes, fund } = setUp();
    await fund();
    const topUp = await requestedByTheApi(world);
    expect(topUp.status.class).toBe('CREATED');
    expect(sends()).toBe(0);
    const delivery = commandDeliveryOf(command(), `api:${topUp.id}`);
    expect(await handler(delivery)).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    expect(world.database.tables().topUps.get(topUp.id)?.topUp.status.class).toBe('COMPLETED');
    expect(lines.find((l) => l['msg'] === 'top-up command handled')).toMatchObject({
      messageId: `api:${topUp.id}`,
      topUpId: topUp.id,
      outcome: 'accepted',
      sent: true,
    });
    // the same message (the inbox holds it), and the same request under another id (attempted now): no send
    expect(await handler(delivery)).toEqual(ConsumeDecision.Ack());
    expect(await handler(commandDeliveryOf(command(), 'order-1-again'))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(1);
    expect(await outcomes()).toEqual({ accepted: 1, duplicate: 2 });
  });

  it('sends nothing for a repeat of a top-up the ledger rejected (final, never attempted)', async () => {
    const { handler, world, sends, outcomes, fund } = setUp({ fundedMinor: 10n });
    await fund();
    const topUp = await requestedByTheApi(world);
    expect(topUp.status.class).toBe('REJECTED');
    expect(await handler(commandDeliveryOf(command(), `api:${topUp.id}`))).toEqual(ConsumeDecision.Ack());
    expect(sends()).toBe(0);
    expect(await outcomes()).toEqual({ duplicate: 1 });
  });

  it('twins of one request under two message ids on two workers: one accepted, one duplicate, whoever sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const world = inMemoryLayers({ products: sampleCatalogue });
        await world.run(fundAccount('account-1', 'USD', 100_000n));
        const gated: UnitOfWorkService = {
          transactionally: (work) =>
            Effect.zipRight(
              Effect.promise(() => s.schedule(Promise.resolve(), 'commit')),
              world.database.unitOfWork.transactionally(work),
            ),
        };
        const runtime: CommandRuntime = {
          runPromiseExit: (effect) => world.runtime.runPromiseExit(Effect.provideService(effect, UnitOfWork, gated)),
        };
        const metrics = makePlatformMetrics({ processMetrics: false });
        const { logger, lines } = makeRecordingLogger('info');
        const worker = () => makeTopUpCommandHandler({ runtime, consumerName: 'test-consumer', logger, metrics });
        const decisions = Promise.all([
          worker()(commandDeliveryOf(command(), 'order-1-first')),
          worker()(commandDeliveryOf(command(), 'order-1-twin')),
        ]);
        await s.waitFor(decisions);
        const ended = await decisions;
        // a twin refused as a concurrent writer is retried: its redelivery is then a repeat
        for (const [index, decision] of ended.entries()) {
          if (decision._tag === 'Retry')
            expect(
              await worker()(commandDeliveryOf(command(), index === 0 ? 'order-1-first' : 'order-1-twin')),
            ).toEqual(ConsumeDecision.Ack());
        }
        expect(world.provider.calls().filter((call) => call.operation === 'send')).toHaveLength(1);
        const outcomes = (await metrics.commands.get()).values
          .filter((v) => v.value > 0 && v.labels['outcome'] !== 'retried')
          .map((v) => [String(v.labels['outcome']), v.value]);
        expect(Object.fromEntries(outcomes)).toEqual({ accepted: 1, duplicate: 1 });
        const handled = lines.filter((line) => line['msg'] === 'top-up command handled');
        expect(handled.map((line) => line['outcome']).sort()).toEqual(['accepted', 'duplicate']);
        // the accepted one is the one that sent; the duplicate sent nothing
        expect(handled.find((line) => line['outcome'] === 'accepted')).toMatchObject({ sent: true });
      }),
      { numRuns: 60 },
    );
  });

  it('is sent once when two workers handle repeats of it at once, whatever the order of their commits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const world = inMemoryLayers({ products: sampleCatalogue });
        await world.run(fundAccount('account-1', 'USD', 100_000n));
        const topUp = await requestedByTheApi(world);
        // every unit of work waits for the scheduler: a worker may read the top-up while the other commits
        const gated: UnitOfWorkService = {
          transactionally: (work) =>
            Effect.zipRight(
              Effect.promise(() => s.schedule(Promise.resolve(), 'commit')),
              world.database.unitOfWork.transactionally(work),
            ),
        };
        const runtime: CommandRuntime = {
          runPromiseExit: (effect) => world.runtime.runPromiseExit(Effect.provideService(effect, UnitOfWork, gated)),
        };
        const metrics = makePlatformMetrics({ processMetrics: false });
        const worker = () =>
          makeTopUpCommandHandler({ runtime, consumerName: 'test-consumer', logger: makeLogger('silent'), metrics });
        // the API's command and a producer's repeat of the same request, on two workers
        const decisions = Promise.all([
          worker()(commandDeliveryOf(command(), `api:${topUp.id}`)),
          worker()(commandDeliveryOf(command(), 'order-1-republished')),
        ]);
        await s.waitFor(decisions);
        expect(await decisions).toEqual([ConsumeDecision.Ack(), ConsumeDecision.Ack()]);
        expect(world.provider.calls().filter((call) => call.operation === 'send')).toHaveLength(1);
        const stored = world.database.tables().topUps.get(topUp.id)?.topUp;
        expect(stored?.attempts).toHaveLength(1);
        expect(stored?.status.class).toBe('COMPLETED');
        const outcomes = (await metrics.commands.get()).values.map((v) => [String(v.labels['outcome']), v.value]);
        expect(Object.fromEntries(outcomes)).toEqual({ accepted: 1, duplicate: 1 });
      }),
      { numRuns: 60 },
    );
  });
});
