// Runs that never finish on their own: a run that failed is finished FAILED
// with why (no report), and the runs a killed process left open are closed
// FAILED ("abandoned") by the next run of their window, so that no run row
// stays open forever. Other windows' runs and finished runs are untouched.
import type { ReconciliationReportJson, ReconciliationWindow } from '@airtime/application';
import { Effect, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeReconciliationRunCloser } from './reconciliation-run-closing.adapter';
import { makeReconciliationStore } from './reconciliation-store.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);

const day = new Date('2025-03-10T00:00:00.000Z');
const at = (hours: number) => new Date(day.getTime() + hours * 3_600_000);
const window: ReconciliationWindow = { providerId: 'dtone', from: day, to: at(24) };
const report = { version: 1, outcome: 'MATCHED' } as unknown as ReconciliationReportJson;

describe('closing reconciliation runs on PostgreSQL', () => {
  let db: TestDatabase;
  const store = () => makeReconciliationStore(db.dataSource);
  const closer = () => makeReconciliationRunCloser(db.dataSource);
  const rowOf = async (id: string) =>
    (
      (await db.dataSource.query(
        `SELECT outcome, finished_at, report, summary FROM reconciliation_runs WHERE id = $1`,
        [id],
      )) as unknown[]
    )[0];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('finishes a failed run FAILED with its reason and no report, once', async () => {
    await run(store().startRun({ id: 'run-failed', window, startedAt: at(25) }));
    expect(
      await run(closer().failRun({ id: 'run-failed', finishedAt: at(26), reason: 'dtone is unavailable: HTTP 503' })),
    ).toBe(true);
    expect(await rowOf('run-failed')).toEqual({
      outcome: 'FAILED',
      finished_at: at(26),
      report: null,
      summary: 'the run failed: dtone is unavailable: HTTP 503',
    });
    expect(Option.getOrThrow(await run(store().latestRun(window)))).toEqual({
      id: 'run-failed',
      window,
      startedAt: at(25),
      finishedAt: at(26),
      outcome: 'FAILED',
      report: undefined,
      summary: 'the run failed: dtone is unavailable: HTTP 503',
    });
    // a finished run is never rewritten, an unknown one is no run
    expect(await run(closer().failRun({ id: 'run-failed', finishedAt: at(27), reason: 'other' }))).toBe(false);
    expect(await run(closer().failRun({ id: 'run-never', finishedAt: at(27), reason: 'x' }))).toBe(false);
    expect(await rowOf('run-failed')).toMatchObject({ finished_at: at(26), summary: expect.stringMatching(/503$/) });
  });

  it('keeps a reason to one printable line of at most 500 characters', async () => {
    await run(store().startRun({ id: 'run-long', window, startedAt: at(28) }));
    await run(
      closer().failRun({ id: 'run-long', finishedAt: at(29), reason: `first\u0007line\nsecond ${'x'.repeat(900)}` }),
    );
    const { summary } = (await rowOf('run-long')) as { summary: string };
    expect(summary).toMatch(/^the run failed: first line second x+…$/);
    expect([...summary].length).toBeLessThanOrEqual(500);
  });

  it("closes the window's open runs (a killed process's) as FAILED, abandoned, and only those", async () => {
    const other: ReconciliationWindow = { ...window, providerId: 'reloadly' };
    await run(store().startRun({ id: 'run-killed-1', window, startedAt: at(30) }));
    await run(store().startRun({ id: 'run-killed-2', window, startedAt: at(31) }));
    await run(store().startRun({ id: 'run-matched', window, startedAt: at(32) }));
    await run(store().finishRun({ id: 'run-matched', finishedAt: at(33), outcome: 'MATCHED', report, summary: 's' }));
    await run(store().startRun({ id: 'run-other-window', window: other, startedAt: at(30) }));

    expect(await run(closer().abandonOpenRuns(window, at(40)))).toEqual(['run-killed-1', 'run-killed-2']);
    for (const id of ['run-killed-1', 'run-killed-2'])
      expect(await rowOf(id)).toEqual({
        outcome: 'FAILED',
        finished_at: at(40),
        report: null,
        summary:
          'the run was abandoned: it stopped before it finished (killed, or its process or database connection ended); found open by a later run of its window',
      });
    expect(await rowOf('run-matched')).toMatchObject({ outcome: 'MATCHED', finished_at: at(33) });
    expect(await rowOf('run-other-window')).toMatchObject({ outcome: null, finished_at: null });
    expect(await run(closer().abandonOpenRuns(window, at(41)))).toEqual([]);
  });

  it('refuses a report with FAILED, and a finished run of another outcome without one (CHECK)', async () => {
    await run(store().startRun({ id: 'run-check', window, startedAt: at(50) }));
    const finish = (outcome: string, reportJson: string | null) =>
      db.dataSource.query(
        `UPDATE reconciliation_runs SET finished_at = now(), outcome = $1, report = $2::jsonb, summary = 's' WHERE id = 'run-check'`,
        [outcome, reportJson],
      );
    await expect(finish('FAILED', '{"version":1}')).rejects.toThrow(/reconciliation_runs_finished_whole/);
    await expect(finish('MATCHED', null)).rejects.toThrow(/reconciliation_runs_finished_whole/);
    await expect(finish('ABANDONED', '{"version":1}')).rejects.toThrow(/reconciliation_runs_outcome_valid/);
  });
});
