// npm run admin -- top-up settle with an --operator the command's checks
// accept but the reconciliation_settlements.operator column refuses.
// SettleTopUpByHandInput holds the operator to 1..100 characters once
// trimmed, nothing more; the column's CHECK is identifier_is_valid(operator,
// 100, true): no control, invisible, format or separator character but the
// plain space (U+0020) inside, and no combining mark first. Such an operator
// passed the input check, then the INSERT of the settlement broke the CHECK:
// a PersistenceFailure, exit 1 ("failure: run the command again", which can
// never succeed). It must be refused as every other bad value is: exit 2,
// one line naming --operator (never the value), nothing recorded or changed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { cachedProviderCatalogueLayer, openCustomerAccount, requestTopUp, sendAttempt } from '@airtime/application';
import {
  fundAccount,
  makeScriptedProvider,
  sampleCatalogue,
  sampleRequestInput,
  scriptedProviderLayer,
} from '@airtime/application/testing';
import { reconciliationStoreLayer } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { makeScaledClock, persistenceLayer, scaledClockLayer, uuidIdGeneratorLayer } from '@airtime/platform-runtime';
import { type BundledEntry, bundleEntry } from '@airtime/platform-runtime/testing';
import { Effect, Layer } from 'effect';

const workspaceRoot = path.resolve(__dirname, '../..');
const execute = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let database: TestDatabase;
let bundle: BundledEntry | undefined;

/** The admin script, bundled once, run with DATABASE_URL set to the spec's database. */
const admin = async (...args: string[]): Promise<Outcome> => {
  try {
    const { stdout, stderr } = await execute(
      process.execPath,
      ['--require', './tools/ci/services-env.js', bundle?.file ?? '', ...args],
      { cwd: workspaceRoot, env: { ...process.env, DATABASE_URL: database.config.url }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
};

/** A top-up sent and left SUBMITTED at a provider that never answers again (its cost held); its id. */
const pendingTopUp = async (accountId: string, externalId: string): Promise<string> => {
  const providerLayer = scriptedProviderLayer(
    makeScriptedProvider({ products: sampleCatalogue, defaultSend: { _tag: 'Pending', status: 'SUBMITTED' } }),
  );
  const layer = Layer.mergeAll(
    persistenceLayer(database.dataSource),
    reconciliationStoreLayer(database.dataSource),
    providerLayer,
    Layer.provide(cachedProviderCatalogueLayer(), providerLayer),
    scaledClockLayer(makeScaledClock({ scale: 1 })),
    uuidIdGeneratorLayer(),
  );
  return Effect.runPromise(
    Effect.gen(function* () {
      yield* Effect.either(openCustomerAccount({ id: accountId, name: accountId }));
      yield* Effect.either(fundAccount(accountId, 'USD', 100_000n));
      const requested = yield* requestTopUp(sampleRequestInput({ account_id: accountId, external_id: externalId }));
      if (requested._tag === 'AlreadyProcessed') return yield* Effect.die('unexpected repeat');
      yield* sendAttempt(requested.topUp.id);
      return requested.topUp.id;
    }).pipe(Effect.provide(layer)),
  );
};

beforeAll(async () => {
  [database, bundle] = await Promise.all([
    createTestDatabase({ poolSize: 2 }),
    bundleEntry({ entry: 'tools/admin/admin.ts', tsconfig: 'tools/tsconfig.json', name: 'admin-column-limits' }),
  ]);
}, 60_000);

afterAll(async () => {
  await database?.drop();
  bundle?.dispose();
});

describe('npm run admin -- top-up settle: an --operator its column refuses', () => {
  it.each([
    ['a no-break space inside', 'amina\u00a0k'],
    ['a tab inside', 'amina\tk'],
    ['a zero-width space inside', 'ami\u200bna'],
    ['a right-to-left override inside', 'amina\u202ek'],
    ['a combining mark first', '\u0301amina'],
  ])(
    '%s: exit 2 naming --operator, nothing recorded or changed',
    async (_name, operator) => {
      const topUpId = await pendingTopUp('settle-co', `order-${Math.random().toString(36).slice(2, 10)}`);
      const state = () =>
        database.dataSource.query(
          `SELECT t.status, h.status AS hold,
                (SELECT count(*)::int FROM reconciliation_settlements s WHERE s.top_up_id = t.id) AS settlements
           FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id WHERE t.id = $1`,
          [topUpId],
        );
      const before = await state();
      expect(before).toEqual([{ status: 'SUBMITTED', hold: 'HELD', settlements: 0 }]);

      const refused = await admin(
        'top-up',
        'settle',
        topUpId,
        '--status',
        'COMPLETED',
        '--reason',
        'confirmed by the provider support',
        '--operator',
        operator,
      );

      expect({ code: refused.code, stdout: refused.stdout, first: refused.stderr.split('\n')[0] }).toEqual({
        code: 2,
        stdout: '',
        first: expect.stringMatching(/^admin: --operator: /),
      });
      expect(refused.stderr).not.toContain(operator);
      expect(await state()).toEqual(before);
    },
    120_000,
  );

  it('still records an operator the column takes (a plain space inside, 100 characters)', async () => {
    const topUpId = await pendingTopUp('settle-co', `order-${Math.random().toString(36).slice(2, 10)}`);
    const operator = `amina ${'k'.repeat(94)}`;
    const settled = await admin(
      'top-up',
      'settle',
      topUpId,
      '--status',
      'COMPLETED',
      '--reason',
      'confirmed by the provider support',
      '--operator',
      operator,
    );
    expect(settled.code).toBe(0);
    expect(
      await database.dataSource.query(`SELECT operator FROM reconciliation_settlements WHERE top_up_id = $1`, [
        topUpId,
      ]),
    ).toEqual([{ operator }]);
  }, 120_000);
});
