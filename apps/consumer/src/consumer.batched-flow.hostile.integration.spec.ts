// Hostile cases of the consumer's batched top-up flow, from an adversarial review (the batched intake, the change writer and the
// group-commit unit of work), end to end on the real PostgreSQL and RabbitMQ, against the README's promises: a
// message is acked only after its top-up's unit of work committed; a bad command never fails its neighbours;
// a top-up is never sent twice, never lost, never held without its top-up (nor the other way round); a batch
// that fails as a whole falls back to one by one.
//
// 1. The database connections of a batched consumer are killed (pg_terminate_backend) again and again while
//    a burst is being written in batches: each command must still end once (a top-up, its repeat, or its
//    refusal), every key written once and traced, the ledger balanced within funds, no top-up sent twice.
//    Found meanwhile: now and then a pooled pg client emitted 'error' with no listener (its FATAL 57P01
//    parsed in the same chunk as the ReadyForQuery that released it to a waiter), which in the real process
//    is an uncaught exception that stops it; the data source's clients now listen from the start
//    (GuardedClient). The spec records any such event instead of crashing on it, and expects none.
//    Once the kills stop, every top-up ends final (waited for, bounded): none lost, none sent twice, none
//    resent without a status query, the ledger clean, each hold captured, voided or refused as its top-up
//    ended. An attempt whose POST went out while its connection was killed has no POST line in the transfer
//    log (the append fails, is logged as "transfer log append failed", and the send goes on: provider-layer.ts);
//    the stalled loop's status query (logged) settles it COMPLETED.
// 2. A batched consumer is stopped (SIGTERM's graceful stop, with a shutdown timeout far shorter than its
//    work) in the middle of its batches, and a second consumer takes the queue over: every command is
//    handled, each key written once, each top-up sent once (the stalled-top-up loop sends what a batch
//    committed but whose message went back to the queue), and nothing acked on a closed channel. Then every
//    top-up ends final, with the same checks as 1. What the first consumer left unfinished ends one of two
//    ways: its POST left but its answer (and perhaps its transfer-log line) did not make it (the stop
//    interrupts what its timeout left running; before, such a send ran on and its append failed on the
//    closed DataSource), and the second consumer's status query finds it COMPLETED; or the stop came
//    between the attempt's commit and its POST, the status query answers "not found", and the attempt is
//    resent under the same provider external id once the schedule's first retry is due (1 minute: the
//    scenarios run the use cases' clock 60 times faster, with the real clock a 60 s wait ends just before it).
// 3. One block of commands delivered together, mixing for one barely funded account: requests it can pay,
//    requests it cannot, the same request twice under two ids, the same message twice, a conflict, a command
//    for an account that does not exist and malformed bodies: the refused ones are refused alone, the others
//    end as one by one would, and each hold belongs to a stored top-up.
import 'reflect-metadata';
import { fundAccount } from '@airtime/application/testing';
import { ledgerStoreLayer } from '@airtime/persistence-postgres';
import { Effect } from 'effect';
import { Client, Client as PgClient } from 'pg';
import { doubleSends, ledgerViolations, lostTopUps, resendsWithoutStatusQuery } from './faults/top-up-flow.queries';
import { FINAL_STATUS_CLASSES, scaledClockEnv } from './faults/top-up-world.fixture';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';
import { outcomeOf } from './testing/burst-answers.fixture';
import { commandBody, GHOST, globeNumber } from './testing/command-burst.fixture';
import { type SecondConsumer, startSecondConsumer } from './testing/second-consumer.fixture';
import {
  expectEachTopUpTraced,
  expectLedgerBalanced,
  expectSentOnce,
  type TopUpRow,
  topUps,
} from './testing/top-up-trace.fixture';

const BATCHED = {
  AMQP_PREFETCH: '200',
  COMMAND_BATCH_MAX: '50',
  CHANGE_BATCH_MAX: '50',
  CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
  CONSUMER_MAX_RETRIES: '30',
  CONSUMER_RETRY_DELAY_MS: '20',
  CONSUMER_RETRY_MAX_DELAY_MS: '100',
  STALLED_AFTER_MS: '1000',
  DATABASE_POOL_SIZE: '4',
};

/**
 * For the scenarios that wait for every top-up to end: the use cases' clock 60 times faster (from now, one
 * timeline for every consumer of the scenario), so that the retry an attempt gets once the provider answers
 * "not found" (1 minute on the schedule) is due in a second; a top-up still counts as stalled after 1 s (real).
 */
const fastClock = () => scaledClockEnv(Date.now());

