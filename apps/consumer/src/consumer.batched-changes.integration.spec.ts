// The batched writer of the sends' top-up changes (CHANGE_BATCH_MAX; see
// makeTopUpChangeWriter and saveTopUpChangeBatch) attacked end to end, with
// real consumers in-process on the real PostgreSQL and RabbitMQ, each
// compared with one writing every change in a unit of work of its own
// (CHANGE_BATCH_MAX=1), everything else alike.
//
// 1. A slow provider (every DVS answer late) whose callbacks reach the API's
//    path (applyProviderCallback in units of work of its own, NOT batched:
//    testing/callback-applier.fixture.ts) while the sends' answers are still
//    on their way, and the stalled-top-up loop (STALLED_AFTER_MS at its
//    least) querying the status of the same attempts meanwhile: three writers
//    of each top-up's final status, racing. Each top-up must end final, sent
//    once, its hold captured once, exactly one final event after its
//    created one, one callback delivery carrying the request's metadata,
//    the same way both ways. Then with callbacks dropped: the send's answer
//    and the stalled loop's status query race alone.
// 2. One change of a batch refused by the ledger (a capture above its hold,
//    the hold shrunk behind the consumer's back while the sends are in
//    flight): the batch fails as a whole and every change of it runs again
//    on its own; only the refused top-up is left unsettled, the others are
//    completed and captured, the same way both ways.
import 'reflect-metadata';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';
import { type CallbackApplier, startCallbackApplier } from './testing/callback-applier.fixture';
import { commandBody, globeNumber } from './testing/command-burst.fixture';
import { expectLedgerBalanced, expectSentOnce } from './testing/top-up-trace.fixture';

const FINAL = ['COMPLETED', 'REVERSED', 'REJECTED', 'CANCELLED', 'DECLINED'];
const HOOK = 'http://127.0.0.1:9/hook';

interface Trace {
  readonly external_id: string;
  readonly status_class: string;
  readonly hold: string | null;
  readonly journal: readonly string[];
  readonly events: readonly string[];
  readonly deliveries: number;
  readonly attempts: number;
}

/** Per top-up: its class, its hold, its journal kinds, its events in outbox order, its deliveries and attempts. */
const traces = (harness: ConsumerHarness, prefix: string) =>
  harness.query<Trace>(
    `SELECT t.external_id, t.status_class,
            (SELECT h.status FROM ledger_holds h WHERE h.transaction_id = t.id) AS hold,
            (SELECT COALESCE(array_agg(j.kind ORDER BY j.kind), '{}') FROM ledger_journal j WHERE j.reference = t.id) AS journal,
            (SELECT COALESCE(array_agg(o.type ORDER BY o.sequence), '{}') FROM outbox o WHERE o.aggregate_id = t.id) AS events,
            (SELECT count(*)::int FROM callback_deliveries d WHERE d.top_up_id = t.id) AS deliveries,
            (SELECT count(*)::int FROM top_up_attempts a WHERE a.top_up_id = t.id) AS attempts
       FROM top_ups t WHERE t.external_id LIKE $1 ORDER BY t.external_id`,
    [`${prefix}%`],
  );

/** Every event and delivery of these top-ups carries the metadata of its request; each delivery names a final event. */
const expectMetadataCarried = async (harness: ConsumerHarness, prefix: string) => {
  const events = await harness.query<{ external_id: string; type: string; metadata: unknown; asked: unknown }>(
    `SELECT r.external_id, o.type, o.payload->'metadata' AS metadata, r.request->'metadata' AS asked
       FROM outbox o JOIN top_up_requests r ON r.top_up_id = o.aggregate_id
      WHERE r.external_id LIKE $1`,
    [`${prefix}%`],
  );
  expect(events.filter((event) => JSON.stringify(event.metadata) !== JSON.stringify(event.asked))).toEqual([]);
  const deliveries = await harness.query<{ external_id: string; body: string; asked: unknown; event_type: string }>(
    `SELECT r.external_id, d.body, r.request->'metadata' AS asked, o.type AS event_type
       FROM callback_deliveries d JOIN top_up_requests r ON r.top_up_id = d.top_up_id
       LEFT JOIN outbox o ON o.id = d.event_id
      WHERE r.external_id LIKE $1`,
    [`${prefix}%`],
  );
  for (const delivery of deliveries) {
    const body = JSON.parse(delivery.body) as { type: string; data: { metadata?: unknown } };
    expect({ id: delivery.external_id, metadata: body.data.metadata, type: body.type }).toEqual({
      id: delivery.external_id,
      metadata: delivery.asked,
      type: delivery.event_type,
    });
  }
};

