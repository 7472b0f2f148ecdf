import { LedgerStore, ProviderResponseInvalid, transactionStatus } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { fundAccount, inMemoryLayers, type InMemoryWorld, sampleCatalogue, sampleRequestInput } from '../../testing';
import type { SendScript } from '../../testing';
import { ReconciliationStore } from '../ports/reconciliation-store.port';
import { DAY, HOUR, reconcile, reconcilingWorld, sentTopUp } from '../reconcile-day/reconcile-day.fixture';
import type { ReconciliationReportJson } from '../reconcile-day/reconciliation-report.types';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { settleUnknownAttempt } from '../settle-unknown-attempt/settle-unknown-attempt.use-case';
import { settleTopUpByHand } from './settle-top-up-by-hand.use-case';

/**
 * A finished run of the scripted provider, started after every run before it
 * (the latest one then), whose report lists attempt `attemptNumber` of
 * `topUpId` under awaiting a decision (the one part of the report
 * `listedAwaitingDecision` reads; the rest is left out).
 */
const listAsAwaitingDecision = (w: InMemoryWorld, topUpId: string, attemptNumber = 1) =>
  w.run(
    Effect.flatMap(ReconciliationStore, (store) =>
      Effect.zipRight(
        store.startRun({
          id: `run-${topUpId}-${attemptNumber}`,
          window: { providerId: 'scripted', from: new Date(0), to: new Date(86_400_000) },
          startedAt: new Date(w.reconciliation.runs().length * 60_000),
        }),
        store.finishRun({
          id: `run-${topUpId}-${attemptNumber}`,
          finishedAt: new Date(w.reconciliation.runs().length * 60_000),
          outcome: 'MISMATCHES',
          report: { awaitingDecision: [{ topUpId, attemptNumber }] } as unknown as ReconciliationReportJson,
          summary: '',
        }),
      ),
    ),
  );

/**
 * A requested top-up, sent once with `script` (unless 'unsent'), listed by a
 * reconciliation run as awaiting a decision unless `listed` is false.
 */
const world = async (script: SendScript | 'unsent' = { _tag: 'TimeoutAfterArrival' }, listed = true) => {
  const w = inMemoryLayers({ products: sampleCatalogue });
  await w.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await w.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  if (listed) await listAsAwaitingDecision(w, created.topUp.id);
  if (script === 'unsent') return { world: w, topUp: created.topUp };
  w.provider.scriptSends(script);
  return { world: w, topUp: await w.run(sendAttempt(created.topUp.id)) };
};

const usd = (w: InMemoryWorld) => w.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const decision = (topUpId: string, status: string, reason = 'the operator statement of 2 January says so') => ({
  topUpId,
  status,
  reason,
  operator: 'ops-1',
});

