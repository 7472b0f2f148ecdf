import { AirtimeProvider, LedgerStore, parsePreciseMoney, transactionStatus } from '@airtime/domain';
import { Deferred, Effect, Either, Option } from 'effect';
import { type InMemoryWorld, PHP } from '../../testing';
import { ReconciliationStore } from '../ports/reconciliation-store.port';
import {
  DAY,
  HOUR,
  reconcile,
  reconcilingWorld,
  recordedProgress,
  sentTopUp,
  strangerTransaction,
  withoutRun,
} from './reconcile-day.fixture';
import { reconcileDay } from './reconcile-day.use-case';

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const statusOf = (world: InMemoryWorld, topUpId: string) =>
  world.database.tables().topUps.get(topUpId)?.topUp.status.status;

const php = (text: string) => Either.getOrThrow(parsePreciseMoney(text, PHP));

describe('reconcileDay: a clean day', () => {
  it('matches every top-up, compares the captured charges, and reports MATCHED', async () => {
    const world = await reconcilingWorld();
    for (const id of ['order-1', 'order-2', 'order-3']) await sentTopUp(world, id);
    const { report, summary } = await reconcile(world);
    expect(report).toMatchObject({
      version: 1,
      provider: 'scripted',
      window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' },
      outcome: 'MATCHED',
      match: { performed: true },
      counts: { ours: 3, theirs: 3, matched: 3, inFlight: 0, settled: 0, awaitingDecision: 0, balanceMismatches: 0 },
      amounts: [{ currency: 'USD', ours: '5.571', theirs: '5.571', mismatched: '0.00' }],
      mismatches: [],
      settlements: [],
    });
    expect(report.balances).toContainEqual(
      expect.objectContaining({ currency: 'USD', field: 'captured', ours: '5.571', theirs: '5.571', matches: true }),
    );
    expect(summary).toContain('Outcome: MATCHED');
  });

  it('stores the run with its report and summary and publishes reconciliation.completed in one unit of work', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    const { report, summary } = await reconcile(world, { input: { runId: 'run-1' } });
    const stored = await world.run(
      Effect.flatMap(ReconciliationStore, (store) => store.latestRun({ providerId: 'scripted', ...DAY })),
    );
    expect(Option.getOrThrow(stored)).toMatchObject({ id: 'run-1', outcome: 'MATCHED', report, summary });
    const event = world.database.tables().outbox.find((record) => record.event.type === 'reconciliation.completed');
    expect(event?.event).toMatchObject({
      aggregateId: 'run-1',
      payload: { runId: 'run-1', provider: 'scripted', outcome: 'MATCHED', counts: { matched: 1 } },
    });
  });

  it('leaves the run unfinished and publishes nothing when the final unit of work fails', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    world.database.failNextCommits(1);
    const run = reconcileDay({ providerId: 'scripted', ...DAY, runId: 'run-1' });
    world.clock.set(new Date('2026-01-02T02:00:00.000Z'));
    expect(await world.runEither(run)).toEqual(Either.left(expect.objectContaining({ _tag: 'PersistenceFailure' })));
    expect(world.reconciliation.runs()).toEqual([expect.objectContaining({ id: 'run-1', finishedAt: undefined })]);
    expect(world.database.tables().outbox.some((record) => record.event.type === 'reconciliation.completed')).toBe(
      false,
    );
  });

  it('tells its progress phase by phase, in order', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    const progress = recordedProgress();
    await reconcile(world, { progress });
    expect(progress.calls()).toEqual([
      'phase settle 0',
      'done',
      'phase match ?',
      'tick 1',
      'done',
      'phase balance 3',
      'tick 1',
      'tick 1',
      'tick 1',
      'done',
      'phase report 1',
      'tick 1',
      'done',
    ]);
  });

  it('counts a young unsettled attempt in flight, never a mismatch', async () => {
    const world = await reconcilingWorld();
    world.clock.set(new Date('2026-01-01T23:55:00.000Z'));
    await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const { report } = await reconcile(world, { at: new Date('2026-01-02T00:05:00.000Z') });
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { inFlight: 1, matched: 0, settled: 0 } });
  });

  it('runs one reconciliation of a window at a time: a second one at once fails busy, touching nothing', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    const reached = Effect.runSync(Deferred.make<void>());
    const listing = Effect.runSync(Deferred.make<void>());
    const slow = {
      ...world.provider,
      listTransactions: (...args: Parameters<typeof world.provider.listTransactions>) =>
        Effect.zipRight(
          Effect.zipRight(Deferred.succeed(reached, undefined), Deferred.await(listing)),
          world.provider.listTransactions(...args),
        ),
    };
    world.clock.set(new Date('2026-01-02T02:00:00.000Z'));
    const run = (runId: string) =>
      world.runEither(
        Effect.provideService(reconcileDay({ providerId: 'scripted', ...DAY, runId }), AirtimeProvider, slow),
      );
    const first = run('run-1');
    await Effect.runPromise(Deferred.await(reached));
    const second = await run('run-2');
    expect(second).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'ReconciliationWindowBusy',
          windowKey: 'scripted/2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z',
        }),
      ),
    );
    Effect.runSync(Deferred.succeed(listing, undefined));
    expect(await first).toEqual(
      Either.right(expect.objectContaining({ report: expect.objectContaining({ outcome: 'MATCHED' }) })),
    );
    expect(world.reconciliation.runs().map((stored) => stored.id)).toEqual(['run-1']);
    expect(Either.isRight(await run('run-3'))).toBe(true);
  });

  it('refuses a window that does not start before it ends, and a provider it does not talk to', async () => {
    const world = await reconcilingWorld();
    expect(await world.runEither(reconcileDay({ providerId: 'scripted', from: DAY.to, to: DAY.from }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput' })),
    );
    expect(await world.runEither(reconcileDay({ providerId: 'dtone', ...DAY }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ReconcileProviderMismatch', configured: 'scripted' })),
    );
  });
});

describe('reconcileDay: amounts', () => {
  it('reports an amount the provider delivered differently: AMOUNT_DIFFERS, nothing changed', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    world.provider.amend(providerExternalId, { receive: php('90') });
    const { report } = await reconcile(world);
    expect(report.mismatches).toEqual([
      expect.objectContaining({
        kind: 'AMOUNT_DIFFERS',
        providerExternalId,
        ours: expect.objectContaining({ topUpId: topUp.id, receive: { amount: '100.00', currency: 'PHP' } }),
        theirs: [expect.objectContaining({ receive: { amount: '90.00', currency: 'PHP' } })],
      }),
    ]);
    expect(report.amounts).toEqual([{ currency: 'USD', ours: '1.857', theirs: '1.857', mismatched: '1.857' }]);
    expect(statusOf(world, topUp.id)).toBe('COMPLETED');
  });
});

describe('reconcileDay: a provider status is applied only through settlements', () => {
  it('never moves a final status on: provider COMPLETED while ours DECLINED is STATUS_DIFFERS', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Decline' });
    world.provider.amend(providerExternalId, { status: transactionStatus('COMPLETED') });
    const before = await usd(world);
    const { report } = await reconcile(world);
    expect(report.mismatches).toEqual([expect.objectContaining({ kind: 'STATUS_DIFFERS', providerExternalId })]);
    expect(report.settlements).toEqual([]);
    expect(statusOf(world, topUp.id)).toBe('DECLINED');
    expect(await usd(world)).toEqual(before);
  });

  it('finds a transaction the provider dated past the window by asking for it: a match', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    world.provider.scriptListings({ _tag: 'Answer', transactions: [] });
    const { report } = await reconcile(world);
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { matched: 1, theirs: 1 } });
  });

  it('lists a transaction of the window whose attempt started before it (the edge) against that attempt', async () => {
    const world = await reconcilingWorld();
    world.clock.set(new Date('2025-12-31T23:59:00.000Z'));
    await sentTopUp(world, 'order-1');
    const [arrived] = world.provider.atProvider();
    if (arrived === undefined) throw new Error('expected a transaction');
    world.provider.scriptListings({
      _tag: 'Answer',
      transactions: [{ ...arrived, createdAt: new Date('2026-01-01T00:00:01.000Z') }],
    });
    const { report } = await reconcile(world);
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { ours: 1, matched: 1 } });
  });

  it('reports the same thing on a second run and changes nothing', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const declined = await sentTopUp(world, 'order-2', { _tag: 'Decline' });
    world.provider.amend(declined.providerExternalId, { status: transactionStatus('COMPLETED') });
    world.provider.settle(world.provider.arrived()[0]?.request.providerExternalId ?? '', 'COMPLETED');
    world.provider.putAtProvider(strangerTransaction('stranger-1', 'ptx-x'));
    const first = await reconcile(world);
    expect(first.report).toMatchObject({ outcome: 'MISMATCHES', counts: { settled: 1, matched: 1 } });
    expect(first.report.mismatches.map((mismatch) => mismatch.kind)).toEqual(['MISSING_HERE', 'STATUS_DIFFERS']);
    const topUps = world.database.tables().topUps;
    const ledger = world.database.tables().ledger;
    const second = await reconcile(world, { at: new Date(DAY.to.getTime() + 3 * HOUR) });
    expect(withoutRun(second.report)).toEqual(withoutRun(first.report));
    expect(world.database.tables().topUps).toBe(topUps);
    expect(world.database.tables().ledger).toBe(ledger);
    expect(world.reconciliation.settlements()).toHaveLength(1);
  });
});