/** Each top-up final, sent once, settled once as its class says, its final event once and last, one delivery. */
const expectSettledOnce = (rows: readonly Trace[], count: number) => {
  expect(rows.length).toBe(count);
  for (const row of rows) {
    const completed = row.status_class === 'COMPLETED';
    expect(row).toEqual({
      external_id: row.external_id,
      status_class: completed ? 'COMPLETED' : expect.stringMatching(/^(REJECTED|CANCELLED|DECLINED)$/),
      hold: completed ? 'CAPTURED' : 'VOIDED',
      journal: ['AUTHORIZE', completed ? 'CAPTURE' : 'VOID'],
      events: ['topup.created', completed ? 'topup.completed' : 'topup.failed'],
      deliveries: 1,
      attempts: 1,
    });
  }
};

const publishBurst = (harness: ConsumerHarness, prefix: string, count: number, offset: number) =>
  harness.publish(
    Array.from({ length: count }, (_, index) => ({
      messageId: `${prefix}${index}`,
      body: commandBody({
        external_id: `${prefix}${index}`,
        phone_number: globeNumber(offset + index),
        callback_url: `${HOOK}/${prefix}${index}`,
        metadata: { order: `${prefix}${index}`, index, nested: { tags: ['a', index] } },
      }),
    })),
  );

const allFinal = async (harness: ConsumerHarness, prefix: string, count: number) => {
  const rows = await traces(harness, prefix);
  return rows.length === count && rows.every((row) => FINAL.includes(row.status_class) && row.hold !== 'HELD');
};

/** The most top-ups one transaction (or savepoint) left completed: above 1 only when final statuses were batched. */
const largestFinalBatch = async (harness: ConsumerHarness): Promise<number> => {
  const [row] = await harness.query<{ largest: number }>(
    `SELECT COALESCE(max(n), 0)::int AS largest
       FROM (SELECT count(*) AS n FROM top_ups WHERE status_class = 'COMPLETED' GROUP BY xmin::text) c`,
  );
  return row?.largest ?? 0;
};

/** The comparable part of a trace (which writer settled it is a race; what it came to is not). */
const outcomeOf = (rows: readonly Trace[]) => rows.map((row) => ({ ...row }));

