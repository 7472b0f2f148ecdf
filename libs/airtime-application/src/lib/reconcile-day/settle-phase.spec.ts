import {
  LedgerStore,
  parsePreciseMoney,
  ProviderRejected,
  StatusQueryUnsupported,
  TransactionListUnsupported,
  transactionStatus,
} from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { type InMemoryWorld, PHP } from '../../testing';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { ReconciliationStore, windowKeyOf } from '../ports/reconciliation-store.port';
import { settleTopUpByHand } from '../settle-top-up-by-hand/settle-top-up-by-hand.use-case';
import { DAY, HOUR, reconcile, reconcilingWorld, sentTopUp, withoutRun } from './reconcile-day.fixture';

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const topUpOf = (world: InMemoryWorld, topUpId: string) => world.database.tables().topUps.get(topUpId)?.topUp;

/** A provider that can neither be asked for a status, list its transactions nor give balances (Africa's Talking, engageSPARK). */
const unaskable = (world: InMemoryWorld) => ({
  ...world.provider,
  balances: () =>
    Effect.fail(
      new ProviderRejected({
        provider: 'scripted',
        providerCode: 'BALANCE_QUERY_UNSUPPORTED',
        reason: 'no balance query',
        retryable: false,
      }),
    ),
  statusByExternalId: () =>
    Effect.fail(new StatusQueryUnsupported({ provider: 'scripted', howToSettle: 'read the operator statement' })),
  listTransactions: () =>
    Effect.fail(
      new TransactionListUnsupported({ provider: 'scripted', howToReconcile: 'compare the monthly statement' }),
    ),
});

describe('reconcileDay, settle phase', () => {
  it('settles a dropped callback COMPLETED through the provider update, capturing the hold, with a recorded reason', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    world.provider.settle(providerExternalId, 'COMPLETED');
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n, capturedMinor: 0n });
    const { report, summary } = await reconcile(world);
    expect(topUpOf(world, topUp.id)?.status.status).toBe('COMPLETED');
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
    expect(world.database.tables().outbox.map((record) => record.event.type)).toContain('topup.completed');
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { settled: 1, matched: 1 } });
    expect(report.settlements).toEqual([
      {
        topUpId: topUp.id,
        providerExternalId,
        fromStatus: 'CONFIRMED',
        toStatus: 'COMPLETED',
        reason: expect.stringContaining('provider reports COMPLETED at reconciliation'),
        actor: 'reconciler',
        operator: null,
        state: 'APPLIED',
        refusal: null,
      },
    ]);
    expect(world.reconciliation.settlements()).toEqual([
      expect.objectContaining({ windowKey: windowKeyOf({ providerId: 'scripted', ...DAY }), state: 'APPLIED' }),
    ]);
    expect(summary).toContain(`top-up ${topUp.id}: CONFIRMED -> COMPLETED by the reconciler [APPLIED]`);
  });

  it('settles an unknown outcome the provider has (a timeout after arrival) as the provider says', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'TimeoutAfterArrival' });
    const { report } = await reconcile(world);
    expect(topUpOf(world, topUp.id)).toMatchObject({ status: { class: 'COMPLETED' }, awaitingStatusQuery: false });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { settled: 1, matched: 1 } });
  });

  it('settles an unknown outcome the provider never received through settleUnknownAttempt: a resend is scheduled', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'LostBeforeArrival' });
    const { report } = await reconcile(world);
    expect(topUpOf(world, topUp.id)).toMatchObject({
      status: { class: 'CREATED' },
      attempts: [{ state: 'Failed', failure: { reason: 'NOT_FOUND_AT_PROVIDER' } }],
    });
    expect(report.settlements).toEqual([
      expect.objectContaining({
        topUpId: topUp.id,
        toStatus: 'CREATED',
        state: 'APPLIED',
        reason: expect.stringContaining('never received it'),
      }),
    ]);
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { matched: 1 } });
  });

  it('leaves a top-up younger than the settle delay alone', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    world.provider.settle(providerExternalId, 'COMPLETED');
    await reconcile(world, { at: new Date('2026-01-01T12:10:00.000Z') });
    expect(topUpOf(world, topUp.id)?.status.status).toBe('CONFIRMED');
  });

  it('lists a pending top-up the provider no longer knows for a decision, changing nothing', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const forgetful = { ...world.provider, statusByExternalId: () => Effect.succeed(Option.none()) };
    const { report } = await reconcile(world, { provider: forgetful });
    expect(report.awaitingDecision).toEqual([
      expect.objectContaining({ topUpId: topUp.id, reason: expect.stringContaining('no longer knows') }),
    ]);
    expect(report.outcome).toBe('MISMATCHES');
    expect(topUpOf(world, topUp.id)?.status.status).toBe('CONFIRMED');
  });

  it('lists a completion that delivered more than asked for a decision instead of applying it', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    world.provider.settle(providerExternalId, 'COMPLETED');
    world.provider.amend(providerExternalId, { receive: Either.getOrThrow(parsePreciseMoney('150', PHP)) });
    const { report } = await reconcile(world);
    expect(report.awaitingDecision).toEqual([expect.objectContaining({ topUpId: topUp.id })]);
    expect(report.settlements).toEqual([]);
    expect(topUpOf(world, topUp.id)?.status.status).toBe('CONFIRMED');
  });
});