const TIGHT = 'tight';
/** Two top-ups of PHP 30 (USD 0.55 each), not three. */
const TIGHT_FUNDED_MINOR = 150n;

const fund = (harness: ConsumerHarness, account: string, minor: bigint) =>
  Effect.runPromise(Effect.provide(fundAccount(account, 'USD', minor), ledgerStoreLayer(harness.db.dataSource)));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every delivery's outcome from the given consumers' log lines, by message id. */
const outcomesByMessage = (logs: readonly (() => readonly Record<string, unknown>[])[]) => {
  const byMessage = new Map<string, string[]>();
  for (const lines of logs)
    for (const line of lines()) {
      const outcome = outcomeOf(line);
      if (outcome === undefined) continue;
      const messageId = String(line['messageId']);
      byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), outcome]);
    }
  return byMessage;
};

/** Whether a message's deliveries ended it here (acked, not retried or dead-lettered). */
const isFinal = (outcome: string) => ['accepted', 'rejected', 'duplicate', 'ack:FIRST_SEND_DEFERRED'].includes(outcome);

/** Every top-up that is not refused has its attempt (a deferred first send is the stalled loop's). */
const waitAllAttempted = (harness: ConsumerHarness) =>
  waitUntil(
    'every top-up held to be attempted',
    async () => {
      const [row] = await harness.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM top_ups t
          WHERE t.status_class <> 'REJECTED' AND NOT EXISTS (SELECT 1 FROM top_up_attempts a WHERE a.top_up_id = t.id)`,
      );
      return row?.waiting === 0;
    },
    40_000,
  );

/**
 * After connection losses or a stop mid-send, an attempt may have been started and its POST (or its transfer
 * log line) lost, then settled by the stalled loop: each top-up has its request, one hold of its cost (refused
 * exactly when REJECTED), its created event; no attempt was POSTed twice and the provider knows each
 * transaction once.
 */
const expectTracedAndNeverSentTwice = async (harness: ConsumerHarness, rows: readonly TopUpRow[]) => {
  for (const row of rows)
    expect({ id: row.id, requests: row.requests, holds: row.holds, created: row.created_events }).toEqual({
      id: row.id,
      requests: 1,
      holds: 1,
      created: 1,
    });
  for (const row of rows)
    expect({ id: row.id, refused: row.hold_status === 'REFUSED', amount: row.hold_amount }).toEqual({
      id: row.id,
      refused: row.status_class === 'REJECTED',
      amount: row.cost_minor,
    });
  const twice = await harness.query(
    `SELECT l.reference, count(*)::int AS posts FROM transfer_log l WHERE l.record->>'method' = 'POST'
      GROUP BY l.reference HAVING count(*) > 1`,
  );
  expect(twice).toEqual([]);
  const atProvider = harness.simulator.engine.transactions({ fromMs: 0 }).map((transaction) => transaction.externalId);
  expect(atProvider.length).toBe(new Set(atProvider).size);
};

/** The non-final top-ups, each with its attempts and its transfer log exchanges (what a stuck one looks like). */
const nonFinalTopUps = async (harness: ConsumerHarness) =>
  harness.query<Record<string, unknown>>(
    `SELECT t.account_id, t.external_id, t.status, t.version, t.awaiting_status_query, t.next_attempt_at,
            t.created_at, t.updated_at, now() AS now,
            (SELECT h.status FROM ledger_holds h WHERE h.transaction_id = t.id) AS hold,
            (SELECT COALESCE(jsonb_agg(jsonb_build_object('number', a.number, 'ref', a.provider_external_id,
                      'state', a.state, 'provider_status', a.provider_status, 'unknown', a.unknown_reason,
                      'started', a.started_at, 'updated', a.updated_at) ORDER BY a.number), '[]')
               FROM top_up_attempts a WHERE a.top_up_id = t.id) AS attempts,
            (SELECT COALESCE(jsonb_agg(jsonb_build_object('method', l.record->>'method', 'url', l.record->>'url',
                      'status', l.record->>'status', 'startedAt', l.record->>'startedAt') ORDER BY l.id), '[]')
               FROM transfer_log l
              WHERE l.reference IN (SELECT a.provider_external_id FROM top_up_attempts a WHERE a.top_up_id = t.id)
            ) AS exchanges
       FROM top_ups t WHERE t.status_class <> ALL($1) ORDER BY t.account_id, t.external_id`,
    [[...FINAL_STATUS_CLASSES]],
  );

/**
 * Once the faults have stopped, every accepted top-up is eventually final (the stalled-top-up loop settles an
 * attempt left in flight by a status query, then sends again only what the provider never got): waits for that,
 * bounded, then names what is still not final with its attempts and exchanges.
 */
const expectAllFinal = async (harness: ConsumerHarness) => {
  await waitUntil('every top-up final', async () => (await nonFinalTopUps(harness)).length === 0, 60_000, 250).catch(
    () => undefined,
  );
  expect(await nonFinalTopUps(harness)).toEqual([]);
};

/**
 * The promise on final top-ups: none lost, none sent twice at the provider, none resent without a status query
 * of its earlier send, the ledger clean, and each hold settled as its top-up ended (captured when COMPLETED,
 * voided when it failed, refused when REJECTED for funds).
 */
const expectPromiseKept = async (harness: ConsumerHarness, keys: Readonly<Record<string, readonly string[]>>) => {
  const dataSource = harness.db.dataSource;
  const atProvider = harness.simulator.engine.transactions({ fromMs: 0 });
  for (const [accountId, externalIds] of Object.entries(keys)) {
    expect({ accountId, lost: await lostTopUps(dataSource, accountId, externalIds) }).toEqual({ accountId, lost: [] });
    expect({ accountId, sentTwice: await doubleSends(dataSource, accountId, externalIds, atProvider) }).toEqual({
      accountId,
      sentTwice: [],
    });
    expect({ accountId, resent: await resendsWithoutStatusQuery(dataSource, accountId, atProvider) }).toEqual({
      accountId,
      resent: [],
    });
  }
  expect(await ledgerViolations(dataSource)).toEqual([]);
  const unsettled = await harness.query(
    `SELECT t.account_id, t.external_id, t.status, h.status AS hold FROM top_ups t
       LEFT JOIN ledger_holds h ON h.transaction_id = t.id
      WHERE h.status IS DISTINCT FROM CASE t.status_class WHEN 'COMPLETED' THEN 'CAPTURED' WHEN 'REVERSED' THEN 'REVERSED'
              WHEN 'REJECTED' THEN 'REFUSED' WHEN 'CANCELLED' THEN 'VOIDED' WHEN 'DECLINED' THEN 'VOIDED' END
      ORDER BY t.account_id, t.external_id`,
  );
  expect(unsettled).toEqual([]);
};

/**
 * Every 'error' a pg client emits with no listener (an uncaught exception in a real process), recorded
 * rather than thrown, so that the scenario ends on an assertion naming them.
 */
const unhandledPgErrors: string[] = [];
const originalEmit = PgClient.prototype.emit;
const swallowUnhandledPgErrors = () => {
  PgClient.prototype.emit = function (this: PgClient, event: string | symbol, ...args: unknown[]) {
    if (event === 'error' && this.listenerCount('error') === 0) {
      unhandledPgErrors.push(args[0] instanceof Error ? args[0].message : String(args[0]));
      return false;
    }
    return originalEmit.call(this, event, ...args);
  } as typeof originalEmit;
};
const restorePgEmit = () => {
  PgClient.prototype.emit = originalEmit;
};

const queueDepths = async (harness: ConsumerHarness) => {
  const depths: Record<string, number> = {};
  for (const queue of [harness.topology.queues.topUpCommands.name, harness.topology.queues.topUpCommandsRetry.name])
    depths[queue] = (await harness.broker.channel.checkQueue(queue)).messageCount;
  return depths;
};

describe('a batched consumer whose database connections are killed mid-batch', () => {
  let harness: ConsumerHarness;
  let killer: Client;

  beforeAll(async () => {
    swallowUnhandledPgErrors();
    harness = await startConsumerHarness({ label: 'review-conn-loss', env: { ...BATCHED, ...fastClock() } });
    await fund(harness, TIGHT, TIGHT_FUNDED_MINOR);
    killer = new Client({ connectionString: harness.db.config.url });
    await killer.connect();
  }, 60_000);

  afterAll(async () => {
    await killer?.end().catch(() => undefined);
    await harness?.close();
    restorePgEmit();
  });

  it('ends each command once, writes each key once, traced, within funds, and sends each top-up once', async () => {
    harness.simulator.setFaults({ latencyMs: 30 });
    const messages = [
      ...Array.from({ length: 150 }, (_, index) => ({
        messageId: `cl-${index}`,
        body: commandBody({ external_id: `cl-${index}`, phone_number: globeNumber(1000 + (index % 40)) }),
      })),
      // the barely funded account: two held, four refused for funds (REJECTED), whatever the connections do
      ...Array.from({ length: 6 }, (_, index) => ({
        messageId: `cl-tight-${index}`,
        body: commandBody({
          account_id: TIGHT,
          external_id: `cl-tight-${index}`,
          phone_number: globeNumber(1100 + index),
        }),
      })),
      // twins under other ids: one top-up each
      ...Array.from({ length: 10 }, (_, index) => ({
        messageId: `cl-twin-${index}`,
        body: commandBody({ external_id: `cl-${index}`, phone_number: globeNumber(1000 + (index % 40)) }),
      })),
    ];
    const kills = (async () => {
      let killed = 0;
      // each round kills every connection but the killer's: the consumer's group, lane and read connections
      for (let round = 0; round < 25; round++) {
        const rows = await killer.query<{ killed: boolean }>(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        killed += rows.rows.filter((row) => row.killed).length;
        await sleep(40);
      }
      return killed;
    })();
    await harness.publish(messages);
    expect(await kills).toBeGreaterThan(0);

    const ids = [...new Set(messages.map((message) => message.messageId))];
    await waitUntil(
      'every command ended',
      () => {
        const byMessage = outcomesByMessage([harness.logs]);
        return ids.every((id) => (byMessage.get(id) ?? []).some(isFinal));
      },
      60_000,
    );
    const byMessage = outcomesByMessage([harness.logs]);
    // no command dead-lettered, none ended twice (a message is acked once)
    const wrong = ids.flatMap((id) => {
      const outcomes = byMessage.get(id) ?? [];
      const finals = outcomes.filter(isFinal);
      const dead = outcomes.filter((outcome) => outcome.startsWith('dead:'));
      return finals.length === 1 && dead.length === 0 ? [] : [{ id, outcomes }];
    });
    expect(wrong).toEqual([]);

    await waitAllAttempted(harness);
    const rows = await topUps(harness);
    expect(rows.length).toBe(156);
    await expectTracedAndNeverSentTwice(harness, rows);
    await expectLedgerBalanced(harness);
    const tight = rows.filter((row) => row.account_id === TIGHT);
    expect(tight.filter((row) => row.status_class !== 'REJECTED').length).toBe(2);
    expect(await queueDepths(harness)).toEqual({
      [harness.topology.queues.topUpCommands.name]: 0,
      [harness.topology.queues.topUpCommandsRetry.name]: 0,
    });
    // no connection error went unheard (it would have stopped a real consumer)
    expect(unhandledPgErrors).toEqual([]);

    // the faults are over: every top-up ends final, none lost, none sent twice, its hold settled accordingly
    await expectAllFinal(harness);
    await expectPromiseKept(harness, {
      [harness.accountId]: Array.from({ length: 150 }, (_, index) => `cl-${index}`),
      [TIGHT]: Array.from({ length: 6 }, (_, index) => `cl-tight-${index}`),
    });
    expect(unhandledPgErrors).toEqual([]);
  }, 200_000);
});

describe('a batched consumer stopped in the middle of its batches, another taking over', () => {
  let harness: ConsumerHarness;
  let second: SecondConsumer | undefined;
  let clock: Record<string, string>;

  beforeAll(async () => {
    clock = fastClock();
    harness = await startConsumerHarness({
      label: 'review-stop',
      env: { ...BATCHED, ...clock, AMQP_SHUTDOWN_TIMEOUT_MS: '100' },
    });
  }, 60_000);

  afterAll(async () => {
    await second?.app.stop();
    await harness?.close();
  });

  it('handles every command once between the two, each key written once and sent once', async () => {
    harness.simulator.setFaults({ latencyMs: 120 });
    const messages = Array.from({ length: 180 }, (_, index) => ({
      messageId: `st-${index}`,
      body: commandBody({ external_id: `st-${index}`, phone_number: globeNumber(2000 + (index % 50)) }),
    }));
    await harness.publish(messages);
    await waitUntil('a first batch written', async () => (await topUps(harness)).length > 0, 30_000, 5);
    // SIGTERM: the graceful stop, with most of the work still in flight
    const failures = await harness.app.stop();
    expect(failures).toEqual([]);

    second = await startSecondConsumer(harness, { ...BATCHED, ...clock });
    const ids = messages.map((message) => message.messageId);
    const logs = [harness.logs, second.logs];
    await waitUntil(
      'every command ended',
      async () => {
        const byMessage = outcomesByMessage(logs);
        const processed = await harness.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_messages`);
        return ids.every((id) => (byMessage.get(id) ?? []).some(isFinal)) && processed[0]?.n === ids.length;
      },
      60_000,
    );
    const byMessage = outcomesByMessage(logs);
    expect(ids.filter((id) => (byMessage.get(id) ?? []).some((outcome) => outcome.startsWith('dead:')))).toEqual([]);
    await waitAllAttempted(harness);
    const rows = await topUps(harness);
    expect(rows.length).toBe(180);
    await expectTracedAndNeverSentTwice(harness, rows);
    await expectLedgerBalanced(harness);
    // no ack or nack went to a channel that could not take it (a double ack closes the channel)
    const ackFailures = [...harness.logs(), ...second.logs()].filter((line) =>
      /ack or nack failed|PRECONDITION_FAILED|unknown delivery tag/i.test(JSON.stringify(line)),
    );
    expect(ackFailures).toEqual([]);
    // the second consumer's loops finish what the first left: every top-up final, none lost or sent twice
    await expectAllFinal(harness);
    await expectPromiseKept(harness, { [harness.accountId]: ids });
    await second.app.stop();
    expect(await queueDepths(harness)).toEqual({
      [harness.topology.queues.topUpCommands.name]: 0,
      [harness.topology.queues.topUpCommandsRetry.name]: 0,
    });
  }, 200_000);
});

