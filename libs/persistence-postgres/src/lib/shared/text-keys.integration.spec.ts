// Every read of the stores that takes a caller's text key or filter (ids,
// account ids, external ids, tokens, references, names), given one holding a
// NUL: PostgreSQL's text cannot hold U+0000, so no row has such a key, and the
// answer is what a missing row answers (none, an empty list), never a storage
// failure (before the guard: database error 22021). The top-up repository and
// the request store have theirs in their own specs.
import type { ReconciliationWindow } from '@airtime/application';
import type { ProductKind } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeAccountDirectory } from '../accounts/account-directory.adapter';
import { makeApiKeyStore } from '../api-keys/api-key-store.adapter';
import { makeCallbackDeliveryStore, setCallbackSigningSecret } from '../callbacks/callback-delivery-store.adapter';
import { makeConsoleSessionStore } from '../console-sessions/console-session-store.adapter';
import { makeLedgerQueries } from '../ledger/ledger-queries.adapter';
import { makeProductCache } from '../products/product-cache.adapter';
import { makeReconciliationStore } from '../reconciliation/reconciliation-store.adapter';
import { makeTopUpQueries } from '../top-ups/top-up-queries.adapter';
import { makeTransferLog } from '../transfer-log/transfer-log.adapter';
import { sql } from '../unit-of-work/sql';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';

/** `key` with a NUL inside (no stored key can hold one). */
const nul = (key: string) => `${key}\u0000`;

const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const t1 = new Date(Date.UTC(2025, 0, 2, 12));
const NONE = { items: [], total: 0 };
const windowOf = (providerId: string): ReconciliationWindow => ({ providerId, from: t0, to: t1 });

/** The answer, or the failure's reason (so a failing expectation shows the database's error). */
const answerOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<A | string> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isRight(result) ? result.right : `failed: ${JSON.stringify(result.left)}`;
};