describe('reconcileDay, a provider that cannot be asked', () => {
  it('skips the match saying why (UNVERIFIED), waits for the decision deadline, then lists the top-up with the admin command', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'TimeoutAfterArrival' });
    const provider = unaskable(world);
    const early = await reconcile(world, { provider });
    expect(early.report).toMatchObject({
      outcome: 'UNVERIFIED',
      match: { performed: false, howToReconcile: 'compare the monthly statement' },
      counts: { ours: 1, theirs: null, awaitingDecision: 0 },
      unverified: [
        {
          what: 'transactions',
          why: 'scripted cannot list its transactions: compare the monthly statement',
        },
        { what: 'captured', why: "the provider's transactions of the window were not listed" },
        { what: 'holding', why: 'PROVIDER_REJECTED: scripted refused (BALANCE_QUERY_UNSUPPORTED): no balance query' },
      ],
    });
    expect(early.summary).toContain('Outcome: UNVERIFIED');
    expect(early.summary).toContain('Not verified\n  - transactions: scripted cannot list its transactions');
    // how to reconcile is said once, under Not verified
    expect(early.summary).toContain(
      'Match skipped: scripted cannot list its transactions (how to reconcile it: under Not verified)\n',
    );
    expect(early.summary.split('compare the monthly statement')).toHaveLength(2);
    const late = await reconcile(world, { provider, at: new Date(DAY.to.getTime() + 13 * HOUR) });
    expect(late.report.outcome).toBe('MISMATCHES');
    expect(late.report.awaitingDecision).toEqual([
      {
        topUpId: topUp.id,
        externalId: 'order-1',
        attemptNumber: 1,
        providerExternalId: topUp.attempts[0]?.providerExternalId,
        status: 'CREATED',
        since: '2026-01-01T12:00:00.000Z',
        reason: 'scripted cannot be asked for a status: read the operator statement',
        command: `npm run admin -- top-up settle ${topUp.id} --status <STATUS> --reason "<why>"`,
      },
    ]);
    expect(late.summary).toContain('Match skipped');
    expect(late.summary).toContain(`settle it: npm run admin -- top-up settle ${topUp.id} --status <STATUS>`);
    expect(topUpOf(world, topUp.id)?.awaitingStatusQuery).toBe(true);

    await world.run(
      settleTopUpByHand({ topUpId: topUp.id, status: 'COMPLETED', reason: 'operator statement', operator: 'ops-1' }),
    );
    const settled = await reconcile(world, { provider, at: new Date(DAY.to.getTime() + 14 * HOUR) });
    expect(settled.report).toMatchObject({ outcome: 'UNVERIFIED', counts: { awaitingDecision: 0, settled: 1 } });
    expect(settled.report.settlements).toEqual([
      expect.objectContaining({
        actor: 'operator',
        operator: 'ops-1',
        toStatus: 'COMPLETED',
        reason: 'operator statement',
      }),
    ]);
  });
});

describe('reconcileDay after a crash', () => {
  const seeded = async () => {
    const world = await reconcilingWorld();
    const dropped = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    world.provider.settle(dropped.providerExternalId, 'COMPLETED');
    const reversed = await sentTopUp(world, 'order-2');
    world.provider.settle(reversed.providerExternalId, 'REVERSED');
    return { world, dropped };
  };

  const recordAhead = (world: InMemoryWorld, topUpId: string, providerExternalId: string) =>
    world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        store.recordSettlement({
          id: 'crashed-1',
          topUpId,
          providerId: 'scripted',
          providerExternalId,
          attemptNumber: 1,
          fromStatus: transactionStatus('CONFIRMED'),
          toStatus: transactionStatus('COMPLETED'),
          reason:
            'provider reports COMPLETED at reconciliation (transaction ptx-1); ours was CONFIRMED, attempt 1 Pending',
          actor: 'reconciler',
          operator: undefined,
          windowKey: windowKeyOf({ providerId: 'scripted', ...DAY }),
          state: 'APPLYING',
          refusal: undefined,
          recordedAt: new Date('2026-01-02T02:00:00.000Z'),
          completedAt: undefined,
        }),
      ),
    );

  it('finishes a settlement recorded before a crash that came before the change: the same report as an undisturbed run', async () => {
    const undisturbed = await seeded();
    const expected = await reconcile(undisturbed.world);
    const { world, dropped } = await seeded();
    await recordAhead(world, dropped.topUp.id, dropped.providerExternalId);
    const resumed = await reconcile(world);
    expect(withoutRun(resumed.report)).toEqual(withoutRun(expected.report));
    expect(world.reconciliation.settlements().map((record) => [record.id, record.state])).toEqual([
      ['crashed-1', 'APPLIED'],
      [expect.any(String), 'APPLIED'],
    ]);
    expect(await usd(world)).toEqual(await usd(undisturbed.world));
  });

  it('completes a settlement whose change landed before the crash APPLIED, changing nothing more', async () => {
    const undisturbed = await seeded();
    const expected = await reconcile(undisturbed.world);
    const { world, dropped } = await seeded();
    await recordAhead(world, dropped.topUp.id, dropped.providerExternalId);
    world.clock.set(new Date('2026-01-02T02:00:00.000Z'));
    await world.run(
      applyProviderUpdate(
        {
          providerTransactionId: '',
          providerExternalId: dropped.providerExternalId,
          status: transactionStatus('COMPLETED'),
        },
        { topUpId: dropped.topUp.id },
      ),
    );
    const resumed = await reconcile(world);
    expect(withoutRun(resumed.report)).toEqual(withoutRun(expected.report));
    expect(world.reconciliation.settlements()[0]).toMatchObject({ id: 'crashed-1', state: 'APPLIED' });
    expect(await usd(world)).toEqual(await usd(undisturbed.world));
  });
});
