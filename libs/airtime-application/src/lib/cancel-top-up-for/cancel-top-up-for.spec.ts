import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts, principalOf, sampleCatalogue, requestedTopUp } from '../../testing';
import { cancelTopUpFor } from './cancel-top-up-for.use-case';

describe('cancelTopUpFor', () => {
  it("cancels a top-up of the principal's accounts; another account's is not found and left as it was", async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(openFundedAccounts(['account-1', 'account-2']));
    const created = await world.run(requestedTopUp());
    const before = world.database.tables();
    expect(await world.runEither(cancelTopUpFor({ principal: principalOf('account-2'), topUpId: created.id }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
    );
    expect(world.database.tables()).toBe(before);
    expect(
      await world.run(cancelTopUpFor({ principal: principalOf('account-2', 'account-1'), topUpId: created.id })),
    ).toMatchObject({ id: created.id, status: { class: 'CANCELLED' } });
  });
});
