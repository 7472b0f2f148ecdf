import { LedgerStore, ProviderUnavailable, transactionStatus } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import type { InMemoryWorld } from '../../testing';
import {
  DAY,
  HOUR,
  reconcile,
  reconcilingWorld,
  sentTopUp,
  strangerTransaction,
  withoutRun,
} from './reconcile-day.fixture';
import { reconcileDay } from './reconcile-day.use-case';

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const topUpOf = (world: InMemoryWorld, topUpId: string) => world.database.tables().topUps.get(topUpId)?.topUp;

const IN_THE_DAY = new Date('2026-01-01T15:00:00.000Z');

describe('reconcileDay, match phase', () => {
  it('settles a reversal we never heard of REVERSED with a recorded reason: the capture reversed, no mismatch', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    world.provider.settle(providerExternalId, 'REVERSED');
    const { report } = await reconcile(world);
    expect(topUpOf(world, topUp.id)?.status.status).toBe('REVERSED');
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, reversedMinor: 186n });
    expect(world.database.tables().outbox.map((record) => record.event.type)).toContain('topup.reversed');
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { matched: 1, settled: 1 }, mismatches: [] });
    expect(report.settlements).toEqual([
      expect.objectContaining({
        topUpId: topUp.id,
        fromStatus: 'COMPLETED',
        toStatus: 'REVERSED',
        state: 'APPLIED',
        reason: expect.stringContaining('a reversal of attempt 1 never reported to us'),
      }),
    ]);
    const again = await reconcile(world, { at: new Date(DAY.to.getTime() + 5 * HOUR) });
    expect(withoutRun(again.report)).toEqual(withoutRun(report));
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, reversedMinor: 186n });
  });

  it('reports a transaction at the provider we never sent: MISSING_HERE', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    world.provider.putAtProvider({ ...strangerTransaction('stranger-1', 'ptx-x'), createdAt: IN_THE_DAY });
    const { report } = await reconcile(world);
    expect(report.mismatches).toEqual([
      {
        kind: 'MISSING_HERE',
        providerExternalId: 'stranger-1',
        ours: null,
        theirs: [
          {
            providerTransactionId: 'ptx-x',
            providerExternalId: 'stranger-1',
            status: 'COMPLETED',
            receive: null,
            charged: null,
            createdAt: IN_THE_DAY.toISOString(),
          },
        ],
        detail: expect.stringContaining('we never sent it'),
      },
    ]);
    expect(report).toMatchObject({ outcome: 'MISMATCHES', counts: { matched: 1, theirs: 2 } });
  });

  it('reports two provider transactions for one attempt of ours: DUPLICATE_AT_PROVIDER with both', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    world.provider.putAtProvider({ ...strangerTransaction(providerExternalId, 'ptx-dup'), createdAt: IN_THE_DAY });
    const { report } = await reconcile(world);
    expect(report.mismatches).toEqual([
      expect.objectContaining({
        kind: 'DUPLICATE_AT_PROVIDER',
        providerExternalId,
        ours: expect.objectContaining({ topUpId: topUp.id }),
        theirs: [
          expect.objectContaining({ providerTransactionId: 'ptx-1' }),
          expect.objectContaining({ providerTransactionId: 'ptx-dup' }),
        ],
      }),
    ]);
    expect(report.counts.mismatches.DUPLICATE_AT_PROVIDER).toBe(1);
  });

  it('settles a reversal the list repeats alike (a page read twice) as it settles one listed once', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    const reversed = { ...strangerTransaction(providerExternalId, 'ptx-1', 'REVERSED'), createdAt: IN_THE_DAY };
    world.provider.scriptListings({ _tag: 'Answer', transactions: [reversed, reversed] });
    const { report } = await reconcile(world);
    expect(topUpOf(world, topUp.id)?.status.status).toBe('REVERSED');
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { theirs: 1, matched: 1, settled: 1 }, mismatches: [] });
  });

  it('reports one transaction listed COMPLETED and REVERSED as CONFLICTING_LISTINGS and settles nothing from it', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    const completed = { ...strangerTransaction(providerExternalId, 'ptx-1', 'COMPLETED'), createdAt: IN_THE_DAY };
    world.provider.scriptListings({
      _tag: 'Answer',
      transactions: [{ ...completed, status: transactionStatus('REVERSED') }, completed],
    });
    const { report, summary } = await reconcile(world);
    expect(topUpOf(world, topUp.id)?.status.status).toBe('COMPLETED');
    expect(await usd(world)).toMatchObject({ capturedMinor: 186n, reversedMinor: 0n });
    expect(report.settlements).toEqual([]);
    expect(report).toMatchObject({ outcome: 'MISMATCHES', counts: { theirs: 1, matched: 0 } });
    expect(report.counts.mismatches.CONFLICTING_LISTINGS).toBe(1);
    expect(report.mismatches).toEqual([
      expect.objectContaining({
        kind: 'CONFLICTING_LISTINGS',
        providerExternalId,
        ours: expect.objectContaining({ topUpId: topUp.id }),
        theirs: [
          expect.objectContaining({ providerTransactionId: 'ptx-1', status: 'COMPLETED' }),
          expect.objectContaining({ providerTransactionId: 'ptx-1', status: 'REVERSED' }),
        ],
        detail: expect.stringContaining('provider transaction ptx-1 is listed as COMPLETED and as REVERSED'),
      }),
    ]);
    expect(summary).toContain(`1. CONFLICTING_LISTINGS ${providerExternalId}`);
    expect(summary).toContain('CONFLICTING_LISTINGS 1');
  });

  it('leaves what the provider captured unverified when a transaction is listed COMPLETED and DECLINED', async () => {
    const world = await reconcilingWorld();
    const { providerExternalId } = await sentTopUp(world, 'order-1');
    const completed = { ...strangerTransaction(providerExternalId, 'ptx-1', 'COMPLETED'), createdAt: IN_THE_DAY };
    world.provider.scriptListings({
      _tag: 'Answer',
      transactions: [completed, { ...completed, status: transactionStatus('DECLINED') }],
    });
    const { report } = await reconcile(world);
    expect(report.balances.filter((balance) => balance.field === 'captured')).toEqual([]);
    expect(report.unverified).toEqual([
      {
        what: 'captured',
        why:
          "the provider's list contradicts itself about 1 external id(s) (CONFLICTING_LISTINGS): what it captured " +
          'cannot be read from it',
      },
    ]);
  });

  it('reports an attempt the provider holds no transaction for: MISSING_AT_PROVIDER', async () => {
    const world = await reconcilingWorld();
    const { providerExternalId } = await sentTopUp(world, 'order-1');
    world.provider.scriptListings({ _tag: 'Answer', transactions: [] });
    const amnesic = { ...world.provider, statusByExternalId: () => Effect.succeed(Option.none()) };
    const { report } = await reconcile(world, { provider: amnesic });
    expect(report.mismatches).toEqual([
      expect.objectContaining({ kind: 'MISSING_AT_PROVIDER', providerExternalId, theirs: [] }),
    ]);
  });

  it('counts an attempt that never reached the provider, and is absent there, as a match', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1', { _tag: 'Unavailable' });
    const { report } = await reconcile(world);
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { ours: 1, theirs: 0, matched: 1 } });
    expect(world.provider.calls().filter((call) => call.operation === 'statusByExternalId')).toEqual([]);
  });

  it('counts a send the provider refused before creating a transaction as a match, listed failed or not at all', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1', { _tag: 'Reject' });
    const refusedAt = world.provider.calls().length;
    const { report } = await reconcile(world);
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { ours: 1, theirs: 0, matched: 1 }, mismatches: [] });
    expect(
      world.provider
        .calls()
        .slice(refusedAt)
        .map((call) => call.operation),
    ).toEqual(['listTransactions']);
    const [attempt] = world.database.tables().topUps.values().next().value?.topUp.attempts ?? [];
    world.provider.putAtProvider({
      ...strangerTransaction(attempt?.providerExternalId ?? '', 'ptx-refused', 'REJECTED-INVALID-CREDIT-PARTY'),
      createdAt: IN_THE_DAY,
    });
    const listed = await reconcile(world, { at: new Date(DAY.to.getTime() + 3 * HOUR) });
    expect(listed.report).toMatchObject({ outcome: 'MATCHED', counts: { theirs: 1, matched: 1 }, mismatches: [] });
  });

  it('says where an attempt went when the provider lists its external id and it was sent to another provider', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    await world.run(
      world.database.update((tables) => {
        const topUps = new Map(tables.topUps);
        const stored = topUps.get(topUp.id);
        if (stored !== undefined)
          topUps.set(topUp.id, {
            ...stored,
            topUp: {
              ...stored.topUp,
              attempts: stored.topUp.attempts.map((attempt) => ({ ...attempt, providerId: 'other-provider' })),
            },
          });
        return [undefined, { ...tables, topUps }] as const;
      }),
    );
    const { report } = await reconcile(world);
    expect(report.mismatches).toEqual([
      expect.objectContaining({
        kind: 'MISSING_HERE',
        providerExternalId,
        ours: null,
        detail: expect.stringMatching(
          new RegExp(
            `^our attempt 1 of top-up ${topUp.id} was sent to other-provider, not to scripted; provider transaction ptx-1 COMPLETED`,
          ),
        ),
      }),
    ]);
    expect(report.mismatches[0]?.detail).not.toContain('never sent');
  });

  it('fails the run, changing nothing, when the provider cannot list now', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    world.provider.scriptListings({ _tag: 'Unavailable' });
    world.clock.set(new Date('2026-01-02T02:00:00.000Z'));
    const failed = await world.runEither(reconcileDay({ providerId: 'scripted', ...DAY }));
    expect(failed).toEqual(Either.left(expect.any(ProviderUnavailable)));
    expect(world.reconciliation.runs()).toEqual([expect.objectContaining({ outcome: undefined })]);
  });
});
