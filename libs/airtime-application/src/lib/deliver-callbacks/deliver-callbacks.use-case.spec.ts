import { createHmac } from 'node:crypto';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import {
  makeRelayCallbackDeliveries,
  makeRelayCallbackSender,
  makeRelayClock,
  makeRelayUnitOfWork,
} from '../../testing';
import { type CallbackDelivery, CallbackDeliveryStore, CallbackSender } from '../ports/callback-deliveries.port';
import { CALLBACK_RETRY_DELAYS_MS } from './callback-retry.policy';
import { verifyCallbackSignature } from './callback-signature';
import { deliverCallbacks, type DeliverCallbacksReport } from './deliver-callbacks.use-case';

const start = new Date('2026-12-01T10:00:00Z');
const secret = 'whsec-acme-0123456789';

const deliveryOf = (n: number, overrides: Partial<CallbackDelivery> = {}): Omit<CallbackDelivery, 'attempts'> => ({
  id: `dlv-${n}`,
  eventId: `evt-${n}`,
  topUpId: `topup-${n}`,
  accountId: 'acme',
  url: `https://acme.example/callbacks/${n}`,
  body: JSON.stringify({ type: 'topup.completed', topUpId: `topup-${n}`, note: 'café €' }),
  nextAttemptAt: start,
  createdAt: start,
  ...overrides,
});

const setup = (deliveries: readonly Omit<CallbackDelivery, 'attempts'>[]) => {
  const unitOfWork = makeRelayUnitOfWork();
  const store = makeRelayCallbackDeliveries(unitOfWork);
  const sender = makeRelayCallbackSender();
  const clock = makeRelayClock(start);
  store.setSecret('acme', secret);
  for (const delivery of deliveries) Effect.runSync(store.service.enqueue(delivery));
  const layerWith = (overrides: { store?: Partial<CallbackDeliveryStore['Type']>; sender?: CallbackSender['Type'] }) =>
    Layer.mergeAll(
      unitOfWork.layer,
      clock.layer,
      Layer.succeed(CallbackDeliveryStore, { ...store.service, ...overrides.store }),
      Layer.succeed(CallbackSender, overrides.sender ?? sender.service),
    );
  const run = (
    batchSize = 10,
    overrides: { store?: Partial<CallbackDeliveryStore['Type']>; sender?: CallbackSender['Type'] } = {},
  ): Promise<Either.Either<DeliverCallbacksReport, unknown>> =>
    Effect.runPromise(Effect.either(deliverCallbacks({ batchSize }).pipe(Effect.provide(layerWith(overrides)))));
  return { unitOfWork, store, sender, clock, run };
};

const report = (claimed: number, delivered: number, failed: number, abandoned: number) =>
  Either.right({ claimed, delivered, failed, abandoned });

