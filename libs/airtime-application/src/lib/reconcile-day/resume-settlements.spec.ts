import { transactionStatus } from '@airtime/domain';
import { Effect } from 'effect';
import type { InMemoryWorld } from '../../testing';
import {
  ReconciliationStore,
  type ReconciliationWindow,
  type SettlementRecord,
  windowKeyOf,
} from '../ports/reconciliation-store.port';
import { DAY, NEXT_MORNING, reconcile, reconcilingWorld, sentTopUp } from './reconcile-day.fixture';
import { reconcileDay } from './reconcile-day.use-case';

/** The day before DAY. */
const EVE: ReconciliationWindow = {
  providerId: 'scripted',
  from: new Date('2025-12-31T00:00:00.000Z'),
  to: new Date('2026-01-01T00:00:00.000Z'),
};

const statusOf = (world: InMemoryWorld, topUpId: string) =>
  world.database.tables().topUps.get(topUpId)?.topUp.status.status;

const stateOf = (world: InMemoryWorld, id: string) =>
  world.reconciliation.settlements().find((record) => record.id === id)?.state;

/** A settlement recorded APPLYING, its change never made (a crash between the two). */
const leftApplying = (world: InMemoryWorld, fields: Partial<SettlementRecord> & Pick<SettlementRecord, 'topUpId'>) =>
  world.run(
    Effect.flatMap(ReconciliationStore, (store) =>
      store.recordSettlement({
        id: 'crashed-1',
        providerId: 'scripted',
        providerExternalId: undefined,
        attemptNumber: 1,
        fromStatus: transactionStatus('CONFIRMED'),
        toStatus: transactionStatus('COMPLETED'),
        reason:
          'provider reports COMPLETED at reconciliation (transaction ptx-1); ours was CONFIRMED, attempt 1 Pending',
        actor: 'reconciler',
        operator: undefined,
        windowKey: windowKeyOf(EVE),
        state: 'APPLYING',
        refusal: undefined,
        recordedAt: new Date('2026-01-01T02:00:00.000Z'),
        completedAt: undefined,
        ...fields,
      }),
    ),
  );

/** A top-up sent on the eve (pending), which the provider has since completed without telling us. */
const completedOnTheEve = async () => {
  const world = await reconcilingWorld();
  world.clock.set(new Date('2025-12-31T12:00:00.000Z'));
  const sent = await sentTopUp(world, 'order-eve', { _tag: 'Pending' });
  world.provider.settle(sent.providerExternalId, 'COMPLETED');
  await leftApplying(world, { topUpId: sent.topUp.id, providerExternalId: sent.providerExternalId });
  return { world, topUp: sent.topUp };
};

describe('reconcileDay resumes the settlements left APPLYING first', () => {
  it('finishes another window’s settlement at the start of any run; that window reports it when it is run', async () => {
    const { world, topUp } = await completedOnTheEve();
    const day = await reconcile(world);
    expect(statusOf(world, topUp.id)).toBe('COMPLETED');
    expect(world.reconciliation.settlements().map((record) => [record.id, record.state])).toEqual([
      ['crashed-1', 'APPLIED'],
    ]);
    expect(day.report.settlements).toEqual([]);
    const eve = await reconcile(world, { input: { from: EVE.from, to: EVE.to } });
    expect(eve.report.settlements).toEqual([
      expect.objectContaining({ topUpId: topUp.id, toStatus: 'COMPLETED', state: 'APPLIED', actor: 'reconciler' }),
    ]);
  });

  it('leaves another window’s settlement to that window’s run while it holds the lock', async () => {
    const { world } = await completedOnTheEve();
    world.clock.set(NEXT_MORNING);
    await world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        store.withWindowLock(windowKeyOf(EVE), reconcileDay({ providerId: 'scripted', ...DAY })),
      ),
    );
    expect(stateOf(world, 'crashed-1')).toBe('APPLYING');
  });

  it('finishes an operator’s settlement left APPLYING once it is older than the settle delay, never a younger one', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const operator = { actor: 'operator' as const, operator: 'ops-1', windowKey: undefined, topUpId: topUp.id };
    await leftApplying(world, { ...operator, recordedAt: new Date(NEXT_MORNING.getTime() - 60_000) });
    await reconcile(world);
    expect([stateOf(world, 'crashed-1'), statusOf(world, topUp.id)]).toEqual(['APPLYING', 'CONFIRMED']);
    await reconcile(world, { at: new Date(NEXT_MORNING.getTime() + 15 * 60_000) });
    expect([stateOf(world, 'crashed-1'), statusOf(world, topUp.id)]).toEqual(['APPLIED', 'COMPLETED']);
  });
});
