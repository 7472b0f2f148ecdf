import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReportFolderUnusable } from './report-files.errors';
import {
  basicInstant,
  prepareReportFolder,
  reportBaseName,
  writeFileAtomically,
  writeReportFiles,
} from './report-files';

describe('report file names', () => {
  it('are <provider>-<from>-<to> with the instants in ISO 8601 basic form, no colon', () => {
    expect(reportBaseName('dtone', new Date('2026-11-30T00:00:00Z'), new Date('2026-12-01T00:00:00Z'))).toBe(
      'dtone-20261130T000000Z-20261201T000000Z',
    );
    expect(basicInstant(new Date('2026-11-30T06:30:15.250Z'))).toBe('20261130T063015.250Z');
  });
});

describe('writeReportFiles', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'reconciler-report-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the folder and writes the JSON, the summary and the metrics, nothing else left behind', async () => {
    const dir = path.join(root, 'reports', 'reconciliation');
    const report = { version: 1, outcome: 'MATCHED', counts: { ours: 2 } };
    const paths = await writeReportFiles(dir, 'dtone-20261130T000000Z-20261201T000000Z', {
      report,
      summary: 'all matched',
      metrics: '# HELP x y\nx 1\n',
    });
    expect(paths).toEqual({
      json: path.join(dir, 'dtone-20261130T000000Z-20261201T000000Z.json'),
      txt: path.join(dir, 'dtone-20261130T000000Z-20261201T000000Z.txt'),
      prom: path.join(dir, 'dtone-20261130T000000Z-20261201T000000Z.prom'),
    });
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toEqual(report);
    expect(readFileSync(paths.json, 'utf8')).toMatch(/^\{\n {2}"version": 1,[\s\S]*\}\n$/);
    expect(readFileSync(paths.txt, 'utf8')).toBe('all matched\n');
    expect(readFileSync(paths.prom, 'utf8')).toBe('# HELP x y\nx 1\n');
    expect(readdirSync(dir).sort()).toEqual(
      ['json', 'prom', 'txt'].map((ext) => `dtone-20261130T000000Z-20261201T000000Z.${ext}`),
    );
  });

  it('replaces the files of an earlier run whole', async () => {
    const first = await writeReportFiles(root, 'p-a-b', {
      report: { run: 1, long: 'x'.repeat(10_000) },
      summary: 'one',
      metrics: '',
    });
    await writeReportFiles(root, 'p-a-b', { report: { run: 2 }, summary: 'two\n', metrics: '' });
    expect(JSON.parse(readFileSync(first.json, 'utf8'))).toEqual({ run: 2 });
    expect(readFileSync(first.txt, 'utf8')).toBe('two\n');
  });
});

describe('writeReportFiles that cannot write a file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'reconciler-report-refused-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rejects with ReportFolderUnusable naming the folder and the code', async () => {
    // a folder that is not empty where the summary should go: its rename fails
    mkdirSync(path.join(root, 'p-a-b.txt', 'inside'), { recursive: true });
    const error: unknown = await writeReportFiles(root, 'p-a-b', { report: {}, summary: 's', metrics: '' }).catch(
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ReportFolderUnusable);
    expect((error as ReportFolderUnusable).message).toMatch(
      new RegExp(`^cannot write report files in ${root}: E[A-Z]+`),
    );
    expect(readdirSync(root)).toEqual(['p-a-b.txt']);
  });
});

describe('writeFileAtomically', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'reconciler-atomic-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('leaves the old file and no temporary file when the rename fails', async () => {
    const file = path.join(root, 'report.json');
    writeFileSync(file, 'old');
    // a folder that is not empty where the file should be: the rename over it fails
    mkdirSync(path.join(root, 'dir.json'));
    mkdirSync(path.join(root, 'dir.json', 'inside'));
    await expect(writeFileAtomically(path.join(root, 'dir.json'), 'new')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(root).sort()).toEqual(['dir.json', 'report.json']);
    // a folder that does not exist: nothing is written
    await expect(writeFileAtomically(path.join(root, 'missing', 'x.json'), 'y')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(root).sort()).toEqual(['dir.json', 'report.json']);
  });
});

describe('prepareReportFolder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'reconciler-folder-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const refusal = async (folder: string): Promise<ReportFolderUnusable> => {
    const error: unknown = await prepareReportFolder(folder).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    if (!(error instanceof ReportFolderUnusable))
      throw new Error(`expected ${folder} to be refused, got ${String(error)}`);
    return error;
  };

  it('creates the missing folders and leaves nothing behind (its probe file removed)', async () => {
    const folder = path.join(root, 'a', 'b', 'c');
    await prepareReportFolder(folder);
    expect(readdirSync(folder)).toEqual([]);
    // an existing folder is fine too, relative paths as well
    await prepareReportFolder(folder);
    await prepareReportFolder(path.relative(process.cwd(), folder));
    expect(readdirSync(root)).toEqual(['a']);
  });

  it('refuses a file, or a path through a file, with the code and why, naming the folder', async () => {
    const file = path.join(root, 'report.txt');
    writeFileSync(file, 'a file');
    const asFolder = await refusal(file);
    expect(asFolder).toMatchObject({ folder: file, systemCode: 'ENOTDIR' });
    expect(asFolder.message).toBe(`cannot write report files in ${file}: ENOTDIR (a part of the path is not a folder)`);
    expect(await refusal(path.join(file, 'sub'))).toMatchObject({
      folder: path.join(file, 'sub'),
      systemCode: 'ENOTDIR',
    });
    expect(await refusal(path.join(file, 'sub', 'deeper'))).toMatchObject({ systemCode: 'ENOTDIR' });
    expect(readFileSync(file, 'utf8')).toBe('a file');
  });

  const linux = process.platform === 'linux' ? it : it.skip;
  linux('refuses a folder under /proc at once (a recursive mkdir there never ends on node 20)', async () => {
    const started = Date.now();
    expect(await refusal('/proc/nu11')).toMatchObject({ folder: '/proc/nu11' });
    expect(await refusal('/proc/nu11/deeper/still')).toMatchObject({ folder: '/proc/nu11/deeper/still' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
