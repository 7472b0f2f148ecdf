// One run in-process against a database of this file's own and the DVS
// simulator over HTTP: an empty day matches (exit 0, the three report files,
// the summary or the JSON on stdout, progress lines on stderr); a database
// or provider out of reach fails the run (exit 3, one line, no password),
// a failed run still leaves its metrics file (outcome FAILED).
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runReconciler } from './reconciler-app.runner';

describe('runReconciler', () => {
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  let reports: string;

  beforeAll(async () => {
    [db, simulator] = await Promise.all([createTestDatabase({ poolSize: 2 }), startDvsSimulatorServer()]);
  });
  afterAll(async () => {
    await Promise.all([db?.drop(), simulator?.close()]);
  });
  beforeEach(() => {
    reports = mkdtempSync(path.join(tmpdir(), 'reconciler-runner-'));
  });
  afterEach(() => rmSync(reports, { recursive: true, force: true }));

  const runWith = async (argv: readonly string[], env: Record<string, string> = {}) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runReconciler(
      {
        argv,
        env: {
          DATABASE_URL: db.config.url,
          DTONE_BASE_URL: simulator.baseUrl,
          DTONE_API_KEY: simulator.apiKey,
          DTONE_API_SECRET: simulator.apiSecret,
          RECONCILE_REPORT_DIR: reports,
          ...env,
        },
        stdout: { write: (text) => stdout.push(text) },
        stderr: { isTTY: false, write: (text) => stderr.push(text) },
        now: () => new Date(),
      },
      { logger: silentLogger() },
    );
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  };

  it('matches an empty day: exit 0, the report files, the summary on stdout and progress lines on stderr', async () => {
    const outcome = await runWith(['--date', '2026-11-30']);
    expect(outcome.code).toBe(0);
    const base = 'dtone-20261130T000000Z-20261201T000000Z';
    expect(readdirSync(reports).sort()).toEqual([`${base}.json`, `${base}.prom`, `${base}.txt`]);
    const report = JSON.parse(readFileSync(path.join(reports, `${base}.json`), 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({
      version: 1,
      provider: 'dtone',
      window: { from: '2026-11-30T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      outcome: 'MATCHED',
    });
    expect(outcome.stdout).toBe(readFileSync(path.join(reports, `${base}.txt`), 'utf8'));
    expect(outcome.stdout).toMatch(
      /^Reconciliation of dtone from 2026-11-30T00:00:00.000Z to 2026-12-01T00:00:00.000Z\n/,
    );
    const lines = outcome.stderr.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining(['phase settle 0/0', 'phase settle 0/0 done', 'phase report 1/1 done']),
    );
    expect(lines).toContain(`reconcile: MATCHED: report ${path.join(reports, `${base}.json`)}`);
    const metrics = readFileSync(path.join(reports, `${base}.prom`), 'utf8');
    expect(metrics).toContain('airtime_reconcile_outcome{provider="dtone",outcome="MATCHED"} 1');
    expect(metrics).toMatch(/airtime_reconcile_phase_duration_seconds\{provider="dtone",phase="match"\} \d/);
    expect(metrics).toMatch(
      /airtime_provider_request_duration_seconds_count\{provider="dtone",operation="listTransactions",outcome="ok"\} 1/,
    );
  });

  it('prints only the JSON report on stdout with --json, and writes to --report-dir', async () => {
    const elsewhere = path.join(reports, 'elsewhere');
    const outcome = await runWith([
      '--from',
      '2026-11-30T06:00:00Z',
      '--to',
      '2026-11-30T18:00:00Z',
      '--json',
      '--report-dir',
      elsewhere,
    ]);
    expect(outcome.code).toBe(0);
    const written = readFileSync(path.join(elsewhere, 'dtone-20261130T060000Z-20261130T180000Z.json'), 'utf8');
    expect(outcome.stdout).toBe(written);
    expect(JSON.parse(outcome.stdout)).toMatchObject({
      outcome: 'MATCHED',
      window: { from: '2026-11-30T06:00:00.000Z' },
    });
  });

  it('exits 3 with one line when the database is out of reach, its password masked', async () => {
    const outcome = await runWith(['--date', '2026-11-30'], {
      DATABASE_URL: 'postgres://app:s3cr3t@127.0.0.1:1/books',
    });
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^reconcile: FAILED: .*postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/books.*\n$/);
    expect(outcome.stderr).not.toContain('s3cr3t');
  });

  it('exits 3 when the provider is out of reach, leaving the metrics of the failed run', async () => {
    const outcome = await runWith(['--date', '2026-11-29'], { DTONE_BASE_URL: 'http://127.0.0.1:1/v1' });
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toMatch(/\nreconcile: FAILED: .+ \(run it again: it resumes\)\n$/);
    expect(readdirSync(reports)).toEqual(['dtone-20261129T000000Z-20261130T000000Z.prom']);
    const prom = readFileSync(path.join(reports, 'dtone-20261129T000000Z-20261130T000000Z.prom'), 'utf8');
    expect(prom).toContain('airtime_reconcile_outcome{provider="dtone",outcome="FAILED"} 1');
    // no count next to FAILED: a zero would clear an alert on mismatches
    expect(prom).not.toContain('airtime_reconcile_mismatches');
    // the run's row is finished FAILED with why (no report), not left open
    const rows = (await db.dataSource.query(
      `SELECT outcome, finished_at IS NOT NULL AS finished, report, summary FROM reconciliation_runs
       WHERE provider_id = 'dtone' AND window_from = '2026-11-29T00:00:00Z'`,
    )) as { outcome: string; finished: boolean; report: unknown; summary: string }[];
    expect(rows).toEqual([
      { outcome: 'FAILED', finished: true, report: null, summary: expect.stringMatching(/^the run failed: .+/) },
    ]);
    expect(outcome.stderr).toContain(rows[0]?.summary.replace('the run failed: ', ''));
  });

  it('closes the runs of its window a killed process left open (FAILED, abandoned), then runs', async () => {
    await db.dataSource.query(
      `INSERT INTO reconciliation_runs (id, provider_id, window_from, window_to, started_at)
       VALUES ('killed-run', 'dtone', '2026-11-26T00:00:00Z', '2026-11-27T00:00:00Z', now() - interval '1 hour'),
              ('other-window-run', 'dtone', '2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z', now() - interval '1 hour')`,
    );
    const outcome = await runWith(['--date', '2026-11-26']);
    expect(outcome.code).toBe(0);
    const rows = (await db.dataSource.query(
      `SELECT id, outcome, summary FROM reconciliation_runs WHERE window_from IN ('2026-11-26T00:00:00Z', '2026-11-25T00:00:00Z')
       ORDER BY started_at, id`,
    )) as { id: string; outcome: string | null; summary: string | null }[];
    expect(rows).toEqual([
      { id: 'killed-run', outcome: 'FAILED', summary: expect.stringMatching(/^the run was abandoned: /) },
      { id: 'other-window-run', outcome: null, summary: null },
      { id: expect.any(String), outcome: 'MATCHED', summary: expect.any(String) },
    ]);
  });

  it('exits 2 when the provider refuses our credentials: configuration, not a glitch to retry', async () => {
    const outcome = await runWith(['--date', '2026-11-28'], { DTONE_API_KEY: 'not-the-key' });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    const last = outcome.stderr.trimEnd().split('\n').at(-1);
    expect(last).toBe(
      'reconcile: the provider refused our credentials (DTONE_API_KEY/DTONE_API_SECRET): dtone refused (1000401): HTTP 401: DVS 1000401 (Unauthorized)',
    );
    expect(outcome.stderr).not.toContain('not-the-key');
  });

  describe('with a Pushgateway that refuses or is out of reach', () => {
    let gateway: Server;
    let gatewayHost: string;
    beforeAll(async () => {
      gateway = createServer((request, response) => {
        request.resume();
        request.on('end', () => response.writeHead(500).end());
      });
      await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
      gatewayHost = `127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())));

    it('tells one clean line (the gateway host and why) and keeps the exit status', async () => {
      const refused = await runWith(['--date', '2026-11-27'], { PUSHGATEWAY_URL: `http://${gatewayHost}` });
      expect(refused.code).toBe(0);
      expect(refused.stderr).toContain(
        `\nreconcile: warning: the metrics were not pushed to PUSHGATEWAY_URL (${gatewayHost}): HTTP 500\n`,
      );
      const unreachable = await runWith(['--date', '2026-11-27'], { PUSHGATEWAY_URL: 'http://127.0.0.1:1' });
      expect(unreachable.code).toBe(0);
      expect(unreachable.stderr).toContain(
        '\nreconcile: warning: the metrics were not pushed to PUSHGATEWAY_URL (127.0.0.1:1): ECONNREFUSED\n',
      );
    });
  });
});
