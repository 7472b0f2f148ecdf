import { AirtimeProvider, LedgerStore, preciseOf, providerExternalIdFor, type TopUp } from '@airtime/domain';
import { Cause, Effect, Either, Exit } from 'effect';
import {
  fundAccount,
  inMemoryLayers,
  type InMemoryWorld,
  observingTopUpReads,
  sampleCatalogue,
  sampleRequestInput,
} from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { ProviderCallbackUrls } from '../ports/provider-callback-urls.port';
import { sendAttempt, sendAttemptReporting } from './send-attempt.use-case';

const MINUTE = 60_000;

const setUp = async (overrides: Parameters<typeof sampleRequestInput>[0] = {}) => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput(overrides)));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  return { world, topUp: created.topUp };
};

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const eventTypes = (world: InMemoryWorld) => world.database.tables().outbox.map((record) => record.event.type);

const sends = (world: InMemoryWorld) => world.provider.calls().filter((call) => call.operation === 'send');

describe('sendAttempt', () => {
  it('commits the attempt before the request leaves, then completes: captured, topup.completed, callback owed', async () => {
    const seenAtSend: (TopUp | undefined)[] = [];
    const world: InMemoryWorld = inMemoryLayers({
      products: sampleCatalogue,
      gate: (call) =>
        Effect.sync(() => {
          if (call.operation === 'send') seenAtSend.push([...world.database.tables().topUps.values()][0]?.topUp);
        }),
    });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput({ callback_url: 'https://caller.example/hook' })));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    const topUp = created.topUp;
    const sent = await world.run(sendAttempt(topUp.id));
    // what the database held when the request left: the attempt, committed
    expect(seenAtSend[0]?.attempts.map((attempt) => attempt.state)).toEqual(['InFlight']);
    expect(sent).toMatchObject({ status: { class: 'COMPLETED' }, attempts: [{ state: 'Succeeded' }] });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n, availableMinor: 9_814n });
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.completed']);
    const deliveries = [...world.database.tables().deliveries.values()];
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.delivery).toMatchObject({ url: 'https://caller.example/hook', topUpId: topUp.id });
    expect(JSON.parse(deliveries[0]?.delivery.body ?? '{}')).toMatchObject({
      type: 'topup.completed',
      data: { topUpId: topUp.id, statusClass: 'COMPLETED' },
    });
  });

  it('sends a top-up from the copy its request created without reading it, and ends as a read start would', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput()));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    let reads = 0;
    const sent = await world.run(
      observingTopUpReads(
        sendAttemptReporting(created.topUp.id, { topUp: created.topUp, version: created.version }),
        () => Effect.sync(() => (reads += 1)),
      ),
    );
    expect(reads).toBe(0);
    expect(sent).toMatchObject({ _tag: 'Sent', attemptNumber: 1, topUp: { status: { class: 'COMPLETED' } } });
    expect(world.database.tables().topUps.get(created.topUp.id)).toMatchObject({
      version: created.version + 2,
      topUp: { status: { class: 'COMPLETED' }, attempts: [{ number: 1, state: 'Succeeded' }] },
    });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n, availableMinor: 9_814n });
    expect(sends(world)).toHaveLength(1);
  });

  it.each(['created copy', 'copy at the first send'] as const)(
    'decides again on a fresh read when the copy in hand is behind (%s): the lost start is never sent, the due retry is',
    async (which) => {
      const atSend: { topUp: TopUp; version: number }[] = [];
      const world: InMemoryWorld = inMemoryLayers({
        products: sampleCatalogue,
        gate: (call) =>
          Effect.sync(() => {
            const stored = [...world.database.tables().topUps.values()][0];
            if (call.operation === 'send' && stored !== undefined) atSend.push(stored);
          }),
      });
      await world.run(fundAccount('account-1', 'USD', 10_000n));
      const created = await world.run(requestTopUp(sampleRequestInput()));
      if (created._tag !== 'Created') throw new Error('expected a new top-up');
      // another worker sends attempt 1, which is certainly not delivered; its retry comes due a minute later
      world.provider.scriptSends({ _tag: 'Unavailable' });
      await world.run(sendAttempt(created.topUp.id));
      world.clock.advance(MINUTE);
      // the copy in hand: as created (startable, but stale), or with attempt 1 in flight (the domain refuses a start)
      const known = which === 'created copy' ? { topUp: created.topUp, version: created.version } : atSend[0];
      if (known === undefined) throw new Error('expected the copy seen at the first send');
      const sent = await world.run(sendAttemptReporting(created.topUp.id, known));
      expect(sent).toMatchObject({ _tag: 'Sent', attemptNumber: 2, topUp: { status: { class: 'COMPLETED' } } });
      // attempt 1 once (the copy's start was never sent), then attempt 2 under its own external id
      expect(sends(world).map((call) => call.providerExternalId)).toEqual(
        [1, 2].map((number) => providerExternalIdFor('account-1', created.topUp.externalId, number)),
      );
      expect(
        world.database
          .tables()
          .topUps.get(created.topUp.id)
          ?.topUp.attempts.map((a) => a.state),
      ).toEqual(['Failed', 'Succeeded']);
      expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
    },
  );

  it('refuses a copy in hand of another top-up as a defect, sending nothing', async () => {
    const { world, topUp } = await setUp();
    const other = await world.run(requestTopUp(sampleRequestInput({ external_id: 'order-other' })));
    if (other._tag !== 'Created') throw new Error('expected a new top-up');
    const exit = await world.runtime.runPromiseExit(
      sendAttemptReporting(topUp.id, { topUp: other.topUp, version: other.version }),
    );
    expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true);
    expect(sends(world)).toHaveLength(0);
  });

  it('sends the product and amount of the quote under the attempt external id', async () => {
    const { world, topUp } = await setUp();
    await world.run(sendAttempt(topUp.id));
    const [arrived] = world.provider.arrived();
    expect(arrived?.request).toMatchObject({
      providerExternalId: providerExternalIdFor('account-1', topUp.externalId, 1),
      product: { id: 'smart-100' },
      receive: { amountMinor: 10_000n },
      destination: { e164: '+639171234100' },
    });
  });

  it("gives the provider the top-up's callback URL (with its token) when the app serves them, none otherwise", async () => {
    const { world, topUp } = await setUp();
    const urls = { urlFor: (token: string) => `https://api.example/v1/provider-callbacks/${token}` };
    await world.run(Effect.provideService(sendAttempt(topUp.id), ProviderCallbackUrls, urls));
    expect(world.provider.arrived()[0]?.request.callbackUrl).toBe(
      'https://api.example/v1/provider-callbacks/token-000001',
    );
    const other = await world.run(requestTopUp(sampleRequestInput({ external_id: 'order-2' })));
    if (other._tag !== 'Created') throw new Error('expected a new top-up');
    await world.run(sendAttempt(other.topUp.id));
    expect(world.provider.arrived()[1]?.request.callbackUrl).toBeUndefined();
  });

  it('keeps a pending top-up held until the provider reports (no capture, no final event)', async () => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends({ _tag: 'Pending', status: 'SUBMITTED' });
    const sent = await world.run(sendAttempt(topUp.id));
    expect(sent).toMatchObject({ status: { class: 'SUBMITTED' }, attempts: [{ state: 'Pending' }] });
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n, capturedMinor: 0n });
    expect(eventTypes(world)).toEqual(['topup.created']);
  });

  it('schedules a retry after a failure that was certainly not sent, and sends no attempt before it is due', async () => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends({ _tag: 'Unavailable' });
    const start = world.clock.current();
    const failed = await world.run(sendAttempt(topUp.id));
    expect(failed).toMatchObject({ status: { class: 'CREATED' }, attempts: [{ state: 'Failed' }] });
    expect(failed.nextAttemptAt?.getTime()).toBe(start.getTime() + MINUTE);
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.retry_scheduled']);
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n });
    expect(await world.run(sendAttemptReporting(topUp.id))).toMatchObject({
      _tag: 'NotStarted',
      reason: 'AttemptNotDue',
    });
    expect(sends(world)).toHaveLength(1);
    world.clock.advance(MINUTE);
    const retried = await world.run(sendAttemptReporting(topUp.id));
    expect(retried).toMatchObject({ _tag: 'Sent', attemptNumber: 2, topUp: { status: { class: 'COMPLETED' } } });
    expect(sends(world).map((call) => call.providerExternalId)).toEqual([
      providerExternalIdFor('account-1', topUp.externalId, 1),
      providerExternalIdFor('account-1', topUp.externalId, 2),
    ]);
  });

  it.each([
    ['a rate limit', { _tag: 'RateLimited', retryAfterMs: 10 * MINUTE } as const, 10 * MINUTE],
    ['"not now"', { _tag: 'RetryLater', afterMs: 7 * MINUTE } as const, 7 * MINUTE],
    ['a rate limit shorter than the schedule', { _tag: 'RateLimited', retryAfterMs: 1_000 } as const, MINUTE],
  ])('waits for the latest of the schedule and the time %s names', async (_case, script, waitMs) => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends(script);
    const start = world.clock.current();
    const failed = await world.run(sendAttempt(topUp.id));
    expect(failed.nextAttemptAt?.getTime()).toBe(start.getTime() + waitMs);
  });

  it('ends the top-up on a definite refusal: voided, topup.failed', async () => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends({ _tag: 'Reject', retryable: false });
    const failed = await world.run(sendAttempt(topUp.id));
    expect(failed).toMatchObject({ status: { class: 'REJECTED' }, failureReason: { reason: 'REJECTED_BY_PROVIDER' } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
    expect(eventTypes(world)).toEqual(['topup.created', 'topup.failed']);
  });

  it('retries an operator that is unavailable, and ends declined with its hold voided once attempts run out', async () => {
    const { world, topUp } = await setUp();
    world.provider.scriptSends(
      ...Array.from(
        { length: 7 },
        () => ({ _tag: 'Decline', status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' }) as const,
      ),
    );
    let current = topUp;
    for (const delayMinutes of [1, 2, 5, 30, 60, 120, 0]) {
      current = await world.run(sendAttempt(topUp.id));
      world.clock.advance(delayMinutes * MINUTE);
    }
    expect(current).toMatchObject({
      status: { status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' },
      failureReason: { reason: 'OPERATOR_UNAVAILABLE', attemptsExhausted: true },
    });
    expect(current.attempts).toHaveLength(7);
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
    const types = eventTypes(world);
    expect(types.filter((type) => type === 'topup.retry_scheduled')).toHaveLength(6);
    expect(types.at(-1)).toBe('topup.failed');
    expect(await world.run(sendAttemptReporting(topUp.id))).toMatchObject({
      _tag: 'NotStarted',
      reason: 'TopUpAlreadyFinal',
    });
  });

  it.each([
    ['a timeout after the request arrived', { _tag: 'TimeoutAfterArrival' } as const, 'TIMEOUT_AFTER_SEND'],
    ['a lost connection', { _tag: 'LostBeforeArrival' } as const, 'CONNECTION_LOST_AFTER_SEND'],
    ['an answer that does not match the request', { _tag: 'Mismatch' } as const, 'UNCLEAR_ANSWER_AFTER_SEND'],
  ])(
    'holds %s as an unknown outcome: nothing resent, nothing moved, topup.unknown_outcome',
    async (_case, script, reason) => {
      const { world, topUp } = await setUp();
      world.provider.scriptSends(script);
      const unknown = await world.run(sendAttempt(topUp.id));
      expect(unknown).toMatchObject({
        awaitingStatusQuery: true,
        attempts: [{ state: 'Unknown', unknownReason: reason }],
      });
      expect(eventTypes(world)).toEqual(['topup.created', 'topup.unknown_outcome']);
      expect(await usd(world)).toMatchObject({ holdingMinor: 186n, capturedMinor: 0n });
      world.clock.advance(300 * MINUTE);
      expect(await world.run(sendAttemptReporting(topUp.id))).toMatchObject({
        _tag: 'NotStarted',
        reason: 'UnresolvedAttempt',
      });
      expect(sends(world)).toHaveLength(1);
    },
  );

  it('answers "external id already used" with the transaction the provider has (fetched by status query), never a failure', async () => {
    const { world, topUp } = await setUp();
    const externalId = providerExternalIdFor('account-1', topUp.externalId, 1);
    await world.run(
      Effect.flatMap(AirtimeProvider, (provider) =>
        provider.send({
          providerExternalId: externalId,
          product: topUp.quote.product,
          destination: topUp.destination,
          receive: topUp.quote.receive,
        }),
      ),
    );
    const settled = await world.run(sendAttempt(topUp.id));
    expect(settled).toMatchObject({
      status: { class: 'COMPLETED' },
      attempts: [{ state: 'Succeeded', providerTransactionId: 'ptx-1' }],
    });
    expect(world.provider.calls().map((call) => call.operation)).toContain('statusByExternalId');
    expect(world.provider.arrived()).toHaveLength(1);
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n });
  });

  it('holds an "already used" whose transaction cannot be read as an unknown outcome', async () => {
    const { world, topUp } = await setUp();
    const externalId = providerExternalIdFor('account-1', topUp.externalId, 1);
    await world.run(
      Effect.flatMap(AirtimeProvider, (provider) =>
        provider.send({
          providerExternalId: externalId,
          product: topUp.quote.product,
          destination: topUp.destination,
          receive: topUp.quote.receive,
        }),
      ),
    );
    world.provider.scriptStatusQueries({ _tag: 'Unavailable' });
    const unknown = await world.run(sendAttempt(topUp.id));
    expect(unknown).toMatchObject({ awaitingStatusQuery: true, attempts: [{ state: 'Unknown' }] });
  });

  it('fails with TopUpNotFound for an id it does not know', async () => {
    const { world } = await setUp();
    expect(await world.runEither(sendAttempt('nope'))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpNotFound', topUpId: 'nope' })),
    );
  });

  it('sends the amount received exactly (the checked answer keeps the precise amount)', async () => {
    const { world, topUp } = await setUp();
    await world.run(sendAttempt(topUp.id));
    expect(world.provider.arrived()[0]?.transaction.receive).toEqual(preciseOf(topUp.quote.receive));
  });
});
