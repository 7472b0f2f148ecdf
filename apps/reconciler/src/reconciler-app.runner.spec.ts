// The runs that stop before anything is opened: help, bad arguments, bad
// configuration, a provider other than the configured one. Each answers its
// exit status with one line (or the list of problems) on stderr, nothing on
// stdout but the help.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runReconciler } from './reconciler-app.runner';

const NOW = new Date('2026-12-01T02:00:00Z');

const runWith = async (argv: readonly string[], env: Record<string, string | undefined> = {}) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runReconciler({
    argv,
    env: {
      DATABASE_URL: 'postgres://app:s3cr3t@127.0.0.1:1/books',
      DTONE_API_KEY: 'key',
      DTONE_API_SECRET: 'secret',
      ...env,
    },
    stdout: { write: (text) => stdout.push(text) },
    stderr: { isTTY: false, write: (text) => stderr.push(text) },
    now: () => NOW,
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
};

describe('runReconciler before a run', () => {
  it('prints the usage on stdout for --help and exits 0', async () => {
    const outcome = await runWith(['--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Reconciles one window of our books/);
    expect(outcome.stdout).toContain('npm run reconcile -- [--date YYYY-MM-DD | --from ISO --to ISO]');
    expect(outcome.stderr).toBe('');
  });

  it('exits 2 with one line for bad arguments, pointing at --help', async () => {
    const outcome = await runWith(['--date', 'yesterday']);
    expect(outcome).toEqual({
      code: 2,
      stdout: '',
      stderr: 'reconcile: --date: expected a calendar day YYYY-MM-DD (UTC), from 2000 (npm run reconcile -- --help)\n',
    });
  });

  it('exits 2 listing every configuration problem, never a value', async () => {
    const outcome = await runWith([], {
      DATABASE_URL: undefined,
      PROVIDER: 'dtone',
      DTONE_API_KEY: 'key',
      DTONE_API_SECRET: 's3cr3t value',
      RECONCILE_DECISION_AFTER_MS: 'tomorrow',
    });
    expect(outcome).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'reconcile: invalid configuration',
        '  DATABASE_URL: required, postgres://user@host:port/database (the books to reconcile)',
        '  DTONE_API_SECRET: required, non-empty, no spaces',
        '  RECONCILE_DECISION_AFTER_MS: expected an integer from 0 to 7776000000 (ms, up to 90 days)',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 when --provider is not the configured provider, before opening the database', async () => {
    expect(await runWith(['--provider', 'simulator'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'reconcile: --provider: expected dtone (the provider PROVIDER configures), africastalking or engagespark\n',
    });
  });

  it("exits 2 listing the missing variables of --provider africastalking's own adapter", async () => {
    const outcome = await runWith(['--provider', 'africastalking'], { DTONE_API_KEY: '', DTONE_API_SECRET: '' });
    expect(outcome).toMatchObject({ code: 2, stdout: '' });
    expect(outcome.stderr).toMatch(
      /^reconcile: invalid configuration\n {2}AFRICASTALKING_USERNAME is required\n {2}AFRICASTALKING_API_KEY is required\n$/,
    );
  });

  it('exits 2 for the in-process simulator: it has no books to reconcile', async () => {
    expect(await runWith([], { PROVIDER: 'simulator' })).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'reconcile: invalid configuration',
        '  PROVIDER: the in-process simulator has no books to reconcile; use simulator-http or dtone',
        '',
      ].join('\n'),
    });
  });

  describe('with a report folder it cannot write to (checked before anything runs: the database is out of reach here)', () => {
    let root: string;
    let file: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'reconciler-runner-folder-'));
      file = path.join(root, 'a-file');
      writeFileSync(file, '');
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('exits 2 with one line naming --report-dir and why', async () => {
      for (const folder of [file, path.join(file, 'sub')]) {
        expect(await runWith(['--date', '2026-11-30', '--report-dir', folder])).toEqual({
          code: 2,
          stdout: '',
          stderr: `reconcile: --report-dir: cannot write report files in ${folder}: ENOTDIR (a part of the path is not a folder)\n`,
        });
      }
      expect(readdirSync(root)).toEqual(['a-file']);
    });

    it('names RECONCILE_REPORT_DIR when the folder is the configured one', async () => {
      expect(await runWith(['--date', '2026-11-30'], { RECONCILE_REPORT_DIR: file })).toEqual({
        code: 2,
        stdout: '',
        stderr: `reconcile: RECONCILE_REPORT_DIR: cannot write report files in ${file}: ENOTDIR (a part of the path is not a folder)\n`,
      });
    });

    const linux = process.platform === 'linux' ? it : it.skip;
    linux('exits 2 at once for a folder under /proc', async () => {
      const outcome = await runWith(['--date', '2026-11-30', '--report-dir', '/proc/nu11']);
      expect(outcome).toMatchObject({ code: 2, stdout: '' });
      expect(outcome.stderr).toMatch(
        /^reconcile: --report-dir: cannot write report files in \/proc\/nu11: E[A-Z]+.*\n$/,
      );
    });
  });
});
