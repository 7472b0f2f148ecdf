import type { TopUp } from '@airtime/domain';
import { Either } from 'effect';
import {
  type InMemoryWorld,
  inMemoryLayers,
  openFundedAccounts,
  principalOf,
  requestedTopUp,
  sampleCatalogue,
  type SendScript,
} from '../../testing';
import { cancelTopUp } from '../cancel-top-up/cancel-top-up.use-case';
import { quoteTopUp } from '../quote-top-up/quote-top-up.use-case';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { settleTopUpByHand } from '../settle-top-up-by-hand/settle-top-up-by-hand.use-case';
import { planResendFor } from './plan-resend-for.use-case';

const principal = principalOf('account-1');

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(openFundedAccounts(['account-1', 'account-2']));
  return world;
};

/** A top-up of account-1 sent once with `script`. */
const sentWith = async (world: InMemoryWorld, script: SendScript, externalId = 'order-1'): Promise<TopUp> => {
  const topUp = await world.run(
    requestedTopUp({
      external_id: externalId,
      desired_amount: '60',
      callback_url: 'https://caller.example/hook',
      metadata: { order: 'A-17' },
    }),
  );
  world.provider.scriptSends(script);
  return world.run(sendAttempt(topUp.id));
};

/** Requests a plan's input: the new top-up, or the one a repeat answers. */
const submitted = async (world: InMemoryWorld, input: unknown) => {
  const result = await world.run(requestTopUp(input));
  if (result._tag === 'AlreadyProcessed') throw new Error('no inbox claim was made');
  return result;
};

