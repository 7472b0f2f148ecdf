// The consumer end to end: commands published to a real RabbitMQ become
// top-ups in a fresh PostgreSQL database, sent through the DT One adapter to
// the DVS simulator's HTTP server, settled by status queries, retried on the
// schedule (on a clock running CLOCK_SCALE times faster), reported as events,
// with the ledger balanced at the end.
import 'reflect-metadata';
import { DEAD_LETTER_HEADERS } from '@airtime/messaging-rabbitmq';
import { RETRY_DELAYS_MINUTES } from '@airtime/domain';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

/**
 * Clock 1,200 times faster: a retry minute is 50 ms, the whole schedule (218 minutes) 11 s; a top-up
 * untouched for 20 simulated minutes (1 s) is recovered: polled by a status query while the provider
 * holds it (no callbacks reach the consumer), sent when it has no attempt yet.
 */
const FAST_CLOCK = { CLOCK_SCALE: '1200', STALLED_AFTER_MS: '1200000' };

const FINAL_CLASSES = ['COMPLETED', 'DECLINED', 'REJECTED', 'CANCELLED', 'REVERSED'];

/** A Philippine Globe number (+63917...) whose last three digits are the sandbox code. */
const numberWith = (index: number, code: string) => `+63917${String(index).padStart(4, '0')}${code}`;

const commandBody = (fields: Record<string, unknown>) =>
  JSON.stringify({ version: 1, account_id: 'acme', currency: 'PHP', max_amount: '30', ...fields });

interface TopUpRow {
  readonly id: string;
  readonly external_id: string;
  readonly destination_e164: string;
  readonly status_class: string;
  readonly status: string;
  readonly cost_minor: string;
  readonly attempts: number;
}

const topUps = (harness: ConsumerHarness) =>
  harness.query<TopUpRow>(
    `SELECT t.id, t.external_id, t.destination_e164, t.status_class, t.status, t.cost_minor,
            (SELECT count(*)::int FROM top_up_attempts a WHERE a.top_up_id = t.id) AS attempts
       FROM top_ups t`,
  );

const unsettled = async (harness: ConsumerHarness): Promise<number> => {
  const [row] = await harness.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM top_ups WHERE status_class <> ALL($1::text[])`,
    [FINAL_CLASSES],
  );
  return row?.count ?? -1;
};

/** Waits for every event of the outbox to be published and received on the harness's events queue. */
const allEvents = async (harness: ConsumerHarness) => {
  await waitUntil('every event to be published', async () => (await unsentEvents(harness)) === 0);
  const [row] = await harness.query<{ count: number }>(`SELECT count(*)::int AS count FROM outbox`);
  await waitUntil('every event to arrive', () => harness.events().length >= (row?.count ?? 0));
  return harness.events();
};

const unsentEvents = async (harness: ConsumerHarness): Promise<number> => {
  const [row] = await harness.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM outbox WHERE sent_at IS NULL`,
  );
  return row?.count ?? -1;
};

/** Sends (POST) per attempt reference, from the transfer log. */
const sendsPerReference = async (harness: ConsumerHarness): Promise<Map<string, number>> => {
  const rows = await harness.query<{ reference: string; sends: number }>(
    `SELECT reference, count(*)::int AS sends FROM transfer_log WHERE record->>'method' = 'POST' GROUP BY reference`,
  );
  return new Map(rows.map((row) => [row.reference, row.sends]));
};

const simulatorTransactions = (harness: ConsumerHarness) => harness.simulator.engine.transactions({ fromMs: 0 });

