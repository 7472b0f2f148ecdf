// The fault specs' checks find what they look for: after a clean run of a
// few top-ups (one consumer process, the DVS simulator over HTTP) they find
// nothing; then a second delivered transaction at the provider, a logged
// resend with no status query before it, and a command with no top-up are
// planted, and each is reported (a resend after the status query is not).
import { testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import {
  bundledConsumerEntry,
  type ConsumerEntry,
  killStartedConsumers,
  startConsumerProcess,
} from './consumer-process.fixture';
import { flowViolations } from './top-up-flow.queries';
import {
  faultSpecConsumerEnv,
  openTopUpWorld,
  providerExternalIdsOf,
  topUpCommandBatch,
  type TopUpWorld,
} from './top-up-world.fixture';

const ACCOUNT = 'checks';

describe('the checks of a finished run', () => {
  let entry: ConsumerEntry;
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  let world: TopUpWorld;

  beforeAll(async () => {
    [entry, db, simulator] = await Promise.all([
      bundledConsumerEntry(),
      createTestDatabase({ poolSize: 4 }),
      startDvsSimulatorServer(),
    ]);
    world = await openTopUpWorld({
      database: { url: db.config.url, dataSource: db.dataSource },
      amqpUrl: testAmqpUrl(),
      topologyPrefix: uniqueTopologyPrefix('flow-checks'),
    });
  }, 60_000);

  afterAll(async () => {
    await killStartedConsumers();
    await world?.close();
    await simulator?.close();
    await db?.drop();
    entry?.dispose();
  }, 60_000);

  it('find nothing in a clean run, and each planted violation', async () => {
    await world.fund(ACCOUNT, 'USD', '1000');
    const commands = topUpCommandBatch({ accountId: ACCOUNT, prefix: 'c', count: 6 });
    await world.publish(commands);
    const consumer = startConsumerProcess({ entry, name: 'checks', env: faultSpecConsumerEnv(world, simulator) });
    await consumer.ready;
    expect((await world.waitForFinal(ACCOUNT, commands.length, 60_000)).done).toBe(true);
    await consumer.stop(10_000);
    const externalIds = commands.map((message) => (message.command as { external_id: string }).external_id);
    const providerView = () => simulator.engine.transactions({ fromMs: 0 });
    expect(await flowViolations(db.dataSource, ACCOUNT, externalIds, providerView())).toEqual({
      lost: [],
      sentTwice: [],
      resentBlindly: [],
      ledger: [],
    });

    // c-0 delivered a second time, under its attempt 2's provider id
    const [first, second] = providerExternalIdsOf(ACCOUNT, 'c-0');
    const delivered = simulator.engine.transactionByExternalId(String(first));
    expect(delivered?.status).toBe('COMPLETED');
    simulator.engine.createTransaction({
      externalId: String(second),
      productId: delivered?.productId ?? 0,
      autoConfirm: true,
      creditPartyIdentifier: delivered?.creditPartyIdentifier,
    });
    await simulator.untilTransaction(String(second), 'COMPLETED');
    // c-1 sent again under its reference just after its first send, before the status query that settled it
    const [firstSend] = (await db.dataSource.query(
      `SELECT l.reference, l.record->>'startedAt' AS started_at FROM transfer_log l
         JOIN top_up_attempts a ON a.provider_external_id = l.reference JOIN top_ups t ON t.id = a.top_up_id
        WHERE t.account_id = $1 AND t.external_id = 'c-1' AND l.record->>'method' = 'POST'`,
      [ACCOUNT],
    )) as { reference: string; started_at: string }[];
    expect(firstSend).toBeDefined();
    const plantSend = (startedAt: Date) =>
      db.dataSource.query(
        `INSERT INTO transfer_log (provider, reference, attempt_number, record) VALUES ('dtone', $1, 1, $2::jsonb)`,
        [
          firstSend?.reference,
          JSON.stringify({
            method: 'POST',
            url: `${simulator.baseUrl}/async/transactions`,
            startedAt: startedAt.toISOString(),
            durationMs: 1,
            status: 201,
            requestBody: null,
            responseBody: null,
          }),
        ],
      );
    await plantSend(new Date(Date.parse(firstSend?.started_at ?? '') + 1));
    // and once more now, after the status query: that one was asked about first
    await plantSend(new Date());

    const found = await flowViolations(db.dataSource, ACCOUNT, [...externalIds, 'c-never'], providerView());
    expect(found.lost).toEqual(['c-never: no top-up']);
    expect(found.sentTwice).toEqual([
      'c-0: 2 transactions at the provider did not fail',
      'c-0: sent again after transaction 1 (COMPLETED)',
      'c-0: top-up COMPLETED, 2 completed at the provider',
    ]);
    expect(found.resentBlindly).toEqual([expect.stringMatching(/^c-1: send of .* with no status query between$/)]);
    expect(found.ledger).toEqual([]);
  }, 120_000);
});
