import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts, principalOf, sampleCatalogue, requestedTopUp } from '../../testing';
import { findTopUp } from './find-top-up.use-case';

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(openFundedAccounts(['account-1', 'account-2']));
  const created = await world.run(requestedTopUp({ callback_url: 'https://caller.example/hook' }));
  return { world, topUp: created };
};

describe('findTopUp', () => {
  it("answers a top-up of the principal's accounts with its stored request", async () => {
    const { world, topUp } = await setUp();
    expect(await world.run(findTopUp({ principal: principalOf('account-2', 'account-1'), topUpId: topUp.id }))).toEqual(
      {
        topUp,
        request: expect.objectContaining({
          topUpId: topUp.id,
          accountId: 'account-1',
          externalId: 'order-1',
          callbackUrl: 'https://caller.example/hook',
        }),
      },
    );
  });

  it("answers another account's top-up and an unknown id alike: TopUpNotFound", async () => {
    const { world, topUp } = await setUp();
    for (const [principal, topUpId] of [
      [principalOf('account-2'), topUp.id],
      [principalOf(), topUp.id],
      [principalOf('account-1'), 'topup-999999'],
    ] as const) {
      expect(await world.runEither(findTopUp({ principal, topUpId }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'TopUpNotFound', code: 'TOP_UP_NOT_FOUND' })),
      );
    }
  });

  it('refuses an id that breaks the identifier rule as InvalidInput (topUpId)', async () => {
    const { world } = await setUp();
    for (const topUpId of ['', 'x'.repeat(101), 'a\u0000b', 42, undefined])
      expect(await world.runEither(findTopUp({ principal: principalOf('account-1'), topUpId }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'topUpId' })),
      );
  });
});