describe('reads by a key holding a NUL find nothing (no row can hold one)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // rows the NUL-free keys find, so that "nothing" is the NUL's doing
    await Effect.runPromise(
      Effect.zipRight(
        makeAccountDirectory(db.dataSource).create({ id: 'acct-1', name: 'Account 1', createdAt: t0 }),
        setCallbackSigningSecret(db.dataSource, 'acct-1', 'a-signing-secret-of-32-characters'),
      ),
    );
  });
  afterAll(async () => db.drop());

  const accounts = () => makeAccountDirectory(db.dataSource);
  const apiKeys = () => makeApiKeyStore(db.dataSource);
  const sessions = () => makeConsoleSessionStore(db.dataSource);
  const callbacks = () => makeCallbackDeliveryStore(db.dataSource);
  const ledger = () => makeLedgerQueries(db.dataSource);
  const products = () => makeProductCache(db.dataSource);
  const reconciliation = () => makeReconciliationStore(db.dataSource);
  const topUps = () => makeTopUpQueries(db.dataSource);
  const transferLog = () => makeTransferLog(db.dataSource);

  /** Each read with a NUL key, and what a missing row answers. */
  const reads: readonly (readonly [string, () => Effect.Effect<unknown, unknown>, unknown])[] = [
    ['accounts.find', () => accounts().find(nul('acct-1')), Option.none()],
    ['apiKeys.findByPrefix', () => apiKeys().findByPrefix(nul('0123456789ab')), Option.none()],
    ['apiKeys.listFor', () => apiKeys().listFor(nul('acct-1')), []],
    ['consoleSessions.find', () => sessions().find(nul('a'.repeat(64))), Option.none()],
    ['callbacks.signingSecretOf', () => callbacks().signingSecretOf(nul('acct-1')), Option.none()],
    ['ledgerQueries.balancesOf', () => ledger().balancesOf(nul('acct-1')), []],
    [
      'ledgerQueries.journalOf',
      () => ledger().journalOf({ accountId: nul('acct-1'), offset: 0, limit: 10 }),
      { items: [], total: 0 },
    ],
    ['ledgerQueries.movementsOf (account)', () => ledger().movementsOf(nul('acct-1'), 't1'), []],
    ['ledgerQueries.movementsOf (top-up)', () => ledger().movementsOf('acct-1', nul('t1')), []],
    ['products.fresh (provider)', () => products().fresh(nul('dtone'), {}, t0), []],
    ['products.fresh (country)', () => products().fresh('dtone', { countryIso: nul('PH') }, t0), []],
    ['products.fresh (operator)', () => products().fresh('dtone', { operatorId: nul('globe') }, t0), []],
    ['products.fresh (kind)', () => products().fresh('dtone', { kind: nul('FIXED') as ProductKind }, t0), []],
    ['reconciliation.attemptsStartedIn', () => reconciliation().attemptsStartedIn(windowOf(nul('dtone'))), []],
    [
      'reconciliation.attemptsByProviderExternalIds',
      () => reconciliation().attemptsByProviderExternalIds(['pex-1', nul('pex-2')]),
      [],
    ],
    ['reconciliation.nonFinalSince', () => reconciliation().nonFinalSince(nul('dtone'), t1), []],
    ['reconciliation.holdingAtProvider', () => reconciliation().holdingAtProvider(nul('dtone')), []],
    ['reconciliation.unfinishedSettlements', () => reconciliation().unfinishedSettlements(nul('dtone/window')), []],
    ['reconciliation.settlementsOf', () => reconciliation().settlementsOf(windowOf(nul('dtone'))), []],
    ['reconciliation.latestRun', () => reconciliation().latestRun(windowOf(nul('dtone'))), Option.none()],
    [
      'topUpQueries.search (account)',
      () => topUps().search({ accountIds: [nul('acct-1')], offset: 0, limit: 10 }),
      NONE,
    ],
    [
      'topUpQueries.search (external id)',
      () => topUps().search({ accountIds: ['acct-1'], externalId: nul('order-1'), offset: 0, limit: 10 }),
      NONE,
    ],
    [
      'topUpQueries.search (phone number)',
      () => topUps().search({ accountIds: ['acct-1'], phoneNumber: nul('+639171234100'), offset: 0, limit: 10 }),
      NONE,
    ],
    ['topUpQueries.eventsOf', () => topUps().eventsOf(nul('t1')), []],
    ['topUpQueries.resendsOf (account)', () => topUps().resendsOf(nul('acct-1'), 't1'), []],
    ['topUpQueries.resendsOf (top-up)', () => topUps().resendsOf('acct-1', nul('t1')), []],
    [
      'topUpQueries.activityOf',
      () => topUps().activityOf({ accountIds: [nul('acct-1')], createdFrom: t0, createdBefore: t1 }),
      { hourly: [], byProvider: [], byOperator: [] },
    ],
    ['transferLog.forTopUp', () => transferLog().forTopUp(nul('t1')), []],
  ];

  it.each(reads)('%s answers what a missing row answers', async (_name, read, missing) => {
    expect(await answerOf(read())).toEqual(missing);
  });

  it('the NUL-free keys do find the rows (the NUL is what finds nothing)', async () => {
    expect(Option.isSome(await Effect.runPromise(accounts().find('acct-1')))).toBe(true);
    expect(await Effect.runPromise(callbacks().signingSecretOf('acct-1'))).toEqual(
      Option.some('a-signing-secret-of-32-characters'),
    );
  });

  it('inside a unit of work, all of them leave the transaction usable', async () => {
    const after = await Effect.runPromise(
      makeUnitOfWork(db.dataSource).transactionally(
        Effect.zipRight(
          Effect.all(reads.map(([, read]) => Effect.either(read()))),
          sql<{ readonly id: string }>(db.dataSource, `SELECT id FROM accounts WHERE id = $1`, ['acct-1']),
        ),
      ),
    );
    expect(after).toEqual([{ id: 'acct-1' }]);
  });
});