const ledgerOf = async (harness: ConsumerHarness) => {
  const [row] = await harness.query<{
    available_minor: string;
    holding_minor: string;
    captured_minor: string;
    reversed_minor: string;
    funded_minor: string;
  }>(
    `SELECT available_minor, holding_minor, captured_minor, reversed_minor, funded_minor
       FROM ledger_accounts WHERE account_id = $1 AND currency = 'USD'`,
    [harness.accountId],
  );
  if (row === undefined) throw new Error('no ledger account');
  return {
    available: BigInt(row.available_minor),
    holding: BigInt(row.holding_minor),
    captured: BigInt(row.captured_minor),
    reversed: BigInt(row.reversed_minor),
    funded: BigInt(row.funded_minor),
  };
};

describe('the consumer, end to end (1,000 commands)', () => {
  let harness: ConsumerHarness;
  beforeAll(async () => {
    harness = await startConsumerHarness({
      label: 'consumer-e2e',
      env: { ...FAST_CLOCK, AMQP_PREFETCH: '100', SCHEDULER_BATCH_SIZE: '200' },
    });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('makes each valid command one top-up, sent once, final, evented and balanced; dead-letters the malformed', async () => {
    // 900 valid commands: each of the 24 sandbox codes (3 delays x 8 outcomes) 4 times, then plain numbers
    const codes = [1, 2, 3].flatMap((delay) => [0, 1, 2, 3, 4, 5, 6, 7].map((last) => `${delay}0${last}`));
    const valid = Array.from({ length: 900 }, (_, index) => {
      const code = index < codes.length * 4 ? (codes[index % codes.length] ?? '999') : '999';
      return {
        externalId: `order-${index}`,
        code,
        messageId: `valid-${index}`,
        body: commandBody({ external_id: `order-${index}`, phone_number: numberWith(index, code) }),
      };
    });
    // 50 duplicates: the same message again, and the same request under a new message id
    const duplicates = valid
      .filter((_, index) => index % 18 === 0)
      .map((command, index) => ({
        body: command.body,
        messageId: index % 2 === 0 ? command.messageId : `again-${command.messageId}`,
      }));
    // 50 that can never succeed: malformed bodies, and requests the use case refuses
    const malformedBodies = [
      '{"version":1,',
      'not json at all',
      JSON.stringify([1, 2, 3]),
      JSON.stringify({ version: 2, external_id: 'x' }),
      JSON.stringify({ external_id: 'no-version' }),
      commandBody({ external_id: 'bad-amount', phone_number: numberWith(1, '100'), max_amount: 'lots' }),
      commandBody({ external_id: 'extra-field', phone_number: numberWith(1, '100'), colour: 'blue' }),
    ];
    const refusedRequests = [
      commandBody({ external_id: 'bad-number', phone_number: '+63123' }),
      commandBody({ external_id: 'no-product', phone_number: numberWith(2, '100'), max_amount: '1' }),
      commandBody({ external_id: 'wrong-currency', phone_number: numberWith(3, '100'), currency: 'KES' }),
    ];
    const invalid = Array.from({ length: 50 }, (_, index) => ({
      messageId: `invalid-${index}`,
      body:
        index < 35
          ? (malformedBodies[index % malformedBodies.length] ?? '')
          : (refusedRequests[index % refusedRequests.length] ?? ''),
    }));
    const messages = [...valid, ...duplicates, ...invalid];
    expect(messages).toHaveLength(1_000);
    // a fixed interleaving: duplicates and invalid commands among the valid ones
    const shuffled = messages
      .map((message, index) => ({ message, key: (index * 7_919) % 1_009 }))
      .sort((a, b) => a.key - b.key)
      .map(({ message }) => message);

    const started = Date.now();
    await harness.publish(shuffled);

    const invalidIds = new Set(invalid.map((message) => message.messageId));
    // generous deadlines: this checks correctness, not speed (bench:consumer measures that), on a busy 2-core CI machine
    await waitUntil(
      'every valid command to become a top-up',
      async () => (await topUps(harness)).length === 900,
      300_000,
      250,
    );
    await waitUntil('every top-up to be final', async () => (await unsettled(harness)) === 0, 300_000, 250);
    await waitUntil('every event to be published', async () => (await unsentEvents(harness)) === 0);
    await waitUntil(
      'the invalid commands in the dead-letter queue',
      async () =>
        (await harness.broker.channel.checkQueue(harness.topology.queues.deadLetters.name)).messageCount >= 50,
    );
    const elapsedMs = Date.now() - started;

    // final statuses by sandbox outcome
    const rows = await topUps(harness);
    const byExternalId = new Map(rows.map((row) => [row.external_id, row]));
    for (const command of valid) {
      const row = byExternalId.get(command.externalId);
      const last = command.code === '999' ? 0 : Number(command.code.at(-1));
      expect({ id: command.externalId, code: command.code, status: row?.status_class }).toEqual({
        id: command.externalId,
        code: command.code,
        status: last <= 1 ? 'COMPLETED' : 'DECLINED',
      });
      // operator unavailable and "duplicated" (try later) are retried to the last attempt; the others sent once
      if (last === 4 || last === 5) expect(row?.attempts).toBe(7);
      else expect(row?.attempts).toBe(1);
    }

    // no second send: one POST per attempt reference, and the simulator holds one transaction per attempt
    const sends = await sendsPerReference(harness);
    const attempts = await harness.query<{ provider_external_id: string }>(
      `SELECT provider_external_id FROM top_up_attempts`,
    );
    expect(attempts.length).toBe(rows.reduce((sum, row) => sum + row.attempts, 0));
    expect(new Set(attempts.map((a) => a.provider_external_id)).size).toBe(attempts.length);
    for (const attempt of attempts) expect(sends.get(attempt.provider_external_id)).toBe(1);
    expect(sends.size).toBe(attempts.length);
    const transactions = simulatorTransactions(harness);
    expect(transactions).toHaveLength(attempts.length);
    expect(new Set(transactions.map((t) => t.externalId))).toEqual(
      new Set(attempts.map((a) => a.provider_external_id)),
    );

    // the invalid commands sit in the dead-letter queue, each with its reason
    const deadLetters = await harness.broker.drain(harness.topology.queues.deadLetters.name);
    expect(deadLetters).toHaveLength(50);
    for (const letter of deadLetters) {
      expect(invalidIds.has(String(letter.properties.messageId))).toBe(true);
      const reason = String(letter.properties.headers?.[DEAD_LETTER_HEADERS.reason] ?? '');
      expect(reason).toMatch(
        /^(MALFORMED_COMMAND|INVALID_TOP_UP_REQUEST|NO_MATCHING_PRODUCT|CURRENCY_NOT_ACCEPTED|OPERATOR_NOT_FOUND|PRODUCT_NOT_FOUND|INVALID_SELECTION_REQUEST): /,
      );
      expect(reason).not.toMatch(/63917|\+63123|lots|blue/);
    }

    // events: one created per top-up, one final event per final top-up, never a phone number
    const events = await allEvents(harness);
    const count = (type: string) => events.filter((event) => event.fields.routingKey === type).length;
    const completed = rows.filter((row) => row.status_class === 'COMPLETED').length;
    expect(count('topup.created')).toBe(900);
    expect(count('topup.completed')).toBe(completed);
    expect(count('topup.failed')).toBe(900 - completed);
    expect(count('topup.retry_scheduled')).toBeGreaterThanOrEqual(rows.filter((r) => r.attempts === 7).length * 6);
    expect(new Set(events.map((event) => event.properties.messageId)).size).toBe(events.length);
    expect(events.some((event) => event.content.toString('utf8').includes('+63917'))).toBe(false);

    // the ledger: nothing held, what completed captured, and available + holding + captured - reversed = funded
    const ledger = await ledgerOf(harness);
    expect(ledger.holding).toBe(0n);
    expect(ledger.captured).toBe(
      rows.filter((row) => row.status_class === 'COMPLETED').reduce((sum, row) => sum + BigInt(row.cost_minor), 0n),
    );
    expect(ledger.available + ledger.holding + ledger.captured - ledger.reversed).toBe(ledger.funded);
    expect(ledger.funded).toBe(harness.fundedMinor);
    const holds = await harness.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM ledger_holds GROUP BY status ORDER BY status`,
    );
    expect(holds).toEqual([
      { status: 'CAPTURED', count: completed },
      { status: 'VOIDED', count: 900 - completed },
    ]);

    // metrics and logs
    const metrics = await (await fetch(`${harness.app.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('airtime_consumer_commands_total{outcome="accepted"} 900');
    expect(metrics).toContain('airtime_consumer_commands_total{outcome="duplicate"} 50');
    expect(metrics).toContain('airtime_consumer_commands_total{outcome="dead_lettered"} 50');
    expect(metrics).toContain(`airtime_topups_final_total{status="COMPLETED"} ${completed}`);
    expect(JSON.stringify(harness.logs())).not.toMatch(/63917\d{6}/);
    const handled = harness.logs().filter((line) => line['msg'] === 'top-up command handled');
    expect(handled.every((line) => typeof line['externalId'] === 'string')).toBe(true);
    expect(
      handled.filter((line) => line['outcome'] === 'accepted').every((line) => typeof line['topUpId'] === 'string'),
    ).toBe(true);
    process.stdout.write(`consumer e2e: 1,000 commands to final statuses in ${elapsedMs} ms\n`);
  }, 720_000);
});

describe('the consumer, retries on the schedule', () => {
  let harness: ConsumerHarness;
  beforeAll(async () => {
    harness = await startConsumerHarness({ label: 'consumer-retries', env: FAST_CLOCK });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('retries operator-unavailable numbers on the schedule and ends them declined with the hold voided', async () => {
    await harness.publish(
      [0, 1, 2].map((index) => ({
        messageId: `unavailable-${index}`,
        body: commandBody({ external_id: `unavailable-${index}`, phone_number: numberWith(index, '104') }),
      })),
    );
    await waitUntil(
      'the unavailable top-ups to be final',
      async () => {
        const rows = await topUps(harness);
        return rows.length === 3 && rows.every((row) => FINAL_CLASSES.includes(row.status_class));
      },
      90_000,
      250,
    );
    const rows = await topUps(harness);
    for (const row of rows) {
      expect(row).toMatchObject({ status_class: 'DECLINED', attempts: 7 });
      const starts = await harness.query<{ started_at: Date }>(
        `SELECT started_at FROM top_up_attempts WHERE top_up_id = $1 ORDER BY number`,
        [row.id],
      );
      // each retry no sooner than the schedule says after the one before (on the scaled clock)
      starts.slice(1).forEach((start, index) => {
        const gapMinutes = (start.started_at.getTime() - (starts[index]?.started_at.getTime() ?? 0)) / 60_000;
        expect(gapMinutes).toBeGreaterThanOrEqual(RETRY_DELAYS_MINUTES[index] ?? Infinity);
      });
      const [hold] = await harness.query<{ status: string }>(
        `SELECT status FROM ledger_holds WHERE transaction_id = $1`,
        [row.id],
      );
      expect(hold?.status).toBe('VOIDED');
    }
    const ledger = await ledgerOf(harness);
    expect(ledger.holding).toBe(0n);
    expect(ledger.available).toBe(ledger.funded);
  }, 120_000);
});

describe('the consumer, unknown outcomes', () => {
  let harness: ConsumerHarness;
  beforeAll(async () => {
    // the send gives up after 300 ms, well before the top-up counts as stalled (1 s)
    harness = await startConsumerHarness({
      label: 'consumer-unknown',
      env: { ...FAST_CLOCK, DTONE_TIMEOUT_MS: '300' },
    });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('settles a send whose answer never came (timeout after accept) by a status query: completed, never resent', async () => {
    harness.simulator.setFaults({ timeoutAfterAccept: true });
    await harness.publish([
      {
        messageId: 'lost-answer',
        body: commandBody({ external_id: 'lost-answer', phone_number: numberWith(7, '100') }),
      },
    ]);
    await waitUntil('the attempt to be unknown', async () => {
      const [row] = await harness.query<{ state: string }>(
        `SELECT a.state FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id WHERE t.external_id = 'lost-answer'`,
      );
      return row?.state === 'Unknown';
    });
    harness.simulator.clearFaults();
    await waitUntil('the top-up to be completed', async () => {
      const [row] = await harness.query<{ status_class: string }>(
        `SELECT status_class FROM top_ups WHERE external_id = 'lost-answer'`,
      );
      return row?.status_class === 'COMPLETED';
    });
    const [row] = (await topUps(harness)).filter((r) => r.external_id === 'lost-answer');
    expect(row?.attempts).toBe(1);
    const [attempt] = await harness.query<{ provider_external_id: string }>(
      `SELECT provider_external_id FROM top_up_attempts WHERE top_up_id = $1`,
      [row?.id],
    );
    const reference = attempt?.provider_external_id ?? '';
    const exchanges = await harness.query<{ method: string; status: number | null }>(
      `SELECT record->>'method' AS method, (record->>'status')::int AS status
         FROM transfer_log WHERE reference = $1 ORDER BY id`,
      [reference],
    );
    // the send got no answer, and was never sent again
    expect(exchanges[0]).toEqual({ method: 'POST', status: null });
    expect(exchanges.filter((exchange) => exchange.method === 'POST')).toHaveLength(1);
    // the status query that settled it (status queries carry no attempt reference in the transfer log: counted here)
    const metrics = await (await fetch(`${harness.app.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /airtime_provider_request_duration_seconds_count\{provider="dtone",operation="statusByExternalId",outcome="ok"\} [1-9]/,
    );
    expect(harness.simulator.engine.transactions({ externalId: reference })).toHaveLength(1);
    const events = await allEvents(harness);
    const types = events
      .filter((event) => event.content.toString('utf8').includes(row?.id ?? '?'))
      .map((event) => event.fields.routingKey);
    expect(types).toEqual(['topup.created', 'topup.unknown_outcome', 'topup.completed']);
  }, 60_000);
});

describe('the consumer, graceful stop', () => {
  let harness: ConsumerHarness;
  beforeAll(async () => {
    harness = await startConsumerHarness({ label: 'consumer-stop', env: { ...FAST_CLOCK, AMQP_PREFETCH: '10' } });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('stops consuming, finishes the commands in flight, and leaves the rest in the queue', async () => {
    harness.simulator.setFaults({ latencyMs: 150 });
    await harness.publish(
      Array.from({ length: 60 }, (_, index) => ({
        messageId: `stop-${index}`,
        body: commandBody({ external_id: `stop-${index}`, phone_number: numberWith(index, '999') }),
      })),
    );
    await waitUntil('some commands to be in flight', async () => (await topUps(harness)).length > 0);
    expect(await harness.app.stop()).toEqual([]);
    const processed = await harness.query<{ message_id: string }>(`SELECT message_id FROM processed_messages`);
    const { messageCount } = await harness.broker.channel.checkQueue(harness.topology.queues.topUpCommands.name);
    // every command is either processed (and acked) or back in the queue, none both, none lost
    expect(processed.length).toBeGreaterThan(0);
    expect(processed.length + messageCount).toBe(60);
    expect((await topUps(harness)).length).toBe(processed.length);
    // each processed top-up was sent before the stop returned
    const attempts = await harness.query<{ count: number }>(`SELECT count(*)::int AS count FROM top_up_attempts`);
    expect(attempts[0]?.count).toBe(processed.length);
    await expect(fetch(`${harness.app.metricsUrl}/healthz`)).rejects.toThrow();
  }, 60_000);
});