describe('planResendFor', () => {
  it('plans the same request under <external id>~r1, linked by resend_of, with the quote it would get', async () => {
    const world = await setUp();
    const declined = await sentWith(world, { _tag: 'Decline' });
    expect(declined.status.class).toBe('DECLINED');
    const plan = await world.run(planResendFor({ principal, topUpId: declined.id }));
    expect(plan).toMatchObject({ original: declined, resendOf: declined, resendNumber: 1, externalId: 'order-1~r1' });
    expect(plan.input).toEqual({
      external_id: 'order-1~r1',
      account_id: 'account-1',
      phone_number: '+639171234100',
      currency: 'PHP',
      max_amount: '100.00',
      desired_amount: '60.00',
      exact_amount: false,
      callback_url: 'https://caller.example/hook',
      metadata: { order: 'A-17', resend_of: declined.id },
    });
    expect(plan.quote).toEqual(await world.run(quoteTopUp(plan.input)));
    expect(plan.quote.receive.amountMinor).toBe(10_000n);

    const first = await submitted(world, plan.input);
    expect(first).toMatchObject({ _tag: 'Created', topUp: { externalId: 'order-1~r1', quote: plan.quote } });
    // the same confirmation again is the same request repeated: the same top-up, nothing new
    const again = await submitted(world, plan.input);
    expect(again).toMatchObject({ _tag: 'Repeated', topUp: { id: first.topUp.id } });
    expect(world.database.tables().topUps.size).toBe(2);
  });

  it('never resends a top-up an operator settled as failed by hand (the provider may have delivered it), nor its family', async () => {
    const world = await setUp();
    // the provider holds it with no definite answer; an operator then decides it failed
    const pending = await sentWith(world, { _tag: 'Pending', status: 'SUBMITTED' });
    const settled = await world.run(
      settleTopUpByHand({
        topUpId: pending.id,
        status: 'DECLINED',
        reason: 'provider support says so',
        operator: 'ops-1',
        // no reconciliation run has listed it yet: the operator checked with the provider
        force: true,
      }),
    );
    expect(settled.topUp.status.class).toBe('DECLINED');
    expect(await world.runEither(planResendFor({ principal, topUpId: pending.id }))).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'TopUpNotResendable',
          reason: 'settled-by-hand',
          settledTopUpId: pending.id,
          message: expect.stringContaining('settled as failed by an operator'),
        }),
      ),
    );
    // a top-up declined by the provider's own answer is still resent
    const declined = await sentWith(world, { _tag: 'Decline' }, 'order-2');
    expect((await world.run(planResendFor({ principal, topUpId: declined.id }))).externalId).toBe('order-2~r1');
  });

  it('refuses while a resend is live, names it, and numbers the next one after it failed', async () => {
    const world = await setUp();
    const declined = await sentWith(world, { _tag: 'Decline' });
    const first = await submitted(world, (await world.run(planResendFor({ principal, topUpId: declined.id }))).input);
    const refusal = {
      _tag: 'TopUpNotResendable',
      code: 'TOP_UP_NOT_RESENDABLE',
      topUpId: declined.id,
      reason: 'already-resent',
      liveTopUpId: first.topUp.id,
    };
    expect(await world.runEither(planResendFor({ principal, topUpId: declined.id }))).toEqual(
      Either.left(expect.objectContaining(refusal)),
    );
    world.provider.scriptSends({ _tag: 'Decline' });
    await world.run(sendAttempt(first.topUp.id));
    // from the original or from its failed resend alike: the original, resent a second time
    for (const topUpId of [declined.id, first.topUp.id]) {
      const plan = await world.run(planResendFor({ principal, topUpId }));
      expect(plan).toMatchObject({ resendOf: { id: declined.id }, resendNumber: 2, externalId: 'order-1~r2' });
      expect(plan.input.metadata).toEqual({ order: 'A-17', resend_of: declined.id });
    }
    const second = await submitted(
      world,
      (await world.run(planResendFor({ principal, topUpId: first.topUp.id }))).input,
    );
    world.provider.scriptSends({ _tag: 'Complete' });
    await world.run(sendAttempt(second.topUp.id));
    for (const topUpId of [declined.id, first.topUp.id])
      expect(await world.runEither(planResendFor({ principal, topUpId }))).toEqual(
        Either.left(expect.objectContaining({ reason: 'already-resent', liveTopUpId: second.topUp.id })),
      );
    expect(await world.runEither(planResendFor({ principal, topUpId: second.topUp.id }))).toEqual(
      Either.left(expect.objectContaining({ reason: 'status', statusClass: 'COMPLETED' })),
    );
  });

  it('never plans a top-up created, pending, completed or of unknown outcome', async () => {
    const world = await setUp();
    const created = await world.run(requestedTopUp({ external_id: 'created-1' }));
    const pending = await sentWith(world, { _tag: 'Pending' }, 'pending-1');
    const completed = await sentWith(world, { _tag: 'Complete' }, 'completed-1');
    const unknown = await sentWith(world, { _tag: 'TimeoutAfterArrival', status: 'DECLINED' }, 'unknown-1');
    expect(unknown.awaitingStatusQuery).toBe(true);
    for (const [topUp, statusClass] of [
      [created, 'CREATED'],
      [pending, 'CONFIRMED'],
      [completed, 'COMPLETED'],
      [unknown, unknown.status.class],
    ] as const)
      expect(await world.runEither(planResendFor({ principal, topUpId: topUp.id }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'TopUpNotResendable', reason: 'status', statusClass })),
      );
  });

  it('plans a cancelled or rejected one; another account sees none of them', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(openFundedAccounts(['account-1'], 100n));
    const rejected = await world.run(requestedTopUp({ external_id: 'poor-1' }));
    expect(rejected.status.class).toBe('REJECTED');
    await world.run(openFundedAccounts(['account-2']));
    const cancelled = await world.run(requestedTopUp({ account_id: 'account-2', external_id: 'c-1' }));
    await world.run(cancelTopUp({ topUpId: cancelled.id, accountId: 'account-2' }));
    expect(await world.run(planResendFor({ principal, topUpId: rejected.id }))).toMatchObject({
      externalId: 'poor-1~r1',
    });
    expect(
      await world.run(planResendFor({ principal: principalOf('account-2'), topUpId: cancelled.id })),
    ).toMatchObject({
      externalId: 'c-1~r1',
      input: { account_id: 'account-2', metadata: { resend_of: cancelled.id } },
    });
    for (const topUpId of [cancelled.id, 'topup-404'])
      expect(await world.runEither(planResendFor({ principal, topUpId }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
      );
  });

  it('derives a key that fits from a 40-character one, and refuses metadata resend_of makes too large', async () => {
    const world = await setUp();
    const long = await world.run(requestedTopUp({ external_id: 'k'.repeat(40) }));
    await world.run(cancelTopUp({ topUpId: long.id, accountId: 'account-1' }));
    const plan = await world.run(planResendFor({ principal, topUpId: long.id }));
    expect(plan.externalId).toMatch(/^k{28}~[0-9a-z]{8}~r1$/);
    expect((await submitted(world, plan.input))._tag).toBe('Created');

    const full = await world.run(
      requestedTopUp({ external_id: 'full-1', metadata: { note: 'x'.repeat(4096 - '{"note":""}'.length) } }),
    );
    await world.run(cancelTopUp({ topUpId: full.id, accountId: 'account-1' }));
    expect(await world.runEither(planResendFor({ principal, topUpId: full.id }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'metadata' })),
    );
  });

  it('refuses, as requestTopUp would, a resend naming a callback URL for an account with no callback signing secret', async () => {
    // a top-up taken with its callback URL before such requests were refused (2026-12-03), its account without a secret
    const world = await setUp();
    const declined = await sentWith(world, { _tag: 'Decline' });
    const planned = await world.run(planResendFor({ principal, topUpId: declined.id }));
    await world.run(
      world.database.update(
        (tables) => [undefined, { ...tables, callbackSecrets: new Map<string, string>() }] as const,
      ),
    );
    const refused = await world.runEither(planResendFor({ principal, topUpId: declined.id }));
    expect(refused).toEqual(Either.left(expect.objectContaining({ _tag: 'CallbackSecretMissing' })));
    // no confirmation is offered for a resend its submission would refuse
    expect(await world.runEither(requestTopUp(planned.input))).toEqual(refused);
    expect(world.database.tables().topUps.size).toBe(1);
  });
});
