import { createHmac } from 'node:crypto';
import { PersistenceFailure } from '@airtime/domain';
import { Deferred, Effect, Either, Fiber, Layer } from 'effect';
import {
  makeRelayCallbackDeliveries,
  makeRelayCallbackSender,
  makeRelayClock,
  makeRelayUnitOfWork,
} from '../../testing';
import { type CallbackDelivery, CallbackDeliveryStore, CallbackSender } from '../ports/callback-deliveries.port';
import { CALLBACK_RETRY_DELAYS_MS } from './callback-retry.policy';
import { verifyCallbackSignature } from './callback-signature';
import {
  CALLBACK_MIN_LEASE_MS,
  callbackLeaseMs,
  deliverCallbacks,
  type DeliverCallbacksOptions,
  type DeliverCallbacksReport,
} from './deliver-callbacks.use-case';

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

interface Overrides {
  readonly store?: Partial<CallbackDeliveryStore['Type']>;
  readonly sender?: CallbackSender['Type'];
  readonly options?: Omit<DeliverCallbacksOptions, 'batchSize'>;
}

const setup = (deliveries: readonly Omit<CallbackDelivery, 'attempts'>[]) => {
  const unitOfWork = makeRelayUnitOfWork();
  const store = makeRelayCallbackDeliveries(unitOfWork);
  const sender = makeRelayCallbackSender({ unitOfWork });
  const clock = makeRelayClock(start);
  store.setSecret('acme', secret);
  for (const delivery of deliveries) Effect.runSync(store.service.enqueue(delivery));
  const program = (batchSize = 10, overrides: Overrides = {}) =>
    deliverCallbacks({ batchSize, ...overrides.options }).pipe(
      Effect.provide(
        Layer.mergeAll(
          unitOfWork.layer,
          clock.layer,
          Layer.succeed(CallbackDeliveryStore, { ...store.service, ...overrides.store }),
          Layer.succeed(CallbackSender, overrides.sender ?? sender.service),
        ),
      ),
    );
  const run = (batchSize = 10, overrides: Overrides = {}): Promise<Either.Either<DeliverCallbacksReport, unknown>> =>
    Effect.runPromise(Effect.either(program(batchSize, overrides)));
  /** What neither the store nor the endpoint should have seen. */
  const violations = () => [...store.violations(), ...sender.violations()];
  return { unitOfWork, store, sender, clock, program, run, violations };
};

/** A sender whose POSTs to `url` wait until `release` is completed; the others go to `sender`. */
const holding = (sender: CallbackSender['Type'], url: string, release: Deferred.Deferred<void>) => {
  const started = Effect.runSync(Deferred.make<void>());
  const service: CallbackSender['Type'] = {
    post: (to, body, headers) =>
      to === url
        ? Effect.zipRight(
            Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(release)),
            sender.post(to, body, headers),
          )
        : sender.post(to, body, headers),
  };
  return { service, started };
};