describe('one block of hostile commands for one barely funded account', () => {
  let harness: ConsumerHarness;

  beforeAll(async () => {
    harness = await startConsumerHarness({ label: 'review-block', env: BATCHED });
    await fund(harness, TIGHT, TIGHT_FUNDED_MINOR);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('refuses the bad ones alone; the others end as one by one would; every hold has its top-up', async () => {
    const tight = (externalId: string, fields: Record<string, unknown> = {}) =>
      commandBody({ account_id: TIGHT, external_id: externalId, phone_number: globeNumber(3000), ...fields });
    // one block: the consumer takes the first alone, the others gather behind it as a batch
    const messages = [
      { messageId: 'bk-0', body: tight('bk-pay-0') },
      {
        messageId: 'bk-ghost',
        body: commandBody({ account_id: GHOST, external_id: 'bk-ghost', phone_number: globeNumber(3001) }),
      },
      { messageId: 'bk-1', body: tight('bk-pay-1') },
      { messageId: 'bk-1-again', body: tight('bk-pay-1') },
      { messageId: 'bk-1-conflict', body: tight('bk-pay-1', { max_amount: '25' }) },
      { messageId: 'bk-2', body: tight('bk-broke-2') },
      { messageId: 'bk-2', body: tight('bk-broke-2') },
      { messageId: 'bk-bad', body: '{"version":1,' },
      { messageId: 'bk-3', body: tight('bk-broke-3') },
      ...Array.from({ length: 20 }, (_, index) => ({
        messageId: `bk-rich-${index}`,
        body: commandBody({ external_id: `bk-rich-${index}`, phone_number: globeNumber(3100 + index) }),
      })),
    ];
    await harness.publish(messages);
    const ids = [...new Set(messages.map((message) => message.messageId))];
    await waitUntil(
      'every command ended',
      async () => {
        const byMessage = outcomesByMessage([harness.logs]);
        return ids.every((id) =>
          (byMessage.get(id) ?? []).some((outcome) => isFinal(outcome) || outcome.startsWith('dead:')),
        );
      },
      40_000,
    );
    const byMessage = outcomesByMessage([harness.logs]);
    const of = (id: string) => [...(byMessage.get(id) ?? [])].sort();
    expect({
      ghost: of('bk-ghost'),
      bad: of('bk-bad'),
      conflict: of('bk-1-conflict'),
      // twins: whichever sends the first attempt is accepted, the other a duplicate
      twins: [...of('bk-1'), ...of('bk-1-again')].sort(),
      sameMessage: of('bk-2'),
    }).toEqual({
      ghost: ['dead:ACCOUNT_NOT_FOUND'],
      bad: ['dead:MALFORMED_COMMAND'],
      conflict: ['dead:EXTERNAL_ID_CONFLICT'],
      twins: ['accepted', 'duplicate'],
      sameMessage: ['duplicate', 'rejected'],
    });
    expect(of('bk-0')).toEqual(['accepted']);
    expect(of('bk-3')).toEqual(['rejected']);
    for (let index = 0; index < 20; index++) expect(of(`bk-rich-${index}`)).toEqual(['accepted']);
    await waitAllAttempted(harness);
    const rows = await topUps(harness);
    expectEachTopUpTraced(rows);
    await expectLedgerBalanced(harness);
    await expectSentOnce(harness);
  }, 90_000);
});