describe('settleTopUpByHand', () => {
  it('completes an unknown top-up with a recorded reason: the hold is captured, topup.completed', async () => {
    const { world: w, topUp } = await world();
    const settled = await w.run(settleTopUpByHand(decision(topUp.id, 'completed')));
    expect(settled).toMatchObject({
      settlement: {
        topUpId: topUp.id,
        fromStatus: { status: 'CREATED' },
        toStatus: { status: 'COMPLETED' },
        reason: 'the operator statement of 2 January says so',
        actor: 'operator',
        operator: 'ops-1',
        windowKey: undefined,
        state: 'APPLIED',
      },
      topUp: { status: { status: 'COMPLETED' }, awaitingStatusQuery: false },
    });
    expect(await usd(w)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
    expect(w.database.tables().outbox.map((record) => record.event.type)).toContain('topup.completed');
    expect(w.reconciliation.settlements()).toEqual([expect.objectContaining({ state: 'APPLIED' })]);
  });

  it('refuses an open top-up no reconciliation run lists as awaiting a decision (the provider may still deliver it), unless forced', async () => {
    const { world: w, topUp } = await world({ _tag: 'Pending' }, false);
    expect(await w.runEither(settleTopUpByHand(decision(topUp.id, 'DECLINED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'NotAwaitingDecision', topUpId: topUp.id, status: 'CONFIRMED' })),
    );
    expect(w.reconciliation.settlements()).toEqual([]);
    expect(await usd(w)).toMatchObject({ holdingMinor: 186n, capturedMinor: 0n });
    const forced = await w.run(settleTopUpByHand({ ...decision(topUp.id, 'DECLINED'), force: true }));
    expect(forced.topUp.status.status).toBe('DECLINED');
    expect(await usd(w)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
  });

  it('settles an open top-up once a reconciliation run has listed it as awaiting a decision', async () => {
    const { world: w, topUp } = await world({ _tag: 'Pending' }, false);
    await listAsAwaitingDecision(w, 'another-top-up');
    // a listing of another attempt (an earlier one: the top-up was sent again since) does not count
    await listAsAwaitingDecision(w, topUp.id, 2);
    expect(await w.runEither(settleTopUpByHand(decision(topUp.id, 'COMPLETED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'NotAwaitingDecision' })),
    );
    await listAsAwaitingDecision(w, topUp.id);
    expect((await w.run(settleTopUpByHand(decision(topUp.id, 'COMPLETED')))).topUp.status.status).toBe('COMPLETED');
  });

  it('reverses a COMPLETED top-up without a listing (the provider reported the reversal elsewhere)', async () => {
    const { world: w, topUp } = await world({ _tag: 'Complete' }, false);
    expect((await w.run(settleTopUpByHand(decision(topUp.id, 'REVERSED')))).topUp.status.status).toBe('REVERSED');
  });

  it('declines one with its detailed status: the hold is voided', async () => {
    const { world: w, topUp } = await world({ _tag: 'Pending' });
    const settled = await w.run(settleTopUpByHand(decision(topUp.id, 'DECLINED-BARRED-CREDIT-PARTY')));
    expect(settled.topUp.status.status).toBe('DECLINED-BARRED-CREDIT-PARTY');
    expect(await usd(w)).toMatchObject({ holdingMinor: 0n, capturedMinor: 0n, availableMinor: 10_000n });
  });

  it('reverses a completed top-up, and refuses any other change of a final one', async () => {
    const { world: w, topUp } = await world({ _tag: 'Complete' });
    expect(await w.runEither(settleTopUpByHand(decision(topUp.id, 'DECLINED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpAlreadyFinal', topUpId: topUp.id })),
    );
    const reversed = await w.run(settleTopUpByHand(decision(topUp.id, 'REVERSED')));
    expect(reversed.topUp.status.status).toBe('REVERSED');
    expect(await usd(w)).toMatchObject({ capturedMinor: 186n, reversedMinor: 186n });
    expect(await w.runEither(settleTopUpByHand(decision(topUp.id, 'REVERSED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpAlreadyFinal' })),
    );
  });

  it('refuses REVERSED for a top-up that is not COMPLETED, a top-up never sent and an unknown top-up', async () => {
    const pending = await world({ _tag: 'Pending' });
    expect(await pending.world.runEither(settleTopUpByHand(decision(pending.topUp.id, 'REVERSED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'IllegalTransition' })),
    );
    const unsent = await world('unsent');
    expect(await unsent.world.runEither(settleTopUpByHand(decision(unsent.topUp.id, 'COMPLETED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'NoAttemptToSettle' })),
    );
    expect(await unsent.world.runEither(settleTopUpByHand(decision('nope', 'COMPLETED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
    );
    expect(pending.world.reconciliation.settlements()).toEqual([]);
  });

  it.each([
    ['a status that is not final', { status: 'CONFIRMED' }, 'status'],
    ['a status DVS does not have', { status: 'DONE' }, 'status'],
    ['an empty reason', { reason: '   ' }, 'reason'],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason'],
    ['a reason of 501 characters outside the BMP', { reason: '\u{1F600}'.repeat(501) }, 'reason'],
    ['a reason of only tabs and newlines', { reason: '\t\n\t' }, 'reason'],
    ['a reason with a carriage return', { reason: 'statement\r\nsays so' }, 'reason'],
    ['a reason with an escape character', { reason: 'statement \u001b[31msays so' }, 'reason'],
    ['a reason with a NUL', { reason: 'statement\u0000' }, 'reason'],
    ['a reason with a C1 control character', { reason: 'statement \u0085 says so' }, 'reason'],
    ['a reason with DEL', { reason: 'statement \u007f says so' }, 'reason'],
    ['a reason with a right-to-left override', { reason: 'paid \u202eDETELPMOC' }, 'reason'],
    ['a reason with a zero-width space', { reason: 'pa\u200bid' }, 'reason'],
    ['no operator', { operator: '' }, 'operator'],
  ])('refuses %s (InvalidInput naming the field), recording nothing', async (_, override, field) => {
    const { world: w, topUp } = await world();
    expect(await w.runEither(settleTopUpByHand({ ...decision(topUp.id, 'COMPLETED'), ...override }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field })),
    );
    expect(w.reconciliation.settlements()).toEqual([]);
  });

  it('keeps a reason with tabs and newlines, and one of 500 characters outside the BMP', async () => {
    for (const reason of ['statement of 2 January:\n\tline 4 says COMPLETED', '\u{1F600}'.repeat(500)]) {
      const { world: w, topUp } = await world();
      const settled = await w.run(settleTopUpByHand({ ...decision(topUp.id, 'COMPLETED'), reason }));
      expect(settled.settlement).toMatchObject({ reason, state: 'APPLIED', attemptNumber: 1 });
    }
  });

  it('finishes the same decision recorded before a crash instead of recording it twice', async () => {
    const { world: w, topUp } = await world();
    await w.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        store.recordSettlement({
          id: 'crashed-1',
          topUpId: topUp.id,
          providerId: 'scripted',
          providerExternalId: topUp.attempts[0]?.providerExternalId,
          attemptNumber: 1,
          fromStatus: topUp.status,
          toStatus: transactionStatus('COMPLETED'),
          reason: 'the operator statement of 2 January says so',
          actor: 'operator',
          operator: 'ops-1',
          windowKey: undefined,
          state: 'APPLYING',
          refusal: undefined,
          recordedAt: new Date(0),
          completedAt: undefined,
        }),
      ),
    );
    const settled = await w.run(settleTopUpByHand(decision(topUp.id, 'COMPLETED')));
    expect(settled.settlement).toMatchObject({ id: 'crashed-1', state: 'APPLIED' });
    expect(w.reconciliation.settlements()).toHaveLength(1);
    expect(await usd(w)).toMatchObject({ capturedMinor: 186n });
  });

  it('records a change the domain refuses as REFUSED and answers SettlementRefused', async () => {
    const { world: w, topUp } = await world({ _tag: 'Decline', status: 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE' });
    expect(topUp.status.class).toBe('CREATED');
    const refused = await w.runEither(settleTopUpByHand(decision(topUp.id, 'COMPLETED')));
    expect(refused).toEqual(Either.left(expect.objectContaining({ _tag: 'SettlementRefused', topUpId: topUp.id })));
    expect(w.reconciliation.settlements()).toEqual([
      expect.objectContaining({ state: 'REFUSED', refusal: expect.stringContaining('illegal transition') }),
    ]);
    expect(w.database.tables().topUps.get(topUp.id)?.topUp.status.class).toBe('CREATED');
  });

  it('refuses a decision on an attempt a resend has replaced between the listing check and the write: nothing voided', async () => {
    const { world: w, topUp } = await world({ _tag: 'LostBeforeArrival' });
    w.clock.advance(10 * 60_000);
    await w.run(settleUnknownAttempt(topUp.id)); // "not found": attempt 1 failed, a resend due with the same external id
    w.clock.advance(60 * 60_000);
    // the consumer's resend runs right after the store answers that attempt 1 is listed
    const listed = w.reconciliation.listedAwaitingDecision;
    const resent: string[] = [];
    Object.assign(w.reconciliation, {
      listedAwaitingDecision: (attempt: Parameters<typeof listed>[0]) =>
        Effect.tap(listed(attempt), () =>
          Effect.promise(async () => {
            w.provider.scriptSends({ _tag: 'Pending' });
            const again = await w.run(sendAttempt(topUp.id));
            resent.push(...again.attempts.map((one) => `${one.number} ${one.state}`));
          }),
        ),
    });
    expect(await w.runEither(settleTopUpByHand(decision(topUp.id, 'DECLINED')))).toEqual(
      Either.left(
        expect.objectContaining({ _tag: 'SettlementRefused', refusal: expect.stringMatching(/attempt 1 .*attempt 2/) }),
      ),
    );
    expect(resent).toEqual(['1 Failed', '2 Pending']);
    expect(w.reconciliation.settlements()).toEqual([expect.objectContaining({ attemptNumber: 1, state: 'REFUSED' })]);
    const after = w.database.tables().topUps.get(topUp.id)?.topUp;
    expect(after?.status.status).toBe('CONFIRMED');
    expect(after?.attempts.map((attempt) => attempt.state)).toEqual(['Failed', 'Pending']);
    expect(await usd(w)).toMatchObject({ holdingMinor: 186n, capturedMinor: 0n });
  });

  it('counts only the latest finished run of the provider: a later run that got a usable answer ends the listing', async () => {
    const w = await reconcilingWorld();
    const { topUp } = await sentTopUp(w, 'order-1', { _tag: 'Pending' }); // the provider holds it (CONFIRMED)
    const garbled = {
      ...w.provider,
      statusByExternalId: () => Effect.fail(new ProviderResponseInvalid({ provider: 'scripted', reason: 'garbled' })),
    };
    // night 1 (the day's window): the provider's answer cannot be read, so the attempt is listed
    const night1 = await reconcile(w, { provider: garbled });
    expect(night1.report.awaitingDecision).toEqual([expect.objectContaining({ topUpId: topUp.id, attemptNumber: 1 })]);
    // night 2 (the next day's window): the provider answers that it holds it, so it is no longer listed
    const nextDay = { from: DAY.to, to: new Date(DAY.to.getTime() + 24 * HOUR) };
    const night2 = await reconcile(w, { at: new Date(DAY.to.getTime() + 26 * HOUR), input: nextDay });
    expect(night2.report.awaitingDecision).toEqual([]);
    expect(await w.runEither(settleTopUpByHand(decision(topUp.id, 'DECLINED')))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'NotAwaitingDecision', topUpId: topUp.id })),
    );
    expect(w.reconciliation.settlements()).toEqual([]);
    // night 3: unreadable again, listed again: the operator may decide
    const night3 = await reconcile(w, {
      at: new Date(DAY.to.getTime() + 50 * HOUR),
      input: { from: nextDay.to, to: new Date(nextDay.to.getTime() + 24 * HOUR) },
      provider: garbled,
    });
    expect(night3.report.awaitingDecision).toHaveLength(1);
    expect((await w.run(settleTopUpByHand(decision(topUp.id, 'DECLINED')))).topUp.status.status).toBe('DECLINED');
  });
});
