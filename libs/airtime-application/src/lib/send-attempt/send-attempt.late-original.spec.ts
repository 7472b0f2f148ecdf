// A status query that overtakes a live sender: the attempt's start is durable,
// its sender is slow to POST (a loaded process; the start's clock reading is
// older than the commit), and the stalled-top-up loop takes it for a crash and
// asks the provider, which has nothing yet ("not found": attempt failed, a
// resend under the same external id scheduled). Then the original arrives
// after all and the provider answers it. That answer is the provider's word
// about the attempt: it replaces the "not found", and nothing is sent again.
// (It was refused as DECLINED -> COMPLETED, and the due retry POSTed the same
// external id again with no status query after the answer: the kill -9 fault
// spec's "resent blindly", seen on a loaded CI machine; only the provider's
// duplicate check kept it from a second delivery.)
import { LedgerStore } from '@airtime/domain';
import { Effect } from 'effect';
import {
  fundAccount,
  inMemoryLayers,
  type InMemoryWorld,
  sampleCatalogue,
  sampleRequestInput,
  type SendScript,
} from '../../testing';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { loadTopUp } from '../top-up-change/save-top-up-change.use-case';
import { recoverStalledTopUps } from '../recover-stalled-top-ups/recover-stalled-top-ups.use-case';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { retryDueTopUps } from '../retry-due-top-ups/retry-due-top-ups.use-case';
import { sendAttemptReporting } from './send-attempt.use-case';

const MINUTE = 60_000;

/**
 * A world whose first send waits, between the attempt's durable start and the
 * POST, for the stalled-top-up loop to run (its status query finds nothing).
 */
const worldWithLateOriginal = async (answer: SendScript) => {
  let overtaken = false;
  const world: InMemoryWorld = inMemoryLayers({
    products: sampleCatalogue,
    gate: (call) => {
      if (call.operation !== 'send' || overtaken) return Effect.void;
      overtaken = true;
      return Effect.promise(async () => {
        world.clock.advance(2 * MINUTE);
        await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }));
      });
    },
  });
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  world.provider.scriptSends(answer);
  const sent = await world.run(sendAttemptReporting(created.topUp.id, created));
  return { world, topUpId: created.topUp.id, sent };
};

const operations = (world: InMemoryWorld) =>
  world.provider.calls().flatMap((call) => (call.providerExternalId === undefined ? [] : [call.operation]));

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

describe('sendAttempt when a status query overtook the send ("not found", then the original arrives)', () => {
  it("applies the late original's answer (completed, captured once) and sends nothing again when a retry would be due", async () => {
    const { world, topUpId, sent } = await worldWithLateOriginal({ _tag: 'Complete' });
    expect(sent).toMatchObject({ _tag: 'Sent', attemptNumber: 1, topUp: { status: { class: 'COMPLETED' } } });
    world.clock.advance(60 * MINUTE);
    expect(await world.run(retryDueTopUps({ limit: 10 }))).toBe(0);
    expect(await world.run(recoverStalledTopUps({ olderThanMs: MINUTE, limit: 10 }))).toBe(0);
    expect(operations(world)).toEqual(['statusByExternalId', 'send']);
    const { topUp } = await world.run(loadTopUp(topUpId));
    expect(topUp).toMatchObject({ status: { class: 'COMPLETED' }, nextAttemptAt: undefined });
    expect(topUp.attempts).toHaveLength(1);
    expect(topUp.attempts[0]).toMatchObject({ state: 'Succeeded', failure: undefined });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
    expect(world.database.tables().outbox.filter((record) => record.event.type === 'topup.completed')).toHaveLength(1);
  });

  it("holds the attempt pending on the late original's answer (no resend while the provider holds it), then completes on its callback", async () => {
    const { world, topUpId, sent } = await worldWithLateOriginal({ _tag: 'Pending', status: 'CONFIRMED' });
    expect(sent).toMatchObject({ _tag: 'Sent', topUp: { status: { class: 'CONFIRMED' } } });
    world.clock.advance(60 * MINUTE);
    expect(await world.run(retryDueTopUps({ limit: 10 }))).toBe(0);
    const [attempt] = (await world.run(loadTopUp(topUpId))).topUp.attempts;
    if (attempt === undefined) throw new Error('expected an attempt');
    await world.run(applyProviderUpdate(world.provider.settle(attempt.providerExternalId, 'COMPLETED')));
    expect(operations(world).filter((operation) => operation === 'send')).toHaveLength(1);
    expect((await world.run(loadTopUp(topUpId))).topUp).toMatchObject({ status: { class: 'COMPLETED' } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, capturedMinor: 186n });
  });
});
