import { IllegalTransition, transactionStatus } from '@airtime/domain';
import { Effect } from 'effect';
import { type InMemoryWorld } from '../../testing';
import { ReconciliationStore, type SettlementRecord, windowKeyOf } from '../ports/reconciliation-store.port';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { DAY, HOUR, reconcile, reconcilingWorld, sentTopUp } from './reconcile-day.fixture';
import { finishSettlement } from './settlement.use-case';

const topUpOf = (world: InMemoryWorld, topUpId: string) => world.database.tables().topUps.get(topUpId)?.topUp;

const recorded = (world: InMemoryWorld, fields: Partial<SettlementRecord> & Pick<SettlementRecord, 'topUpId'>) =>
  world.run(
    Effect.flatMap(ReconciliationStore, (store) =>
      store.recordSettlement({
        id: 'another-run-1',
        providerId: 'scripted',
        providerExternalId: undefined,
        attemptNumber: 1,
        fromStatus: transactionStatus('CONFIRMED'),
        toStatus: transactionStatus('COMPLETED'),
        reason: 'provider reports COMPLETED at reconciliation',
        actor: 'reconciler',
        operator: undefined,
        windowKey: windowKeyOf({ providerId: 'scripted', ...DAY }),
        state: 'APPLYING',
        refusal: undefined,
        recordedAt: new Date('2026-01-02T02:00:00.000Z'),
        completedAt: undefined,
        ...fields,
      }),
    ),
  );

const refusing = (record: SettlementRecord) =>
  Effect.fail(new IllegalTransition({ from: record.fromStatus, to: record.toStatus }));

describe('finishSettlement', () => {
  it('completes a record another run made APPLIED when the top-up stands at its status, even if applying it again is refused', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1');
    const record = await recorded(world, { topUpId: topUp.id });
    const finished = await world.run(finishSettlement(record, refusing, true));
    expect(finished).toMatchObject({ state: 'APPLIED', refusal: undefined });
    expect(world.reconciliation.settlements()).toEqual([expect.objectContaining({ state: 'APPLIED' })]);
  });

  it('completes such a record REFUSED when the top-up does not stand there, and UNCHANGED when nothing was refused', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const record = await recorded(world, { topUpId: topUp.id });
    const refused = await world.run(finishSettlement(record, refusing, true));
    expect(refused).toMatchObject({ state: 'REFUSED', refusal: 'illegal transition from CONFIRMED to COMPLETED' });
    const other = await recorded(world, { id: 'another-run-2', topUpId: topUp.id, attemptNumber: 2 });
    const unchanged = await world.run(
      finishSettlement(other, () => Effect.succeed({ changed: false, topUp: topUpOf(world, topUp.id) ?? topUp }), true),
    );
    expect(unchanged.state).toBe('UNCHANGED');
  });
});

describe('settlements are keyed by attempt', () => {
  it('settles a resend the provider never received either, on its own, in the same window', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1', { _tag: 'LostBeforeArrival' });
    await reconcile(world, { at: new Date('2026-01-01T13:00:00.000Z') });
    expect(topUpOf(world, topUp.id)?.attempts.map((attempt) => attempt.state)).toEqual(['Failed']);
    world.clock.set(new Date('2026-01-01T14:00:00.000Z'));
    world.provider.scriptSends({ _tag: 'LostBeforeArrival' });
    await world.run(sendAttempt(topUp.id));
    expect(topUpOf(world, topUp.id)?.attempts.map((attempt) => attempt.state)).toEqual(['Failed', 'Unknown']);
    const { report } = await reconcile(world, { at: new Date(DAY.to.getTime() + 2 * HOUR) });
    expect(topUpOf(world, topUp.id)?.attempts.map((attempt) => attempt.state)).toEqual(['Failed', 'Failed']);
    expect(world.reconciliation.settlements().map((record) => [record.attemptNumber, record.state])).toEqual([
      [1, 'APPLIED'],
      [2, 'APPLIED'],
    ]);
    expect(report.settlements).toHaveLength(2);
  });
});
