// The API report of @airtime/domain: api-extractor run over a built
// package's declarations, one report per entry, formatted with prettier and
// compared with the committed libs/airtime-domain/api/*.api.md (or written
// there). `npm run domain:api-report` builds the package into a temporary
// folder, updates the reports and checks the CHANGELOG (`-- --record` also
// records the hash in the current version's entry, unless it is released
// with another hash); the integration spec checks them.
import { CompilerState, Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDomainPackage } from './build-domain-package';
import { changelogProblems, recordReportHash } from './domain-changelog';
import {
  apiReportFolder,
  ENTRIES,
  type DomainEntry,
  libRoot,
  normalizedText,
  reportHashLine,
  reportHashOf,
  workspaceRoot,
} from './domain-package';

/** One entry's report: as the current declarations give it, and as committed (undefined when missing). */
export interface EntryReport {
  readonly entry: DomainEntry;
  /** The committed file, e.g. libs/airtime-domain/api/airtime-domain.api.md. */
  readonly file: string;
  readonly current: string;
  readonly committed: string | undefined;
}

const relative = (file: string): string => path.relative(workspaceRoot, file);

/**
 * `text` formatted by prettier as the repository's file `file` would be
 * (its CLI in a child process: prettier's API loads itself with a dynamic
 * import, which jest refuses). Throws an Error with prettier's complaint.
 */
const formatted = (text: string, file: string): string => {
  const result = spawnSync(path.join(workspaceRoot, 'node_modules/.bin/prettier'), ['--stdin-filepath', file], {
    cwd: workspaceRoot,
    input: text,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`prettier could not format ${relative(file)}: ${result.stderr}`);
  return result.stdout;
};

/** api-extractor's config of one entry, reading `<packageDir>/cjs/<entry>.d.ts` and writing its report into `scratch`. */
const extractorConfigOf = (entry: DomainEntry, packageDir: string, scratch: string): ExtractorConfig => {
  const configFile = path.join(libRoot, entry.config);
  const configObject = ExtractorConfig.loadFile(configFile);
  configObject.mainEntryPointFilePath = path.join(packageDir, 'cjs', `${entry.stem}.d.ts`);
  configObject.apiReport = {
    ...configObject.apiReport,
    enabled: true,
    reportFolder: scratch,
    reportTempFolder: path.join(scratch, 'temp'),
  };
  return ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: configFile,
    packageJsonFullPath: path.join(libRoot, 'package.json'),
  });
};

/**
 * Runs api-extractor with `config` (sharing one compilation across the
 * entries) and answers the report text: the package folder's path left out,
 * formatted as the repository formats markdown. Throws an Error with
 * api-extractor's errors (a declaration that does not compile, a wrong input file).
 */
const reportOf = (
  entry: DomainEntry,
  config: ExtractorConfig,
  compilerState: CompilerState,
  packageDir: string,
): string => {
  const errors: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    compilerState,
    messageCallback: (message: ExtractorMessage) => {
      if (message.logLevel === 'error') errors.push(message.formatMessageWithLocation(workspaceRoot));
      message.handled = true;
    },
  });
  if (!result.succeeded || errors.length > 0) {
    throw new Error(`api-extractor failed on the ${entry.exportPath} entry:\n${errors.join('\n')}`);
  }
  const text = normalizedText(readFileSync(config.reportFilePath, 'utf8')).split(`${packageDir}${path.sep}`).join('');
  return formatted(text, path.join(apiReportFolder, entry.report));
};

