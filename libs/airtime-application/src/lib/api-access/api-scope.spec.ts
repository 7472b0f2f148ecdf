// Scoping, as a property: whatever the accounts' top-ups and the key's
// scope, a principal never sees another account's top-up (by id, in a list,
// through its transfer log or a cancel) nor another account's balance or journal.
import type { TopUp } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import { inMemoryLayers, openFundedAccounts, principalOf, sampleCatalogue, requestedTopUp } from '../../testing';
import { accountBalances } from '../account-balances/account-balances.use-case';
import { accountJournal } from '../account-journal/account-journal.use-case';
import { cancelTopUpFor } from '../cancel-top-up-for/cancel-top-up-for.use-case';
import { findTopUp } from '../find-top-up/find-top-up.use-case';
import { listTopUps } from '../list-top-ups/list-top-ups.use-case';
import { transferLogFor } from '../transfer-log-for/transfer-log-for.use-case';

const ACCOUNTS: readonly string[] = ['team-a', 'team-b', 'team-c'];

const failsWith = (tag: string) => Either.left(expect.objectContaining({ _tag: tag }));

describe('API scoping', () => {
  it("a principal never sees another account's top-up, balance or journal", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...ACCOUNTS), { maxLength: 8 }),
        fc.subarray([...ACCOUNTS]),
        fc.subarray([...ACCOUNTS, 'team-unknown']),
        async (owners, scope, extra) => {
          const world = inMemoryLayers({ products: sampleCatalogue });
          await world.run(openFundedAccounts(ACCOUNTS));
          const topUps: TopUp[] = [];
          for (const [index, owner] of owners.entries())
            topUps.push(await world.run(requestedTopUp({ account_id: owner, external_id: `o-${index}` })));
          const principal = principalOf(...scope);
          const visible = topUps.filter((topUp) => scope.includes(topUp.accountId));

          const listed = await world.run(listTopUps({ principal, perPage: 100 }));
          expect(new Set(listed.items.map((topUp) => topUp.id))).toEqual(new Set(visible.map((topUp) => topUp.id)));
          expect(listed.total).toBe(visible.length);

          for (const topUp of topUps) {
            const request = { principal, topUpId: topUp.id };
            if (scope.includes(topUp.accountId)) {
              expect(await world.run(findTopUp(request))).toMatchObject({ topUp: { id: topUp.id } });
              continue;
            }
            const before = world.database.tables();
            expect(await world.runEither(findTopUp(request))).toEqual(failsWith('TopUpNotFound'));
            expect(await world.runEither(transferLogFor(request))).toEqual(failsWith('TopUpNotFound'));
            expect(await world.runEither(cancelTopUpFor(request))).toEqual(failsWith('TopUpNotFound'));
            expect(world.database.tables()).toBe(before);
          }

          for (const accountId of extra) {
            const request = { principal, accountId };
            if (scope.includes(accountId)) {
              expect(await world.runEither(accountBalances(request))).toEqual(Either.right(expect.any(Array)));
              expect((await world.run(listTopUps(request))).items.every((topUp) => topUp.accountId === accountId)).toBe(
                true,
              );
              continue;
            }
            expect(await world.runEither(accountBalances(request))).toEqual(failsWith('CustomerAccountNotFound'));
            expect(await world.runEither(accountJournal(request))).toEqual(failsWith('CustomerAccountNotFound'));
            expect(await world.runEither(listTopUps(request))).toEqual(failsWith('CustomerAccountNotFound'));
          }
          await world.runtime.dispose();
        },
      ),
      { numRuns: 40 },
    );
  });
});
