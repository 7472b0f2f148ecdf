// A clean day of 10,000 top-ups: no false mismatch. One top-up goes the
// whole way (requested, sent to the DVS simulator over HTTP, completed, its
// callback applied); 9,999 copies of it are written in bulk (one INSERT ...
// SELECT generate_series per table, every column copied) and their
// transactions put into the simulator's engine directly, each dated in the
// window with the exact amounts the copy holds. The reconciler lists the
// provider's 10,000 transactions page by page over HTTP (40 requests a
// second allowed: its rate limit respected) and matches them: exit 0,
// MATCHED, 0 mismatches, no settlement, balances equal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { reportBaseName } from './report/report-files';
import { openReconcileWorld, phoneWith, type ReconcileWorld } from './testing/reconcile-world.fixture';

const COPIES = 9_999;
/** The n-th copy started this long after the first (spread over the day: 9,999 x 8 s is 22 h 13 min). */
const STEP_MS = 8_000;

/**
 * `count` copies of the top-up `templateId` and of its first attempt: ids
 * `<template>-<n>`, external ids `clean-<n>`, provider external ids
 * `clean-day-<n>`, the provider transaction id `firstTransaction + n - 1`,
 * started and updated at `firstStart + (n - 1) x STEP_MS`.
 */
const copyTopUps = async (
  world: ReconcileWorld,
  templateId: string,
  firstStart: Date,
  firstTransaction: number,
): Promise<void> => {
  const parameters = [templateId, COPIES, firstStart.toISOString(), STEP_MS, firstTransaction];
  // seeding, not what is measured: no statement timeout (a loaded CI machine took over 30 s once)
  await world.db.dataSource.transaction(async (manager) => {
    await manager.query('SET LOCAL statement_timeout = 0');
    await manager.query(
      `INSERT INTO top_ups
       SELECT (jsonb_populate_record(NULL::top_ups, to_jsonb(t) || jsonb_build_object(
         'id', t.id || '-' || n, 'external_id', 'clean-' || n,
         'created_at', $3::timestamptz + (n - 1) * $4::int * interval '1 millisecond',
         'updated_at', $3::timestamptz + (n - 1) * $4::int * interval '1 millisecond'))).*
       FROM top_ups t CROSS JOIN generate_series(1, $2::int) AS n WHERE t.id = $1`,
      parameters.slice(0, 4),
    );
    await manager.query(
      `INSERT INTO top_up_attempts
       SELECT (jsonb_populate_record(NULL::top_up_attempts, to_jsonb(a) || jsonb_build_object(
         'top_up_id', a.top_up_id || '-' || n, 'provider_external_id', 'clean-day-' || n,
         'provider_transaction_id', ($5::int + n - 1)::text,
         'started_at', $3::timestamptz + (n - 1) * $4::int * interval '1 millisecond',
         'updated_at', $3::timestamptz + (n - 1) * $4::int * interval '1 millisecond'))).*
       FROM top_up_attempts a CROSS JOIN generate_series(1, $2::int) AS n WHERE a.top_up_id = $1 AND a.number = 1`,
      parameters,
    );
  });
  await world.db.dataSource.query('ANALYZE top_ups');
  await world.db.dataSource.query('ANALYZE top_up_attempts');
};

describe('the reconciler on a clean day of 10,000 top-ups', () => {
  let world: ReconcileWorld;

  beforeAll(async () => {
    world = await openReconcileWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('finds 0 mismatches: exit 0, every transaction matched, nothing settled, balances equal', async () => {
    const template = await world.requestAndSend('clean-template', phoneWith(1));
    await world.untilStatus(template.providerExternalId, 'COMPLETED');
    await world.deliverCallback(template);
    const sent = world.simulator.transactionByExternalId(template.providerExternalId);
    if (sent === undefined) throw new Error('the template was not sent');

    const firstStart = new Date(world.day.from.getTime() + 5 * 60_000);
    for (let n = 1; n <= COPIES; n += 1) {
      world.simulator.injectTransaction({
        externalId: `clean-day-${n}`,
        productId: sent.productId,
        creditPartyMobileNumber: phoneWith(1),
        status: 'COMPLETED',
        createdAtMs: firstStart.getTime() + (n - 1) * STEP_MS + 1_500,
      });
    }
    await copyTopUps(world, template.topUpId, firstStart, sent.id + 1);

    // the provider limits requests: the 100 pages of its list are read within the limit (429s waited out)
    await world.admin('PATCH', 'faults', { rateLimitPerSecond: 40 });
    const outcome = await world.reconcile(['--date', world.date]);
    expect(outcome.stderr).toMatch(/\nreconcile: MATCHED: report .+\.json\n$/);
    expect(outcome.code).toBe(0);
    const report = JSON.parse(
      readFileSync(path.join(world.reportDir, `${reportBaseName('dtone', world.day.from, world.day.to)}.json`), 'utf8'),
    ) as Record<string, unknown>;
    expect(report).toMatchObject({
      outcome: 'MATCHED',
      counts: {
        ours: 10_000,
        theirs: 10_000,
        matched: 10_000,
        inFlight: 0,
        settled: 0,
        awaitingDecision: 0,
        mismatches: {
          MISSING_HERE: 0,
          MISSING_AT_PROVIDER: 0,
          STATUS_DIFFERS: 0,
          AMOUNT_DIFFERS: 0,
          DUPLICATE_AT_PROVIDER: 0,
        },
        balanceMismatches: 0,
      },
      mismatches: [],
      settlements: [],
      awaitingDecision: [],
    });
    // what the provider charged for the day, to the cent, on both sides
    expect(report['amounts']).toEqual([{ currency: 'USD', ours: '5500.00', theirs: '5500.00', mismatched: '0.00' }]);
    // the list was read page by page (100 per page), within the limit: 100 requests at 40 a second span 3 windows
    expect(outcome.stderr).toContain('phase match 10000/10000 done');
    const metrics = readFileSync(
      path.join(world.reportDir, `${reportBaseName('dtone', world.day.from, world.day.to)}.prom`),
      'utf8',
    );
    const listing =
      /^airtime_provider_request_duration_seconds_sum\{provider="dtone",operation="listTransactions",outcome="ok"\} (\S+)$/m.exec(
        metrics,
      );
    expect(Number(listing?.[1])).toBeGreaterThan(1);
  }, 120_000);
});