/** Lets the run's fibers go on until `done()` holds (or fails the test). */
const until = async (done: () => boolean): Promise<void> => {
  for (let turn = 0; turn < 1_000 && !done(); turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(done()).toBe(true);
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

  it('leases the claimed deliveries for callbackLeaseMs of the batch and timeout, or for the lease given', async () => {
    // 40 at 16 at a time: three rounds of at most 10 s + 1 s of grace, twice over; never under the minimum
    expect(callbackLeaseMs(40, 10_000)).toBe(3 * 11_000 * 2);
    expect(callbackLeaseMs(100, 10_000)).toBe(7 * 11_000 * 2);
    expect(callbackLeaseMs(1, 100)).toBe(CALLBACK_MIN_LEASE_MS);
    const leasedFor = async (options: Omit<DeliverCallbacksOptions, 'batchSize'>): Promise<number[]> => {
      const { program, store } = setup([deliveryOf(1), deliveryOf(2)]);
      const release = Effect.runSync(Deferred.make<void>());
      const held = holding(makeRelayCallbackSender().service, deliveryOf(1).url, release);
      const fiber = Effect.runFork(program(40, { sender: held.service, options }));
      await Effect.runPromise(Deferred.await(held.started));
      const lease = store.record('dlv-1');
      await Effect.runPromise(Fiber.interrupt(fiber));
      return [(lease?.delivery.nextAttemptAt.getTime() ?? 0) - start.getTime(), lease?.leases ?? 0];
    };
    expect(await leasedFor({ callbackTimeoutMs: 10_000 })).toEqual([66_000, 1]);
    expect(await leasedFor({})).toEqual([66_000, 1]); // the default timeout is 10 s
    expect(await leasedFor({ callbackTimeoutMs: 10_000, leaseMs: 90_000 })).toEqual([90_000, 1]);
  });

  it('holds no transaction while POSTing: the claim commits first, then each try is recorded in a unit of work of its own', async () => {
    const { run, store, unitOfWork, sender, violations } = setup([1, 2, 3].map((n) => deliveryOf(n)));
    const seen: { open: number; commits: number; locked: number }[] = [];
    const watching: CallbackSender['Type'] = {
      post: (url, body, headers) =>
        Effect.zipRight(
          Effect.sync(() =>
            seen.push({
              ...unitOfWork.stats(),
              locked: store.records().filter((r) => r.lockedBy !== undefined).length,
            }),
          ),
          sender.service.post(url, body, headers),
        ),
    };
    expect(await run(10, { sender: watching })).toEqual(report(3, 3, 0, 0));
    expect(seen[0]).toEqual({ open: 0, commits: 1, rollbacks: 0, locked: 0 });
    expect(seen.every(({ locked }) => locked === 0)).toBe(true);
    expect(unitOfWork.stats()).toEqual({ commits: 4, rollbacks: 0, open: 0 });
    // the endpoint saw no POST inside a transaction, the store no try outside one
    expect(violations()).toEqual([]);
    await run(10, { sender: watching });
    expect(sender.violations()).toEqual([]);
  });

  it('a slow receiver delays no other record: the others are recorded while its POST waits', async () => {
    const { program, sender, store, violations } = setup([1, 2, 3, 4].map((n) => deliveryOf(n)));
    const release = Effect.runSync(Deferred.make<void>());
    const slow = holding(sender.service, deliveryOf(1).url, release);
    const fiber = Effect.runFork(program(10, { sender: slow.service }));
    await until(() => [2, 3, 4].every((n) => store.record(`dlv-${n}`)?.deliveredAt !== undefined));
    expect(store.record('dlv-1')?.tries).toEqual([]);
    Effect.runSync(Deferred.succeed(release, undefined));
    expect(await Effect.runPromise(Fiber.join(fiber))).toEqual({ claimed: 4, delivered: 4, failed: 0, abandoned: 0 });
    expect(store.record('dlv-1')?.deliveredAt).toBeDefined();
    expect(violations()).toEqual([]);
  });

  it('counts a POST that outlives the sender timeout by the grace as no answer, and tries it again later', async () => {
    const { run, store } = setup([deliveryOf(1)]);
    const never: CallbackSender['Type'] = { post: () => Effect.never };
    expect(await run(10, { sender: never, options: { callbackTimeoutMs: 20 } })).toEqual(report(1, 0, 1, 0));
    expect(store.record('dlv-1')?.tries).toEqual([
      { at: start, durationMs: 1_020, status: null, error: 'no answer within 20 ms' },
    ]);
    expect(store.record('dlv-1')?.delivery.nextAttemptAt.getTime()).toBe(start.getTime() + 10_000);
  });

  it('POSTs again, once the lease ends, a delivery whose dispatcher died between the claim and the record', async () => {
    const { program, run, sender, store, clock, violations } = setup([deliveryOf(1), deliveryOf(2)]);
    const release = Effect.runSync(Deferred.make<void>());
    const slow = holding(sender.service, deliveryOf(1).url, release);
    const fiber = Effect.runFork(program(10, { sender: slow.service }));
    await Effect.runPromise(Deferred.await(slow.started));
    await until(() => store.record('dlv-2')?.deliveredAt !== undefined);
    await Effect.runPromise(Fiber.interrupt(fiber)); // the process dies mid-POST
    expect(store.record('dlv-1')?.tries).toEqual([]);

    const leaseMs = callbackLeaseMs(10, 10_000);
    expect(await run()).toEqual(report(0, 0, 0, 0)); // still leased: no other dispatcher takes it
    clock.advance(leaseMs - 1);
    expect(await run()).toEqual(report(0, 0, 0, 0));
    clock.advance(1);
    expect(await run()).toEqual(report(1, 1, 0, 0));
    const toDlv1 = sender.posts().filter((p) => p.url === deliveryOf(1).url);
    expect(toDlv1.map((p) => p.headers['X-Airtime-Event-Id'])).toEqual(['evt-1']); // the held one never reached it
    expect(store.record('dlv-1')?.tries).toHaveLength(1);
    expect(store.record('dlv-2')?.tries).toHaveLength(1);
    expect(violations()).toEqual([]);
  });

  it('records the others when one record fails, fails the run, and POSTs the unrecorded one again after the lease', async () => {
    const { run, sender, store, clock } = setup([deliveryOf(1), deliveryOf(2)]);
    const failed = await run(10, {
      store: {
        recordTry: (id, attempt, outcome) =>
          id === 'dlv-1'
            ? Effect.fail(new PersistenceFailure({ reason: 'connection lost', retryable: true }))
            : store.service.recordTry(id, attempt, outcome),
      },
    });
    expect(Either.isLeft(failed) && failed.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: true });
    expect(store.record('dlv-1')?.tries).toEqual([]);
    expect(store.record('dlv-2')?.deliveredAt).toBeDefined();
    expect(await run()).toEqual(report(0, 0, 0, 0));
    clock.advance(callbackLeaseMs(10, 10_000));
    expect(await run()).toEqual(report(1, 1, 0, 0));
    expect(sender.posts().map((p) => p.headers['X-Airtime-Event-Id'])).toEqual(['evt-1', 'evt-2', 'evt-1']);
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
