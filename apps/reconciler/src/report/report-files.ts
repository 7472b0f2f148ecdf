// The report files of a run: `<dir>/<provider>-<from>-<to>.json` (the JSON
// report), `.txt` (the human summary) and `.prom` (the run's metrics, the
// Prometheus text format), the instants in ISO 8601 basic form
// (20261130T000000Z) so that the names hold no colon. Each file is written
// atomically: to a temporary file beside it, flushed to disk, then renamed
// over the old one, so a reader (or a crash) never sees half a report. The
// folder is created when missing.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

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
 * Creates `dir` when missing and writes the three files of `baseName`, each
 * atomically (the JSON last: its presence says the run's files are all
 * there). Answers their paths; rejects with the file system's error.
 */
export const writeReportFiles = async (
  dir: string,
  baseName: string,
  contents: ReportFileContents,
): Promise<ReportFilePaths> => {
  await mkdir(dir, { recursive: true });
  const paths = reportFilePaths(dir, baseName);
  await writeFileAtomically(paths.txt, contents.summary.endsWith('\n') ? contents.summary : `${contents.summary}\n`);
  await writeFileAtomically(paths.prom, contents.metrics);
  await writeFileAtomically(paths.json, `${JSON.stringify(contents.report, null, 2)}\n`);
  return paths;
};