/** The reports of every entry of the package built in `packageDir`, beside the committed ones. */
export const apiReports = (packageDir: string): EntryReport[] => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'airtime-domain-api-'));
  try {
    const configs = ENTRIES.map((entry) => extractorConfigOf(entry, packageDir, scratch));
    const [first, ...others] = configs;
    if (first === undefined) throw new Error('no entry to report');
    const compilerState = CompilerState.create(first, {
      additionalEntryPoints: others.map((config) => config.mainEntryPointFilePath),
    });
    const reports: EntryReport[] = [];
    for (const [index, entry] of ENTRIES.entries()) {
      const file = path.join(apiReportFolder, entry.report);
      const config = configs[index];
      if (config === undefined) throw new Error(`no config for ${entry.exportPath}`);
      const current = reportOf(entry, config, compilerState, packageDir);
      const committed = existsSync(file) ? normalizedText(readFileSync(file, 'utf8')) : undefined;
      reports.push({ entry, file, current, committed });
    }
    return reports;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

/** The hash of the reports as they now are (what the CHANGELOG entry records). */
export const currentReportHash = (reports: readonly EntryReport[]): string =>
  reportHashOf(reports.map((report) => ({ name: report.entry.report, text: report.current })));

const MAX_SHOWN_LINES = 30;

/** The lines only one side has, `-` committed and `+` current, at most MAX_SHOWN_LINES. */
const changedLines = (committed: string, current: string): string[] => {
  const before = committed.split('\n');
  const after = current.split('\n');
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const lines = [
    ...before.filter((line) => !afterSet.has(line)).map((line) => `- ${line}`),
    ...after.filter((line) => !beforeSet.has(line)).map((line) => `+ ${line}`),
  ];
  return lines.length > MAX_SHOWN_LINES
    ? [...lines.slice(0, MAX_SHOWN_LINES), `  … ${lines.length - MAX_SHOWN_LINES} more`]
    : lines;
};

/**
 * Why the committed reports do not match the exported API, with what to do,
 * or undefined when every report is up to date.
 */
export const staleReportMessage = (reports: readonly EntryReport[]): string | undefined => {
  const stale = reports.filter((report) => report.committed !== report.current);
  if (stale.length === 0) return undefined;
  const details = stale.map((report) =>
    report.committed === undefined
      ? `${relative(report.file)} is missing.`
      : `${relative(report.file)} differs from the exported API of ${report.entry.exportPath === '.' ? '@airtime/domain' : `@airtime/domain/${report.entry.stem}`}:\n${changedLines(report.committed, report.current).join('\n')}`,
  );
  return [
    'The exported API of @airtime/domain changed, and its API report (committed in libs/airtime-domain/api/) was not updated.',
    ...details,
    'If the change is meant: run `npm run domain:api-report` (it rewrites libs/airtime-domain/api/*.api.md) and review',
    "the diff. A released CHANGELOG entry's hash never changes, so unless the top entry of libs/airtime-domain/CHANGELOG.md",
    'is headed "## <version> (unreleased)": bump "version" in libs/airtime-domain/package.json and add an entry',
    '"## <new version>" at the top describing the change (breaking or not). Then run',
    `\`npm run domain:api-report -- --record\` (it writes ${reportHashLine(currentReportHash(reports))} into that entry).`,
    'If it is not meant: put the exports of libs/airtime-domain/src/index.ts (or testing.ts) back as they were.',
  ].join('\n');
};

/** Writes the current reports over the committed ones; answers the files that changed. */
export const writeApiReports = (reports: readonly EntryReport[]): string[] => {
  mkdirSync(apiReportFolder, { recursive: true });
  const changed = reports.filter((report) => report.committed !== report.current);
  for (const report of changed) writeFileSync(report.file, report.current);
  return changed.map((report) => relative(report.file));
};

/** What the CHANGELOG step of the script did: whether it succeeded, and the lines to print. */
export interface ChangelogStep {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/**
 * Checks `changelogFile` (the lib's CHANGELOG.md) against the package at
 * `version` whose reports hash to `hash`; with `record`, first records the
 * hash in the entry `## <version>` (rewriting the file only when that
 * changes it). Not ok when `--record` is refused (a released entry's hash
 * is immutable) or, with `record`, when the CHANGELOG still breaks the rule;
 * without `record` the problems are printed as advice and it stays ok.
 */
export const changelogStep = (changelogFile: string, version: string, hash: string, record: boolean): ChangelogStep => {
  const changelog = readFileSync(changelogFile, 'utf8');
  const recorded = record ? recordReportHash(changelog, version, hash) : undefined;
  if (recorded?._tag === 'Refused') return { ok: false, lines: [`--record refused: ${recorded.reason}`] };
  if (recorded?.changed === true) writeFileSync(changelogFile, recorded.changelog);
  const problems = changelogProblems(recorded?.changelog ?? changelog, version, hash);
  const done =
    recorded?.changed === true ? `CHANGELOG.md entry ${version} now records ${reportHashLine(hash)}` : undefined;
  if (problems.length === 0) {
    return { ok: true, lines: [done ?? `CHANGELOG.md entry ${version} records ${reportHashLine(hash)}`] };
  }
  return { ok: !record, lines: [...(done === undefined ? [] : [done]), ...problems] };
};

const main = (): void => {
  const packageDir = mkdtempSync(path.join(os.tmpdir(), 'airtime-domain-package-'));
  try {
    const manifest = buildDomainPackage(packageDir);
    const reports = apiReports(packageDir);
    const changed = writeApiReports(reports);
    console.log(changed.length === 0 ? 'API reports unchanged' : `API reports updated: ${changed.join(', ')}`);
    const step = changelogStep(
      path.join(libRoot, 'CHANGELOG.md'),
      String(manifest['version']),
      currentReportHash(reports),
      process.argv.includes('--record'),
    );
    (step.ok ? console.log : console.error)(step.lines.join('\n'));
    if (!step.ok) process.exitCode = 1;
  } finally {
    rmSync(packageDir, { recursive: true, force: true });
  }
};

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
