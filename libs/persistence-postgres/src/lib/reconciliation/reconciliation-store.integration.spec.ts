// The reconciliation store on PostgreSQL, our attempts: the window [from, to), by external id,
// the non-final ones, the holding per currency, and a day of 10,000 top-ups read at once.
import type { ReconciliationWindow } from '@airtime/application';
import {
  attemptAccepted,
  attemptFailed,
  attemptSucceeded,
  attemptUnknown,
  currencyOf,
  money,
  type NewTopUp,
  type OurAttempt,
  parseExternalId,
  preciseMoney,
  preciseZero,
  type Quote,
  transactionStatus,
} from '@airtime/domain';
import { sampleNewTopUp, sampleQuote } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeLedgerStore } from '../ledger/ledger-store.adapter';
import { makeReconciliationStore } from './reconciliation-store.adapter';
import { copyTopUps, makeSeeder, type Seeded } from './reconciliation-world.fixture';
import * as queries from './reconciliation.queries';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

const day = new Date('2025-03-10T00:00:00.000Z');
const nextDay = new Date('2025-03-11T00:00:00.000Z');
const at = (offsetMs: number) => new Date(day.getTime() + offsetMs);
const HOUR = 3_600_000;
const window = (providerId: string, from = day, to = nextDay): ReconciliationWindow => ({ providerId, from, to });

const usd = Either.getOrThrow(currencyOf('USD'));
const eur = Either.getOrThrow(currencyOf('EUR'));
/** The sample quote, or the same product charged in EUR 2.345 exactly. */
const quoteFor = (id: string): Quote =>
  id.startsWith('eur') ? { ...sampleQuote(), costExact: preciseMoney(2345n, 3, eur) } : sampleQuote();
const newTopUp = (id: string, now: Date): NewTopUp =>
  sampleNewTopUp({ id, externalId: Either.getOrThrow(parseExternalId(`order-${id}`)), now, quote: quoteFor(id) });

const ids = (attempts: readonly OurAttempt[]) => attempts.map((a) => `${a.topUpId}#${a.attemptNumber}`);