describe('batched top-up changes racing provider callbacks (API path) and the stalled-top-up loop', () => {
  const BURST = 60;
  let batched: { harness: ConsumerHarness; applier: CallbackApplier };
  let oneByOne: { harness: ConsumerHarness; applier: CallbackApplier };

  const start = async (label: string, changeBatchMax: string) => {
    const applier = await startCallbackApplier();
    const harness = await startConsumerHarness({
      label,
      env: {
        AMQP_PREFETCH: '200',
        COMMAND_BATCH_MAX: '50',
        CHANGE_BATCH_MAX: changeBatchMax,
        STALLED_AFTER_MS: '1000',
        SCHEDULER_INTERVAL_MS: '100',
        CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
        PROVIDER_CALLBACK_BASE_URL: applier.base,
      },
    });
    applier.attach(harness.db.dataSource);
    return { harness, applier };
  };

  beforeAll(async () => {
    [batched, oneByOne] = await Promise.all([start('changes-batched', '50'), start('changes-one-by-one', '1')]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([batched?.harness.close(), oneByOne?.harness.close()]);
    await Promise.all([batched?.applier.close(), oneByOne?.applier.close()]);
  });

  it('settles each top-up once whoever writes its final status first, the same way both ways', async () => {
    const both = [batched, oneByOne] as const;
    // every DVS answer 1.2 s late: callbacks come first, and the stalled loop (1 s) queries the attempts in flight
    for (const { harness } of both) harness.simulator.setFaults({ latencyMs: 1_200 });
    await Promise.all(both.map(({ harness }) => publishBurst(harness, 'cb-', BURST, 100)));
    await Promise.all(
      both.map(({ harness }) => waitUntil('every top-up settled', () => allFinal(harness, 'cb-', BURST), 80_000)),
    );
    const [batchedRows, oneByOneRows] = await Promise.all(both.map(({ harness }) => traces(harness, 'cb-')));
    for (const [{ harness, applier }, rows] of [
      [batched, batchedRows],
      [oneByOne, oneByOneRows],
    ] as const) {
      expectSettledOnce(rows ?? [], BURST);
      await expectSentOnce(harness);
      await expectLedgerBalanced(harness);
      await expectMetadataCarried(harness, 'cb-');
      // the API's path did apply callbacks (the race happened), and none of them failed
      expect(applier.outcomes().filter((outcome) => outcome === 'Applied').length).toBeGreaterThan(0);
      expect(applier.outcomes().filter((outcome) => outcome !== 'Applied' && outcome !== 'Unchanged')).toEqual([]);
    }
    expect(outcomeOf(batchedRows ?? [])).toEqual(outcomeOf(oneByOneRows ?? []));
  }, 120_000);

  it('with callbacks dropped, the sends answers and the stalled loop status queries settle each top-up once', async () => {
    const both = [batched, oneByOne] as const;
    for (const { harness } of both) harness.simulator.setFaults({ latencyMs: 1_200, dropCallbacks: true });
    await Promise.all(both.map(({ harness }) => publishBurst(harness, 'nocb-', BURST, 300)));
    await Promise.all(
      both.map(({ harness }) => waitUntil('every top-up settled', () => allFinal(harness, 'nocb-', BURST), 80_000)),
    );
    const [batchedRows, oneByOneRows] = await Promise.all(both.map(({ harness }) => traces(harness, 'nocb-')));
    for (const [{ harness }, rows] of [
      [batched, batchedRows],
      [oneByOne, oneByOneRows],
    ] as const) {
      expectSettledOnce(rows ?? [], BURST);
      await expectSentOnce(harness);
      await expectLedgerBalanced(harness);
      await expectMetadataCarried(harness, 'nocb-');
    }
    expect(outcomeOf(batchedRows ?? [])).toEqual(outcomeOf(oneByOneRows ?? []));
  }, 120_000);
});

describe('a batch with one change the ledger refuses', () => {
  const BURST = 30;
  const POISONED = 'poison-7';
  let batched: ConsumerHarness;
  let oneByOne: ConsumerHarness;

  const start = (label: string, changeBatchMax: string) =>
    startConsumerHarness({
      label,
      env: {
        AMQP_PREFETCH: '200',
        COMMAND_BATCH_MAX: '50',
        CHANGE_BATCH_MAX: changeBatchMax,
        // the sends are answered CONFIRMED: the final statuses come from the stalled loop's status queries, at once
        STALLED_AFTER_MS: '1000',
        SCHEDULER_INTERVAL_MS: '100',
        SCHEDULER_CONCURRENCY: '50',
        CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
      },
    });

  beforeAll(async () => {
    [batched, oneByOne] = await Promise.all([start('changes-poison-batched', '50'), start('changes-poison-1', '1')]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([batched?.close(), oneByOne?.close()]);
  });

  it('writes every other change of the batch, and refuses only that one, the same way both ways', async () => {
    const both = [batched, oneByOne] as const;
    // sends answered 1.5 s late, and at about the same time: their answers meet in batches
    for (const harness of both) harness.simulator.setFaults({ latencyMs: 1_500 });
    await Promise.all(both.map((harness) => publishBurst(harness, 'poison-', BURST, 600)));
    // once every attempt is started (its send in flight), the hold of one shrinks: its capture will be refused
    for (const harness of both) {
      await waitUntil('every attempt started', async () => {
        const [row] = await harness.query<{ started: number }>(
          `SELECT count(*)::int AS started FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id
            WHERE t.external_id LIKE 'poison-%'`,
        );
        return row?.started === BURST;
      });
      await harness.query(
        `UPDATE ledger_holds SET amount_minor = amount_minor - 1
          WHERE transaction_id = (SELECT id FROM top_ups WHERE external_id = $1)`,
        [POISONED],
      );
    }
    const othersSettled = async (harness: ConsumerHarness) => {
      const rows = await traces(harness, 'poison-');
      return (
        rows.filter((row) => row.external_id !== POISONED && row.status_class === 'COMPLETED').length === BURST - 1
      );
    };
    await Promise.all(both.map((harness) => waitUntil('the others completed', () => othersSettled(harness), 60_000)));
    const [batchedRows, oneByOneRows] = await Promise.all(both.map((harness) => traces(harness, 'poison-')));
    for (const rows of [batchedRows, oneByOneRows]) {
      const others = (rows ?? []).filter((row) => row.external_id !== POISONED);
      expectSettledOnce(others, BURST - 1);
      // the refused one: its answer not written (its hold still held, no final event, no delivery)
      expect((rows ?? []).filter((row) => row.external_id === POISONED)).toEqual([
        {
          external_id: POISONED,
          status_class: expect.not.stringMatching(/^COMPLETED$/),
          hold: 'HELD',
          journal: ['AUTHORIZE'],
          events: ['topup.created'],
          deliveries: 0,
          attempts: 1,
        },
      ]);
    }
    expect(outcomeOf(batchedRows ?? [])).toEqual(outcomeOf(oneByOneRows ?? []));
    for (const harness of both) {
      await expectSentOnce(harness);
      await expectMetadataCarried(harness, 'poison-');
    }
    // one by one never wrote two final statuses in one transaction (batched, how many met is the race's)
    expect(await largestFinalBatch(oneByOne)).toBe(1);
  }, 120_000);
});
