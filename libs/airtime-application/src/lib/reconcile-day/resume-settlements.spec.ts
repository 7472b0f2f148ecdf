import { LedgerStore, transactionStatus } from '@airtime/domain';
import { Effect } from 'effect';
import type { InMemoryWorld } from '../../testing';
import {
  ReconciliationStore,
  type ReconciliationWindow,
  type SettlementRecord,
  windowKeyOf,
} from '../ports/reconciliation-store.port';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { settleUnknownAttempt } from '../settle-unknown-attempt/settle-unknown-attempt.use-case';
import { DAY, HOUR, NEXT_MORNING, reconcile, reconcilingWorld, sentTopUp } from './reconcile-day.fixture';
import { reconcileDay } from './reconcile-day.use-case';
import { resumeSettlements } from './resume-settlements.use-case';

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

/**
 * A top-up whose attempt 1 never reached the provider ("not found": failed,
 * a resend due with the same external id), then sent again (attempt 2, which
 * the provider holds: CONFIRMED). `leftover` is recorded APPLYING for attempt
 * 1 between the two, as a settlement whose command died before its change.
 */
const resentAfterLeftover = async (leftover: Partial<SettlementRecord>) => {
  const world = await reconcilingWorld();
  const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'LostBeforeArrival' });
  world.clock.advance(10 * 60_000);
  await world.run(settleUnknownAttempt(topUp.id));
  await leftApplying(world, {
    topUpId: topUp.id,
    providerExternalId,
    attemptNumber: 1,
    fromStatus: transactionStatus('CREATED'),
    toStatus: transactionStatus('DECLINED'),
    recordedAt: world.clock.current(),
    ...leftover,
  });
  world.clock.advance(2 * HOUR);
  world.provider.scriptSends({ _tag: 'Pending' });
  const resent = await world.run(sendAttempt(topUp.id));
  expect(resent.attempts.map((attempt) => [attempt.number, attempt.state, attempt.providerExternalId])).toEqual([
    [1, 'Failed', providerExternalId],
    [2, 'Pending', providerExternalId],
  ]);
  return { world, topUp: resent };
};

const resumeNow = (world: InMemoryWorld) => {
  const now = world.clock.current();
  return world.run(resumeSettlements({ providerId: 'scripted', ...DAY }, { now, settleAfterMs: 15 * 60_000 }));
};

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

describe('resumeSettlements applies a record to its own attempt only, as the top-up stood when it was decided', () => {
  it('refuses an operator’s settlement of attempt 1 left APPLYING once attempt 2 (same external id) is sent: nothing voided', async () => {
    const { world, topUp } = await resentAfterLeftover({ actor: 'operator', operator: 'ops-1', windowKey: undefined });
    await resumeNow(world);
    expect(world.reconciliation.settlements()).toEqual([
      expect.objectContaining({
        id: 'crashed-1',
        state: 'REFUSED',
        refusal: expect.stringMatching(/attempt 1 .*attempt 2/),
      }),
    ]);
    const after = world.database.tables().topUps.get(topUp.id)?.topUp;
    expect(after?.status.status).toBe('CONFIRMED');
    expect(after?.attempts.map((attempt) => attempt.state)).toEqual(['Failed', 'Pending']);
    expect(await usd(world)).toMatchObject({ holdingMinor: topUp.quote.cost.amountMinor, capturedMinor: 0n });
  });

  it('leaves the reconciler’s settlement of attempt 1 UNCHANGED, saying why, once attempt 2 is sent', async () => {
    const { world, topUp } = await resentAfterLeftover({
      reason: 'provider reports DECLINED at reconciliation (transaction ptx-1); ours was CREATED, attempt 1 Unknown',
      windowKey: windowKeyOf({ providerId: 'scripted', ...DAY }),
    });
    await resumeNow(world);
    expect(world.reconciliation.settlements()).toEqual([
      expect.objectContaining({ state: 'UNCHANGED', refusal: expect.stringMatching(/attempt 1 .*attempt 2/) }),
    ]);
    expect(statusOf(world, topUp.id)).toBe('CONFIRMED');
    expect(await usd(world)).toMatchObject({ holdingMinor: topUp.quote.cost.amountMinor });
  });

  it('refuses an operator’s settlement whose top-up no longer stands at the status it was decided on', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'TimeoutAfterArrival' });
    expect(topUp.status.status).toBe('CREATED');
    await leftApplying(world, {
      topUpId: topUp.id,
      providerExternalId,
      fromStatus: transactionStatus('SUBMITTED'),
      toStatus: transactionStatus('DECLINED'),
      actor: 'operator',
      operator: 'ops-1',
      windowKey: undefined,
      recordedAt: world.clock.current(),
    });
    world.clock.advance(HOUR);
    await resumeNow(world);
    expect(world.reconciliation.settlements()).toEqual([
      expect.objectContaining({
        state: 'REFUSED',
        refusal: expect.stringMatching(/SUBMITTED.*CREATED|CREATED.*SUBMITTED/),
      }),
    ]);
    expect(statusOf(world, topUp.id)).toBe('CREATED');
    expect(await usd(world)).toMatchObject({ holdingMinor: topUp.quote.cost.amountMinor });
  });

  it('still finishes a reversal of a COMPLETED top-up left APPLYING', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Complete' });
    await leftApplying(world, {
      topUpId: topUp.id,
      providerExternalId,
      fromStatus: transactionStatus('COMPLETED'),
      toStatus: transactionStatus('REVERSED'),
      actor: 'operator',
      operator: 'ops-1',
      windowKey: undefined,
      recordedAt: world.clock.current(),
    });
    world.clock.advance(HOUR);
    await resumeNow(world);
    expect([stateOf(world, 'crashed-1'), statusOf(world, topUp.id)]).toEqual(['APPLIED', 'REVERSED']);
  });
});