describe('reconciliation store on PostgreSQL: our attempts', () => {
  let db: TestDatabase;
  const store = () => makeReconciliationStore(db.dataSource);
  const seeder = () => makeSeeder(db.dataSource, newTopUp);
  /** A top-up with one attempt at `provider` started at `startedAt`, answered by `outcome` a minute later. */
  const attemptAt = async (id: string, provider: string, startedAt: Date, outcome = attemptSucceeded(`tx-${id}`)) => {
    const created = await seeder().create(id, new Date(startedAt.getTime() - 1000));
    const started = await seeder().start(created, startedAt, provider);
    return seeder().answer(started, outcome, new Date(startedAt.getTime() + 60_000));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  describe('attemptsStartedIn', () => {
    it('reads the attempts at the provider started in [from, to), by start: from included, to excluded', async () => {
      await attemptAt('edge-before', 'dtone', new Date(day.getTime() - 1));
      await attemptAt('edge-from', 'dtone', day);
      await attemptAt('edge-mid', 'dtone', at(12 * HOUR));
      await attemptAt('edge-other', 'reloadly', at(12 * HOUR));
      await attemptAt('edge-last', 'dtone', new Date(nextDay.getTime() - 1));
      await attemptAt('edge-to', 'dtone', nextDay);
      const read = await run(store().attemptsStartedIn(window('dtone')));
      expect(ids(read)).toEqual(['edge-from#1', 'edge-mid#1', 'edge-last#1']);
      expect(ids(await run(store().attemptsStartedIn(window('reloadly'))))).toEqual(['edge-other#1']);
      expect(await run(store().attemptsStartedIn(window('nobody')))).toEqual([]);
    });

    it('gives each attempt as the books know it: its top-up, status, failure, amounts of the quote, and which is last', async () => {
      const start = at(30 * HOUR);
      let seeded: Seeded = await seeder().create('two-tries', start);
      seeded = await seeder().start(seeded, start, 'dtone');
      seeded = await seeder().answer(
        seeded,
        attemptFailed({ reason: 'RATE_LIMITED' }),
        new Date(start.getTime() + 1000),
      );
      const second = new Date(start.getTime() + HOUR);
      seeded = await seeder().start(seeded, second, 'dtone');
      seeded = await seeder().answer(seeded, attemptSucceeded('tx-two'), new Date(second.getTime() + 1000));
      const [first, last] = await run(
        store().attemptsStartedIn(window('dtone', start, new Date(start.getTime() + 2 * HOUR))),
      );
      const quote = sampleQuote();
      const common = {
        topUpId: 'two-tries',
        accountId: seeded.topUp.accountId,
        externalId: 'order-two-tries',
        providerId: 'dtone',
        receive: quote.receive,
        charged: quote.costExact,
        cost: quote.cost,
        topUpStatus: transactionStatus('COMPLETED'),
        topUpUpdatedAt: seeded.topUp.updatedAt,
      };
      expect(first).toEqual({
        ...common,
        attemptNumber: 1,
        isLastAttempt: false,
        providerExternalId: seeded.topUp.attempts[0]?.providerExternalId,
        providerTransactionId: undefined,
        startedAt: start,
        state: 'Failed',
        status: transactionStatus('DECLINED'),
        failureReason: 'RATE_LIMITED',
      });
      expect(last).toEqual({
        ...common,
        attemptNumber: 2,
        isLastAttempt: true,
        providerExternalId: seeded.topUp.attempts[1]?.providerExternalId,
        providerTransactionId: 'tx-two',
        startedAt: second,
        state: 'Succeeded',
        status: transactionStatus('COMPLETED'),
        failureReason: undefined,
      });
    });

    it('reads an attempt with no answer as CREATED, its state saying why', async () => {
      const start = at(40 * HOUR);
      await attemptAt('no-answer', 'dtone', start, attemptUnknown('TIMEOUT_AFTER_SEND'));
      const [attempt] = await run(store().attemptsStartedIn(window('dtone', start, new Date(start.getTime() + 1))));
      expect(attempt).toMatchObject({ state: 'Unknown', status: transactionStatus('CREATED'), isLastAttempt: true });
    });

    it('reads a day of 10,000 top-ups whole, each with its own exact cost', async () => {
      const from = new Date('2025-06-01T00:00:00.000Z');
      await attemptAt('bulk-template', 'dtone', new Date('2025-05-01T00:00:00.000Z'));
      await copyTopUps(db.dataSource, 'bulk-template', {
        prefix: 'bulk',
        count: 10_000,
        firstStart: from,
        stepMs: 8_000,
      });
      const theDay = window('dtone', from, new Date(from.getTime() + 24 * HOUR));
      const read = await run(store().attemptsStartedIn(theDay));
      expect(read).toHaveLength(10_000);
      expect(read.every((attempt) => attempt.status.class === 'COMPLETED' && attempt.isLastAttempt)).toBe(true);
      // every exact cost differs: nothing is read once for many rows
      expect(read[0]?.charged).toEqual(preciseMoney(18696n, 4, usd));
      expect(new Set(read.map((attempt) => attempt.charged.units)).size).toBe(10_000);
    });
  });

  describe('attemptsByProviderExternalIds', () => {
    it('reads the attempts with any of the ids, at any provider and any time; unknown ids are no attempts', async () => {
      const one = await attemptAt('by-id-1', 'dtone', at(-100 * HOUR));
      const two = await attemptAt('by-id-2', 'reloadly', at(100 * HOUR));
      const idOf = (seeded: Seeded) => seeded.topUp.attempts[0]?.providerExternalId ?? '';
      const read = await run(store().attemptsByProviderExternalIds([idOf(two), 'never-sent', idOf(one), idOf(two)]));
      expect(read.map((a) => [a.topUpId, a.providerId, a.providerExternalId]).sort()).toEqual(
        [
          ['by-id-1', 'dtone', idOf(one)],
          ['by-id-2', 'reloadly', idOf(two)],
        ].sort(),
      );
      expect(await run(store().attemptsByProviderExternalIds([]))).toEqual([]);
      expect(await run(store().attemptsByProviderExternalIds(['never-sent']))).toEqual([]);
    });
  });

  describe('nonFinalSince, heldNeverSent and holdingAtProvider (a fresh database each)', () => {
    let fresh: TestDatabase;
    beforeEach(async () => {
      fresh = await createTestDatabase();
    });
    afterEach(async () => fresh.drop());
    const freshStore = () => makeReconciliationStore(fresh.dataSource);
    const freshSeeder = () => makeSeeder(fresh.dataSource, newTopUp);
    const started = async (id: string, provider: string, startedAt: Date) =>
      freshSeeder().start(await freshSeeder().create(id, startedAt), startedAt, provider);

    it('nonFinalSince: the last attempts at the provider of non-final top-ups started by then, oldest first, all', async () => {
      await freshSeeder().answer(
        await started('pending', 'dtone', at(2 * HOUR)),
        attemptAccepted('tx-p'),
        at(7 * HOUR),
      );
      await freshSeeder().answer(
        await started('unknown', 'dtone', at(0)),
        attemptUnknown('TIMEOUT_AFTER_SEND'),
        at(HOUR),
      );
      await started('in-flight', 'dtone', at(6 * HOUR));
      await started('a-tie', 'dtone', at(6 * HOUR));
      await freshSeeder().answer(await started('done', 'dtone', at(0)), attemptSucceeded('tx-d'), at(HOUR));
      await started('elsewhere', 'reloadly', at(0));
      await started('too-recent', 'dtone', new Date(at(6 * HOUR).getTime() + 1));
      await freshSeeder().create('never-sent', at(0));
      // its first attempt was at dtone, its last at reloadly
      const failedOver = await freshSeeder().answer(
        await started('failed-over', 'dtone', at(0)),
        attemptFailed({ reason: 'PROVIDER_UNAVAILABLE' }),
        at(1),
      );
      await freshSeeder().start(failedOver, at(HOUR), 'reloadly');
      const read = await run(freshStore().nonFinalSince('dtone', at(6 * HOUR)));
      expect(read.map((a) => [a.topUpId, a.attemptNumber, a.state])).toEqual([
        ['unknown', 1, 'Unknown'],
        ['pending', 1, 'Pending'],
        ['a-tie', 1, 'InFlight'],
        ['in-flight', 1, 'InFlight'],
      ]);
      expect(read.every((a) => a.isLastAttempt && a.providerId === 'dtone')).toBe(true);
      expect(read[1]?.topUpUpdatedAt).toEqual(at(7 * HOUR));
      expect((await run(freshStore().nonFinalSince('reloadly', at(6 * HOUR)))).map((a) => a.topUpId)).toEqual([
        'elsewhere',
        'failed-over',
      ]);
    });

    it('heldNeverSent: top-ups with no attempt whose hold is held, created before the instant, oldest first', async () => {
      const ledger = makeLedgerStore(fresh.dataSource);
      await run(ledger.openAccount({ accountId: 'account-1', currency: usd, creditLimitMinor: 0n }));
      await run(ledger.deposit({ accountId: 'account-1', currency: usd, depositId: 'fund', amountMinor: 100_000n }));
      const held = async (id: string, createdAt: Date, amountMinor = 187n) => {
        await freshSeeder().create(id, createdAt);
        await run(ledger.authorize({ accountId: 'account-1', currency: usd, transactionId: id, amountMinor }));
      };
      await held('held-b', at(HOUR));
      await held('held-a', at(HOUR), 150n);
      await held('held-old', at(-30 * HOUR));
      await held('too-recent', at(2 * HOUR));
      await held('voided', at(0));
      await run(ledger.voidHold({ transactionId: 'voided' }));
      await freshSeeder().create('nothing-held', at(0));
      await started('sent', 'dtone', at(0));
      await run(ledger.authorize({ accountId: 'account-1', currency: usd, transactionId: 'sent', amountMinor: 187n }));
      const read = await run(freshStore().heldNeverSent(at(2 * HOUR)));
      const entry = (id: string, createdAt: Date, amountMinor: bigint) => ({
        topUpId: id,
        accountId: 'account-1',
        externalId: `order-${id}`,
        status: transactionStatus('CREATED'),
        createdAt,
        held: money(amountMinor, usd),
      });
      expect(read).toEqual([
        entry('held-old', at(-30 * HOUR), 187n),
        entry('held-a', at(HOUR), 150n),
        entry('held-b', at(HOUR), 187n),
      ]);
      expect(await run(freshStore().heldNeverSent(at(-30 * HOUR)))).toEqual([]);
    });

    it('heldNeverSent reads the non-final top-ups only (the partial index), not the history', async () => {
      await freshSeeder().answer(await started('history', 'dtone', at(0)), attemptSucceeded('tx-h'), at(1));
      await copyTopUps(fresh.dataSource, 'history', { prefix: 'old', count: 5000, firstStart: at(-HOUR), stepMs: 1 });
      await freshSeeder().create('waiting', at(2));
      await fresh.dataSource.query('ANALYZE top_ups');
      const statement = queries.heldNeverSent(at(HOUR).toISOString());
      const plan = (await fresh.dataSource.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, [
        ...statement.parameters,
      ])) as unknown;
      type PlanNode = { readonly [field: string]: unknown; readonly Plans?: readonly PlanNode[] };
      const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
      const all = (plan as { readonly 'QUERY PLAN': readonly { readonly Plan: PlanNode }[] }[])
        .flatMap((row) => row['QUERY PLAN'])
        .flatMap((root) => nodes(root.Plan));
      expect(all.map((node) => node['Index Name'])).toContain('top_ups_non_final');
      expect(all.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'top_ups')).toEqual([]);
    });

    it('holdingAtProvider: the exact cost of the attempts the provider holds, per currency; none is no entry', async () => {
      expect(await run(freshStore().holdingAtProvider('dtone'))).toEqual([]);
      await freshSeeder().answer(await started('h-pending', 'dtone', at(0)), attemptAccepted('tx-1'), at(1));
      await freshSeeder().answer(
        await started('h-unknown', 'dtone', at(0)),
        attemptUnknown('TIMEOUT_AFTER_SEND'),
        at(1),
      );
      await started('h-in-flight', 'dtone', at(0));
      await started('eur-in-flight', 'dtone', at(0));
      await freshSeeder().answer(await started('h-done', 'dtone', at(0)), attemptSucceeded('tx-2'), at(1));
      await freshSeeder().answer(
        await started('h-failed', 'dtone', at(0)),
        attemptFailed({ reason: 'INVALID_REQUEST' }),
        at(1),
      );
      await started('h-elsewhere', 'reloadly', at(0));
      expect(await run(freshStore().holdingAtProvider('dtone'))).toEqual([
        { currency: 'EUR', holding: preciseMoney(2345n, 3, eur), captured: preciseZero(eur) },
        // three times USD 1.8695
        { currency: 'USD', holding: preciseMoney(56085n, 4, usd), captured: preciseZero(usd) },
      ]);
    });

    it('holdingAtProvider reads only the held attempts (the partial index), not the history', async () => {
      await freshSeeder().answer(await started('history', 'dtone', at(0)), attemptSucceeded('tx-h'), at(1));
      await copyTopUps(fresh.dataSource, 'history', { prefix: 'old', count: 5000, firstStart: at(-HOUR), stepMs: 1 });
      await freshSeeder().answer(await started('held', 'dtone', at(2)), attemptAccepted('tx-held'), at(3));
      await fresh.dataSource.query('ANALYZE top_up_attempts');
      const statement = queries.holdingAtProvider('dtone');
      const plan = JSON.stringify(
        await fresh.dataSource.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, [...statement.parameters]),
      );
      expect(plan).toContain('"Index Name":"top_up_attempts_held_by_provider"');
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
      expect(await run(freshStore().holdingAtProvider('dtone'))).toEqual([
        { currency: 'USD', holding: preciseMoney(18695n, 4, usd), captured: preciseZero(usd) },
      ]);
    });
  });
});
