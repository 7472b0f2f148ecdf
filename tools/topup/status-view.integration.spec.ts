// loadStatusView on PostgreSQL (a database of this file's own): a top-up
// stored through the adapters is read back with its attempts' exchanges,
// its journal rows, its events (in the order they were appended), its callbacks and its account's balances;
// another top-up's rows never show; an unknown top-up is none.
import {
  type Attempt,
  createTopUp,
  currencyOf,
  parseExternalId,
  statusOfClass,
  type TopUp,
  transactionStatus,
} from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import {
  makeCallbackDeliveryStore,
  makeLedgerStore,
  makeOutbox,
  makeTopUpRepository,
  makeTransferLog,
} from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { Effect, Either, Option } from 'effect';
import { statusReport } from './status-report.format';
import { loadStatusView } from './status-view.queries';

const USD = Either.getOrThrow(currencyOf('USD'));
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

const topUpNamed = (id: string, externalId: string): TopUp =>
  Either.getOrThrow(
    createTopUp(
      sampleNewTopUp({
        id,
        accountId: 'demo',
        externalId: Either.getOrThrow(parseExternalId(externalId)),
        now: at(0),
      }),
    ),
  ).topUp;

const attempt: Attempt = {
  number: 1,
  providerExternalId: Either.getOrThrow(parseExternalId('demo-1-a1')),
  providerId: 'dtone',
  startedAt: at(1),
  state: 'Succeeded',
  providerStatus: transactionStatus('COMPLETED'),
  providerTransactionId: '7001',
  failure: undefined,
  unknownReason: undefined,
  updatedAt: at(4),
};

beforeAll(async () => {
  const { dataSource } = database;
  const repository = makeTopUpRepository(dataSource);
  const ledger = makeLedgerStore(dataSource);
  const outbox = makeOutbox(dataSource);
  const created = topUpNamed('topup-1', 'demo-1');
  const other = topUpNamed('topup-2', 'demo-2');
  await run(ledger.openAccount({ accountId: 'demo', currency: USD, creditLimitMinor: 0n }));
  await run(ledger.deposit({ accountId: 'demo', currency: USD, depositId: 'fund-demo', amountMinor: 100_000n }));
  for (const topUp of [created, other]) {
    await run(repository.insert(topUp));
    await run(ledger.authorize({ accountId: 'demo', currency: USD, transactionId: topUp.id, amountMinor: 187n }));
    await run(
      outbox.append({
        id: `${topUp.id}-created`,
        type: 'topup.created',
        aggregateId: topUp.id,
        payload: {},
        occurredAt: at(0),
      }),
    );
  }
  const completed: TopUp = { ...created, status: statusOfClass('COMPLETED'), attempts: [attempt], updatedAt: at(4) };
  await run(repository.update(completed, 1));
  await run(ledger.capture({ transactionId: created.id, amountMinor: 187n }));
  await run(
    outbox.append({
      id: 'topup-1-completed',
      type: 'topup.completed',
      aggregateId: created.id,
      payload: {},
      occurredAt: at(4),
    }),
  );
  await dataSource.query(`UPDATE outbox SET sent_at = $1, publish_attempts = 1 WHERE id = 'topup-1-created'`, [at(1)]);
  await run(
    makeTransferLog(dataSource).append({
      provider: 'dtone',
      reference: 'demo-1-a1',
      method: 'POST',
      url: 'http://127.0.0.1:8089/v1/async/transactions',
      startedAt: at(1).toISOString(),
      durationMs: 12,
      status: 201,
      requestBody: null,
      responseBody: null,
    }),
  );
  await run(
    makeCallbackDeliveryStore(dataSource).enqueue({
      id: 'delivery-1',
      eventId: 'topup-1-completed',
      topUpId: created.id,
      accountId: 'demo',
      url: 'http://127.0.0.1:9/hooks',
      body: '{}',
      nextAttemptAt: at(4),
      createdAt: at(4),
    }),
  );
}, 60_000);

it('reads a top-up with its attempts, exchanges, journal, events, callbacks and balances', async () => {
  const view = Option.getOrThrow(
    await run(loadStatusView(database.dataSource, { by: 'externalId', accountId: 'demo', externalId: 'demo-1' })),
  );
  expect(view.topUp).toMatchObject({ id: 'topup-1', status: { class: 'COMPLETED' }, attempts: [{ number: 1 }] });
  expect(view.version).toBe(2);
  expect(view.exchanges).toMatchObject([{ method: 'POST', status: 201, attemptNumber: 1 }]);
  expect(
    view.journal.map((row) => [row.kind, row.amountMinor, row.availableDeltaMinor, row.holdingDeltaMinor]),
  ).toEqual([
    ['AUTHORIZE', 187n, -187n, 187n],
    ['CAPTURE', 187n, 0n, -187n],
  ]);
  expect(view.events.map((event) => [event.type, event.sentAt !== undefined])).toEqual([
    ['topup.created', true],
    ['topup.completed', false],
  ]);
  expect(view.callbacks).toEqual([
    { eventType: 'topup.completed', state: 'pending', tries: 0, lastStatus: undefined, lastError: undefined },
  ]);
  expect(view.account).toEqual({
    currency: 'USD',
    availableMinor: 100_000n - 2n * 187n,
    holdingMinor: 187n,
    capturedMinor: 187n,
    fundedMinor: 100_000n,
  });
  expect(statusReport(view)).toContain('  account demo USD now: available 996.26, holding 1.87');
}, 30_000);

it('finds the same top-up by id, and nothing for an unknown one', async () => {
  const byId = await run(loadStatusView(database.dataSource, { by: 'id', topUpId: 'topup-2' }));
  expect(Option.map(byId, (view) => [view.topUp.externalId, view.journal.length, view.events.length])).toEqual(
    Option.some(['demo-2', 1, 1]),
  );
  expect(Option.isNone(await run(loadStatusView(database.dataSource, { by: 'id', topUpId: 'nope' })))).toBe(true);
  const otherAccount = await run(
    loadStatusView(database.dataSource, { by: 'externalId', accountId: 'acme', externalId: 'demo-1' }),
  );
  expect(Option.isNone(otherAccount)).toBe(true);
}, 30_000);

it('lists the events in the order they were appended (the outbox sequence), not by time or id', async () => {
  const { dataSource } = database;
  await run(makeTopUpRepository(dataSource).insert(topUpNamed('topup-3', 'demo-3')));
  const outbox = makeOutbox(dataSource);
  // one change's two events share a time; a later append can carry an earlier time (another process's clock)
  for (const [id, occurredAt] of [
    ['topup-3-z-first', at(3)],
    ['topup-3-a-second', at(3)],
    ['topup-3-appended-last', at(1)],
  ] as const) {
    await run(outbox.append({ id, type: 'topup.updated', aggregateId: 'topup-3', payload: {}, occurredAt }));
  }
  const view = Option.getOrThrow(await run(loadStatusView(dataSource, { by: 'id', topUpId: 'topup-3' })));
  expect(view.events.map((event) => event.id)).toEqual([
    'topup-3-z-first',
    'topup-3-a-second',
    'topup-3-appended-last',
  ]);
}, 30_000);