describe('deliverCallbacks', () => {
  it('POSTs the exact body signed with the account secret over the time of the try, with the event id, and records it delivered', async () => {
    const { run, sender, store, clock } = setup([deliveryOf(1)]);
    clock.advance(1_500);
    expect(await run()).toEqual(report(1, 1, 0, 0));
    const [post] = sender.posts();
    const body = deliveryOf(1).body;
    expect(post?.url).toBe('https://acme.example/callbacks/1');
    expect(post?.body).toBe(body);
    // the signature a caller computes over the time and the bytes it received
    const t = Math.floor(start.getTime() / 1000) + 1;
    const expected = createHmac('sha256', secret)
      .update(Buffer.from(`${t}.${body}`, 'utf8'))
      .digest('hex');
    expect(post?.headers).toEqual({
      'X-Airtime-Signature': `t=${t},v1=${expected}`,
      'X-Airtime-Event-Id': 'evt-1',
    });
    expect(verifyCallbackSignature(secret, post?.headers['X-Airtime-Signature'], body, t * 1000 + 30_000)).toEqual({
      valid: true,
      timestampSeconds: t,
    });
    const record = store.record('dlv-1');
    expect(record?.deliveredAt?.toISOString()).toBe('2026-12-01T10:00:01.500Z');
    expect(record?.tries).toEqual([{ at: new Date(start.getTime() + 1_500), durationMs: 12, status: 200 }]);
    expect(await run()).toEqual(report(0, 0, 0, 0));
    expect(sender.posts()).toHaveLength(1);
    expect(store.violations()).toEqual([]);
  });

  it('counts any 2xx as delivered, and a redirect, a 4xx, a 5xx or no answer as a failed try', async () => {
    const { run, sender, store } = setup([1, 2, 3, 4, 5, 6].map((n) => deliveryOf(n)));
    sender.answer(deliveryOf(1).url, 204);
    sender.answer(deliveryOf(2).url, 301);
    sender.answer(deliveryOf(3).url, 404);
    sender.answer(deliveryOf(4).url, 503);
    sender.answer(deliveryOf(5).url, { error: 'no answer within 10000 ms' });
    sender.answer(deliveryOf(6).url, 299);
    expect(await run()).toEqual(report(6, 2, 4, 0));
    const tries = (n: number) => store.record(`dlv-${n}`)?.tries.map((t) => [t.status, t.error]);
    expect(tries(2)).toEqual([[301, 'HTTP 301']]);
    expect(tries(3)).toEqual([[404, 'HTTP 404']]);
    expect(tries(4)).toEqual([[503, 'HTTP 503']]);
    expect(tries(5)).toEqual([[null, 'no answer within 10000 ms']]);
    expect(store.record('dlv-2')?.delivery.nextAttemptAt.toISOString()).toBe('2026-12-01T10:00:10.000Z');
  });

  it('tries a failing endpoint on the backoff schedule, seven times in all, then abandons it', async () => {
    const { run, sender, store, clock } = setup([deliveryOf(1)]);
    sender.answer(deliveryOf(1).url, 500);
    expect(await run()).toEqual(report(1, 0, 1, 0));
    for (const [i, delayMs] of CALLBACK_RETRY_DELAYS_MS.entries()) {
      clock.advance(delayMs - 1);
      expect(await run()).toEqual(report(0, 0, 0, 0)); // not due yet
      clock.advance(1);
      const last = i === CALLBACK_RETRY_DELAYS_MS.length - 1;
      expect(await run()).toEqual(last ? report(1, 0, 0, 1) : report(1, 0, 1, 0));
    }
    const record = store.record('dlv-1');
    expect(record?.tries).toHaveLength(7);
    expect(record?.abandoned).toBe(true);
    clock.advance(365 * 24 * 3_600_000);
    expect(await run()).toEqual(report(0, 0, 0, 0));
    expect(sender.posts()).toHaveLength(7);
  });

  it('delivers on a later try once the endpoint answers 2xx', async () => {
    const { run, sender, store, clock } = setup([deliveryOf(1)]);
    sender.answer(deliveryOf(1).url, 502, { error: 'connection refused' }, 200);
    await run();
    clock.advance(10_000);
    await run();
    clock.advance(60_000);
    expect(await run()).toEqual(report(1, 1, 0, 0));
    expect(store.record('dlv-1')?.tries.map((t) => t.status)).toEqual([502, null, 200]);
    // every try of a delivery carries the same event id, and is signed anew with its own time
    expect(new Set(sender.posts().map((p) => p.headers['X-Airtime-Event-Id']))).toEqual(new Set(['evt-1']));
    const times = sender.posts().map((p) => /^t=(\d+),/.exec(p.headers['X-Airtime-Signature'] ?? '')?.[1]);
    const t0 = Math.floor(start.getTime() / 1000);
    expect(times).toEqual([t0, t0 + 10, t0 + 70].map(String));
  });

  it('abandons at once, POSTing nothing, a delivery whose account has no signing secret', async () => {
    const { run, sender, store } = setup([deliveryOf(1, { accountId: 'no-secret' }), deliveryOf(2)]);
    expect(await run()).toEqual(report(2, 1, 0, 1));
    expect(sender.posts().map((p) => p.url)).toEqual([deliveryOf(2).url]);
    const record = store.record('dlv-1');
    expect(record?.abandoned).toBe(true);
    expect(record?.tries).toEqual([
      { at: start, durationMs: 0, status: null, error: 'the account has no callback signing secret' },
    ]);
  });

  it('claims at most a batch of due deliveries, oldest due first, and leaves those not due', async () => {
    const { run, sender } = setup([
      deliveryOf(1, { nextAttemptAt: new Date(start.getTime() - 3_000) }),
      deliveryOf(2, { nextAttemptAt: new Date(start.getTime() + 60_000) }),
      deliveryOf(3, { nextAttemptAt: new Date(start.getTime() - 1_000) }),
      deliveryOf(4, { nextAttemptAt: new Date(start.getTime() - 2_000) }),
    ]);
    expect(await run(2)).toEqual(report(2, 2, 0, 0));
    expect(sender.posts().map((p) => p.headers['X-Airtime-Event-Id'])).toEqual(['evt-1', 'evt-4']);
    expect(await run(2)).toEqual(report(1, 1, 0, 0));
    expect(sender.posts().map((p) => p.headers['X-Airtime-Event-Id'])).toEqual(['evt-1', 'evt-4', 'evt-3']);
  });

  it('reads each account secret once per run', async () => {
    const { run, store } = setup([1, 2, 3].map((n) => deliveryOf(n)));
    let lookups = 0;
    await run(10, {
      store: {
        signingSecretOf: (accountId) => Effect.tap(store.service.signingSecretOf(accountId), () => void lookups++),
      },
    });
    expect(lookups).toBe(1);
  });

  it('records nothing when the unit of work fails, so the deliveries are POSTed again later', async () => {
    const { run, sender, store } = setup([deliveryOf(1)]);
    const failed = await run(10, {
      store: { recordTry: () => Effect.fail(new PersistenceFailure({ reason: 'connection lost', retryable: true })) },
    });
    expect(Either.isLeft(failed) && failed.left).toMatchObject({ _tag: 'PersistenceFailure' });
    expect(store.record('dlv-1')?.tries).toEqual([]);
    expect(await run()).toEqual(report(1, 1, 0, 0));
    expect(sender.posts()).toHaveLength(2);
  });

  it('two dispatchers at once never POST the same delivery twice', async () => {
    const { run, sender, store } = setup(Array.from({ length: 20 }, (_, i) => deliveryOf(i)));
    // a slow endpoint: each POST yields several times, so the runs interleave
    const slow: CallbackSender['Type'] = {
      post: (url, body, headers) => Effect.zipRight(Effect.sleep('1 millis'), sender.service.post(url, body, headers)),
    };
    const results = await Promise.all([run(7, { sender: slow }), run(7, { sender: slow }), run(7, { sender: slow })]);
    const claimed = results.map((r) => (Either.isRight(r) ? r.right.claimed : -1));
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(20);
    const ids = sender.posts().map((p) => p.headers['X-Airtime-Event-Id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(store.records().every((r) => r.deliveredAt !== undefined)).toBe(true);
    expect(store.violations()).toEqual([]);
  });
});
