import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts, principalOf, requestedTopUp, sampleCatalogue } from '../../testing';
import { planResendFor } from '../resend-top-up/plan-resend-for.use-case';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { topUpDetailFor } from './top-up-detail-for.use-case';

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(openFundedAccounts(['account-1', 'account-2']));
  const topUp = await world.run(
    requestedTopUp({ callback_url: 'https://caller.example/hook', metadata: { order: 'A-17' } }),
  );
  world.provider.scriptSends({ _tag: 'Decline' });
  await world.run(sendAttempt(topUp.id));
  return { world, topUp };
};

describe('topUpDetailFor', () => {
  it('answers the top-up with its extras, exchanges, movements and events, oldest first', async () => {
    const { world, topUp } = await setUp();
    const detail = await world.run(topUpDetailFor({ principal: principalOf('account-1'), topUpId: topUp.id }));
    expect(detail.topUp).toMatchObject({ id: topUp.id, status: { class: 'DECLINED' } });
    expect(detail.extras).toEqual({ metadata: { order: 'A-17' }, callbackUrl: 'https://caller.example/hook' });
    expect(detail.exchanges.map((exchange) => exchange.attemptNumber)).toEqual([1]);
    expect(detail.movements.map((entry) => [entry.kind, entry.reference, entry.amountMinor])).toEqual([
      ['AUTHORIZE', topUp.id, 186n],
      ['VOID', topUp.id, 186n],
    ]);
    expect(detail.events.map((event) => event.type)).toEqual(['topup.created', 'topup.failed']);
    expect(detail.events.every((event) => event.sentAt === undefined && event.payload['topUpId'] === topUp.id)).toBe(
      true,
    );
    expect(detail).toMatchObject({ resendOf: undefined, resentAs: [], resendRefusal: undefined });
  });

  it('links a resend both ways, and refuses a second resend while the first is live', async () => {
    const { world, topUp } = await setUp();
    const principal = principalOf('account-1');
    const plan = await world.run(planResendFor({ principal, topUpId: topUp.id }));
    const resent = await world.run(requestTopUp(plan.input));
    if (resent._tag !== 'Created') throw new Error(`expected a new top-up, got ${resent._tag}`);
    const original = await world.run(topUpDetailFor({ principal, topUpId: topUp.id }));
    expect(original.resentAs.map((each) => each.id)).toEqual([resent.topUp.id]);
    expect(original.resendRefusal).toEqual({ reason: 'already-resent', liveTopUpId: resent.topUp.id });
    const resend = await world.run(topUpDetailFor({ principal, topUpId: resent.topUp.id }));
    expect(resend).toMatchObject({ resentAs: [], resendRefusal: { reason: 'status' } });
    expect(resend.resendOf?.id).toBe(topUp.id);
    expect(resend.extras.metadata).toEqual({ order: 'A-17', resend_of: topUp.id });
  });

  it("ignores a resend_of naming another account's top-up or nothing", async () => {
    const { world, topUp } = await setUp();
    const forged = await world.run(
      requestedTopUp({ account_id: 'account-2', external_id: 'b-1', metadata: { resend_of: topUp.id } }),
    );
    const dangling = await world.run(requestedTopUp({ external_id: 'a-2', metadata: { resend_of: 'topup-404' } }));
    expect(
      (await world.run(topUpDetailFor({ principal: principalOf('account-1'), topUpId: topUp.id }))).resentAs,
    ).toEqual([]);
    expect(
      (await world.run(topUpDetailFor({ principal: principalOf('account-2'), topUpId: forged.id }))).resendOf,
    ).toBeUndefined();
    expect(
      (await world.run(topUpDetailFor({ principal: principalOf('account-1'), topUpId: dangling.id }))).resendOf,
    ).toBeUndefined();
  });

  it("answers another account's top-up and an unknown id alike: TopUpNotFound; a bad id InvalidInput", async () => {
    const { world, topUp } = await setUp();
    for (const [principal, topUpId] of [
      [principalOf('account-2'), topUp.id],
      [principalOf(), topUp.id],
      [principalOf('account-1'), 'topup-999999'],
    ] as const)
      expect(await world.runEither(topUpDetailFor({ principal, topUpId }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
      );
    expect(await world.runEither(topUpDetailFor({ principal: principalOf('account-1'), topUpId: '' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'topUpId' })),
    );
  });
});
