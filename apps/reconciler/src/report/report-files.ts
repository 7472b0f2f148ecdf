// The report files of a run: `<dir>/<provider>-<from>-<to>.json` (the JSON
// report), `.txt` (the human summary) and `.prom` (the run's metrics, the
// Prometheus text format), the instants in ISO 8601 basic form
// (20261130T000000Z) so that the names hold no colon. Each file is written
// atomically: to a temporary file beside it, flushed to disk, then renamed
// over the old one, so a reader (or a crash) never sees half a report. The
// folder is created and proved writable before a run starts
// (prepareReportFolder), so a bad folder stops the run before it does anything.
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ReportFolderUnusable } from './report-files.errors';

/** An instant as ISO 8601 basic UTC to the second (milliseconds kept only when not zero): 20261130T000000Z. */
export const basicInstant = (instant: Date): string => {
  const iso = instant.toISOString();
  const text = iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
  return text.replace(/[-:]/g, '');
};

/** `<provider>-<from>-<to>`, e.g. `dtone-20261130T000000Z-20261201T000000Z`. */
export const reportBaseName = (providerId: string, from: Date, to: Date): string =>
  `${providerId}-${basicInstant(from)}-${basicInstant(to)}`;

/**
 * Writes `text` to `file` atomically (temporary file in the same folder,
 * fsync, rename). Rejects with the file system's error (the temporary file
 * removed); the file is then left as it was.
 */
export const writeFileAtomically = async (file: string, text: string): Promise<void> => {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
};

/** The deepest folder path walked: far beyond any real one, it bounds the walk whatever the file system answers. */
const MAX_DEPTH = 256;

const systemCodeOf = (error: unknown): string => {
  const code = (error as { readonly code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
};

/** The folders of `absolute` that do not exist yet, outermost first; rejects when a part of it is not a folder. */
const missingFoldersOf = async (absolute: string): Promise<readonly string[]> => {
  const missing: string[] = [];
  let current = absolute;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const found = await stat(current).then(
      (stats) => (stats.isDirectory() ? 'folder' : 'other'),
      (error: unknown) => {
        if (systemCodeOf(error) === 'ENOENT') return 'missing';
        throw error;
      },
    );
    if (found === 'folder') return missing;
    if (found === 'other') throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  throw Object.assign(new Error(`${absolute} is too deep`), { code: 'ENAMETOOLONG' });
};

/** Creates the missing folders of `absolute` one by one, outermost first; rejects with the file system's error. */
const makeMissingFolders = async (absolute: string): Promise<void> => {
  for (const folder of await missingFoldersOf(absolute)) {
    await mkdir(folder).catch(async (error: unknown) => {
      // made meanwhile by someone else: fine when it is a folder
      if (systemCodeOf(error) !== 'EEXIST' || !(await stat(folder)).isDirectory()) throw error;
    });
  }
};

/**
 * Recreates `dir` when it went missing since prepareReportFolder proved it
 * writable (the missing folders only: no probe file). Rejects with
 * `ReportFolderUnusable` (`folder` as given, the file system's code).
 */
export const recreateReportFolder = async (dir: string): Promise<void> => {
  try {
    await makeMissingFolders(path.resolve(dir));
  } catch (error) {
    throw new ReportFolderUnusable({ folder: dir, systemCode: systemCodeOf(error) });
  }
};

/**
 * Makes sure the report files can be written in `dir` before a run starts:
 * creates the missing folders one by one (never node's recursive mkdir,
 * which loops forever under /proc on node 20), then writes and removes a
 * probe file. Bounded whatever the file system answers. Rejects with
 * `ReportFolderUnusable` (`folder` as given, the file system's code: ENOTDIR
 * for a file or a path through one, EACCES, EROFS, ENOENT under /proc...).
 */
export const prepareReportFolder = async (dir: string): Promise<void> => {
  try {
    const absolute = path.resolve(dir);
    await makeMissingFolders(absolute);
    const probe = path.join(absolute, `.probe.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new ReportFolderUnusable({ folder: dir, systemCode: systemCodeOf(error) });
  }
};

export interface ReportFileContents {
  /** The JSON report (written pretty-printed, with a final newline). */
  readonly report: unknown;
  /** The human summary. */
  readonly summary: string;
  /** The run's metrics in the Prometheus text format. */
  readonly metrics: string;
}

export interface ReportFilePaths {
  readonly json: string;
  readonly txt: string;
  readonly prom: string;
}

/** The paths of the report files of `baseName` in `dir`. */
export const reportFilePaths = (dir: string, baseName: string): ReportFilePaths => ({
  json: path.join(dir, `${baseName}.json`),
  txt: path.join(dir, `${baseName}.txt`),
  prom: path.join(dir, `${baseName}.prom`),
});

/**
 * Creates `dir` when missing (recreateReportFolder: prepareReportFolder
 * proved it writable before the run) and writes the three
 * files of `baseName`, each atomically (the JSON last: its presence says the
 * run's files are all there). Answers their paths; rejects with
 * `ReportFolderUnusable` (the file system's code: ENOSPC...).
 */
export const writeReportFiles = async (
  dir: string,
  baseName: string,
  contents: ReportFileContents,
): Promise<ReportFilePaths> => {
  await recreateReportFolder(dir);
  const paths = reportFilePaths(dir, baseName);
  try {
    await writeFileAtomically(paths.txt, contents.summary.endsWith('\n') ? contents.summary : `${contents.summary}\n`);
    await writeFileAtomically(paths.prom, contents.metrics);
    await writeFileAtomically(paths.json, `${JSON.stringify(contents.report, null, 2)}\n`);
  } catch (error) {
    throw new ReportFolderUnusable({ folder: dir, systemCode: systemCodeOf(error) });
  }
  return paths;
};
