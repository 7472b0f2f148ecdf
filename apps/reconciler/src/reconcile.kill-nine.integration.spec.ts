// kill -9 mid-run, then run again: the same final report as an undisturbed
// run. The books: 300 top-ups whose callbacks were dropped (COMPLETED at the
// DVS simulator, CONFIRMED in our books, their cost held) and a transaction
// at the provider we never sent, written through the use cases. The
// database is then copied: the reconciler runs undisturbed on one copy, and
// on the other as a child process killed with SIGKILL as soon as its first
// settlement is recorded (written ahead of its change), killed again once a
// third of the top-ups are settled, then run to its end. Both end with every top-up settled once (ledger captured once),
// and their reports are equal without their `run` part.
import { Effect } from 'effect';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BundledEntry } from '@airtime/platform-runtime/testing';
import { reportBaseName } from './report/report-files';
import {
  type ClonedDatabase,
  cloneDatabase,
  openReconcileWorld,
  phoneWith,
  type ReconcileWorld,
  settlementRows,
} from './testing/reconcile-world.fixture';
import { bundleReconciler, killStartedReconcilers, startReconcilerProcess } from './testing/reconciler-process.fixture';

const DROPPED = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the reconciler killed with SIGKILL mid-run, then run again', () => {
  let world: ReconcileWorld;
  let copy: ClonedDatabase;
  let bundle: BundledEntry;

  beforeAll(async () => {
    [world, bundle] = await Promise.all([openReconcileWorld(), bundleReconciler()]);
    const seeded = await Effect.runPromise(
      Effect.forEach(
        Array.from({ length: DROPPED }, (_, index) => index + 1),
        (index) => Effect.promise(() => world.requestAndSend(`dropped-${index}`, phoneWith(index))),
        { concurrency: 8 },
      ),
    );
    await Promise.all(seeded.map((topUp) => world.untilStatus(topUp.providerExternalId, 'COMPLETED')));
    await world.admin('POST', 'transactions', {
      external_id: 'never-sent-by-us',
      product_id: world.simulator.transactionByExternalId(seeded[0]?.providerExternalId ?? '')?.productId,
      credit_party_mobile_number: phoneWith(9_999),
      status: 'COMPLETED',
    });
    copy = await cloneDatabase(world);
  }, 180_000);

  afterAll(async () => {
    await killStartedReconcilers();
    await copy?.drop();
    await world?.close();
    bundle?.dispose();
  });

  const reportIn = (dir: string) =>
    JSON.parse(
      readFileSync(path.join(dir, `${reportBaseName('dtone', world.day.from, world.day.to)}.json`), 'utf8'),
    ) as Record<string, unknown>;
  const withoutRun = ({ run: _run, ...rest }: Record<string, unknown>) => rest;

  it('ends with the report of an undisturbed run, every top-up settled once', async () => {
    // the undisturbed run, on the world's database
    const undisturbed = await world.reconcile(['--date', world.date]);
    expect(undisturbed.code).toBe(1);
    const expected = reportIn(world.reportDir);
    expect(expected).toMatchObject({ counts: { settled: DROPPED, mismatches: { MISSING_HERE: 1 } } });

    // the same books, killed mid-run
    const killedDir = path.join(world.reportDir, 'killed');
    const env = world.env({ DATABASE_URL: copy.url, RECONCILE_REPORT_DIR: killedDir });
    /** Starts the reconciler on the copy and SIGKILLs it once `count` answers at least `atLeast`. */
    const runKilledWhen = async (count: string, atLeast: number) => {
      const child = startReconcilerProcess(bundle, ['--date', world.date], env);
      for (;;) {
        const [row] = (await copy.dataSource.query(`SELECT (${count})::int AS count`)) as { count: number }[];
        if ((row?.count ?? 0) >= atLeast) break;
        await sleep(2);
      }
      const killed = await child.kill();
      expect(killed.signal).toBe('SIGKILL');
      const [state] = (await copy.dataSource.query(
        `SELECT (SELECT count(*)::int FROM reconciliation_settlements WHERE state = 'APPLIED') AS applied,
                (SELECT count(*)::int FROM reconciliation_runs WHERE finished_at IS NULL) AS unfinished`,
      )) as { applied: number; unfinished: number }[];
      return state;
    };
    // killed as its first settlement is recorded (written ahead, before the change) ...
    const firstKill = await runKilledWhen('SELECT count(*) FROM reconciliation_settlements', 1);
    expect(firstKill).toMatchObject({ unfinished: 1 });
    expect(firstKill?.applied).toBeLessThan(DROPPED);
    // ... then again once a third of the top-ups are settled
    const secondKill = await runKilledWhen(
      `SELECT count(*) FROM reconciliation_settlements WHERE state = 'APPLIED'`,
      DROPPED / 3,
    );
    // the second run closed the first one's row (abandoned): one open row, its own
    expect(secondKill).toMatchObject({ unfinished: 1 });
    expect(secondKill?.applied).toBeLessThan(DROPPED);
    // no report was written by a killed run (its folder was made, and proved writable, before it ran)
    expect(readdirSync(killedDir)).toEqual([]);

    // run again: it resumes
    const second = await startReconcilerProcess(bundle, ['--date', world.date], env).exited;
    expect({ code: second.code, tail: second.stderr.split('\n').slice(-2) }).toMatchObject({
      code: 1,
      tail: [expect.stringMatching(/^reconcile: MISMATCHES: report .+\.json$/), ''],
    });
    const resumed = reportIn(killedDir);
    expect(withoutRun(resumed)).toEqual(withoutRun(expected));
    // no run row left open: the killed ones FAILED (abandoned), the last one finished with its report
    expect(
      await copy.dataSource.query(
        `SELECT outcome, report IS NOT NULL AS reported, left(summary, 25) AS summary FROM reconciliation_runs ORDER BY started_at`,
      ),
    ).toEqual([
      { outcome: 'FAILED', reported: false, summary: 'the run was abandoned: it' },
      { outcome: 'FAILED', reported: false, summary: 'the run was abandoned: it' },
      { outcome: 'MISMATCHES', reported: true, summary: expect.any(String) },
    ]);

    // every top-up settled exactly once, its hold captured once
    const settlements = await settlementRows(copy);
    expect(settlements).toHaveLength(DROPPED);
    expect(new Set(settlements.map((row) => row.top_up_id)).size).toBe(DROPPED);
    expect(settlements.every((row) => row.state === 'APPLIED' && row.to_status === 'COMPLETED')).toBe(true);
    expect(
      await copy.dataSource.query(
        `SELECT (SELECT count(*)::int FROM ledger_holds WHERE status = 'CAPTURED') AS captured,
                (SELECT count(*)::int FROM ledger_journal WHERE kind = 'CAPTURE') AS captures`,
      ),
    ).toEqual([{ captured: DROPPED, captures: DROPPED }]);
  }, 180_000);
});
