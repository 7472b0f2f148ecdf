// The CHANGELOG rule of @airtime/domain: one entry `## <version>` per
// version, newest first, each saying what changed and recording the hash of
// that version's API reports in one line `API report: `<hash>``. A recorded
// hash is immutable unless the entry's heading says `(unreleased)`, so an API
// change always comes with a new version and an entry. Pure functions over
// the CHANGELOG's text; the API report script and the specs call them.
import { normalizedText, reportHashLine } from './domain-package';

/** One entry of the CHANGELOG: its heading, version, whether unreleased, and its body. */
export interface ChangelogEntry {
  readonly heading: string;
  readonly version: string;
  readonly unreleased: boolean;
  /** The hashes of the body's well-formed `API report:` lines, in order. */
  readonly hashes: readonly string[];
  /** The body's `API report:` lines that are not `API report: \`<16 hex digits>\``. */
  readonly malformed: readonly string[];
  /** Whether the body says something besides its `API report:` lines. */
  readonly described: boolean;
  /** Where the body lies in the (normalized) text: after the heading line, up to the next `## `. */
  readonly start: number;
  readonly end: number;
}

/** A CHANGELOG read: its entries top to bottom, and the `## ` headings that are not an entry's. */
export interface Changelog {
  readonly text: string;
  readonly entries: readonly ChangelogEntry[];
  readonly unreadable: readonly string[];
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;
const HEADING = /^## (\S+)( \(unreleased\))?$/;
const HASH_LINE = /^API report: `([0-9a-f]{16})`$/;

/** Reads the CHANGELOG's entries (line ends normalized). Never throws: what it cannot read is in `unreadable`. */
export const parseChangelog = (changelog: string): Changelog => {
  const text = normalizedText(changelog);
  const headings = [...text.matchAll(/^## .*$/gm)];
  const entries: ChangelogEntry[] = [];
  const unreadable: string[] = [];
  headings.forEach((match, index) => {
    const heading = match[0];
    const parsed = HEADING.exec(heading);
    if (parsed?.[1] === undefined || !VERSION.test(parsed[1])) {
      unreadable.push(heading);
      return;
    }
    const start = match.index + heading.length;
    const end = headings[index + 1]?.index ?? text.length;
    const lines = text.slice(start, end).split('\n');
    const hashLines = lines.filter((line) => line.startsWith('API report:'));
    entries.push({
      heading,
      version: parsed[1],
      unreleased: parsed[2] !== undefined,
      hashes: hashLines.flatMap((line) => HASH_LINE.exec(line)?.[1] ?? []),
      malformed: hashLines.filter((line) => !HASH_LINE.test(line)),
      described: lines.some((line) => line.trim() !== '' && !line.startsWith('API report:')),
      start,
      end,
    });
  });
  return { text, entries, unreadable };
};

/** Semantic version precedence: negative when `a` is older than `b`, 0 when equal, positive when newer. */
export const compareVersions = (a: string, b: string): number => {
  const [, ...partsA] = VERSION.exec(a) ?? [];
  const [, ...partsB] = VERSION.exec(b) ?? [];
  for (let i = 0; i < 3; i++) {
    const difference = Number(partsA[i]) - Number(partsB[i]);
    if (difference !== 0) return difference;
  }
  const [preA, preB] = [partsA[3], partsB[3]];
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  const [idsA, idsB] = [preA.split('.'), preB.split('.')];
  for (let i = 0; i < Math.min(idsA.length, idsB.length); i++) {
    const [x = '', y = ''] = [idsA[i], idsB[i]];
    if (x === y) continue;
    const [numericX, numericY] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (numericX && numericY) return Number(x) - Number(y);
    if (numericX !== numericY) return numericX ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return idsA.length - idsB.length;
};

/** What to do when the API changed after its entry was released. */
export const bumpAdvice = (version: string): string =>
  `bump "version" in libs/airtime-domain/package.json (now ${version}), add an entry "## <new version>" at the top ` +
  'of libs/airtime-domain/CHANGELOG.md describing the change (breaking or not; "## <new version> (unreleased)" ' +
  'while it is not published), then record: `npm run domain:api-report -- --record`';

const RECORD = 'run `npm run domain:api-report -- --record`';

/** The problems of the current version's entry against the current reports' hash. */
const currentEntryProblems = (entry: ChangelogEntry | undefined, version: string, hash: string): string[] => {
  if (entry === undefined) return [`no entry "## ${version}" for the version of package.json: ${bumpAdvice(version)}`];
  if (entry.hashes.includes(hash)) return [];
  if (entry.hashes.length === 0)
    return [`"${entry.heading}" records no API report: ${RECORD} (it writes ${reportHashLine(hash)})`];
  return entry.unreleased
    ? [`the API report changed (hash now ${hash}): ${RECORD} to record it in "${entry.heading}"`]
    : [
        `the API report changed (hash now ${hash}) since "${entry.heading}" was released with ${entry.hashes.join(', ')}; ` +
          `a released entry's hash never changes: ${bumpAdvice(version)}`,
      ];
};

/** The problems of each entry alone: its hash lines and its description. */
const entryProblems = (entry: ChangelogEntry): string[] => [
  ...entry.malformed.map((line) => `"${entry.heading}" has "${line}", not ${reportHashLine('<16 hex digits>')}`),
  ...(!entry.unreleased && entry.hashes.length + entry.malformed.length !== 1
    ? [
        `"${entry.heading}" is released and has ${entry.hashes.length + entry.malformed.length} API report lines, not exactly one`,
      ]
    : []),
  ...(entry.unreleased && entry.hashes.length + entry.malformed.length > 1
    ? [`"${entry.heading}" has ${entry.hashes.length + entry.malformed.length} API report lines, not one at most`]
    : []),
  ...(entry.described ? [] : [`"${entry.heading}" says nothing besides its hash: describe what changed`]),
];

/**
 * Every way the CHANGELOG breaks the rule for the package at `version`
 * (libs/airtime-domain/package.json) whose reports hash to `hash`; empty when
 * it keeps it. The rule: each `## ` heading is `## <version>` or
 * `## <version> (unreleased)`; versions strictly decrease from the top; only
 * the top entry may be unreleased; every entry describes its change; a
 * released entry has exactly one `API report:` line, an unreleased one at
 * most one (a release that changes no API, a fix, records the same hash as
 * the one below); the top entry is `version`'s, and it records `hash`.
 */
export const changelogProblems = (changelog: string, version: string, hash: string): string[] => {
  const { entries, unreadable } = parseChangelog(changelog);
  const problems = unreadable.map((heading) => `"${heading}" is not "## <version>" or "## <version> (unreleased)"`);
  entries.forEach((entry, index) => {
    const above = entries[index - 1];
    if (above !== undefined && compareVersions(above.version, entry.version) <= 0) {
      problems.push(`"${above.heading}" is above "${entry.heading}": versions must decrease strictly from the top`);
    }
    if (index > 0 && entry.unreleased)
      problems.push(`"${entry.heading}" is not the top entry: only that may be unreleased`);
    problems.push(...entryProblems(entry));
  });
  const [top] = entries;
  if (top !== undefined && top.version !== version) {
    problems.push(`libs/airtime-domain/package.json has version ${version} but the top entry is "${top.heading}"`);
  }
  problems.push(
    ...currentEntryProblems(
      entries.find((entry) => entry.version === version),
      version,
      hash,
    ),
  );
  return problems.map((problem) => `libs/airtime-domain/CHANGELOG.md: ${problem}`);
};

/** What `--record` did: the CHANGELOG with the hash recorded (maybe unchanged), or why it refused. */
export type RecordOutcome =
  | { readonly _tag: 'Recorded'; readonly changelog: string; readonly changed: boolean }
  | { readonly _tag: 'Refused'; readonly reason: string };

/**
 * Records `hash` in the entry `## <version>`: its one `API report:` line
 * replaced, or the line added at the entry's end. Refused when there is no
 * such entry, when it has more than one such line, or when it is released
 * and already records another hash (a released hash is immutable: the reason
 * says to bump the version and add an entry). An entry that already records
 * `hash` is left as it is.
 */
export const recordReportHash = (changelog: string, version: string, hash: string): RecordOutcome => {
  const { text, entries } = parseChangelog(changelog);
  const entry = entries.find((candidate) => candidate.version === version);
  const where = 'libs/airtime-domain/CHANGELOG.md';
  if (entry === undefined)
    return { _tag: 'Refused', reason: `${where} has no entry "## ${version}": ${bumpAdvice(version)}` };
  const lines = entry.hashes.length + entry.malformed.length;
  if (lines > 1) return { _tag: 'Refused', reason: `"${entry.heading}" has ${lines} API report lines: keep one` };
  if (entry.hashes.includes(hash)) return { _tag: 'Recorded', changelog: text, changed: false };
  if (lines === 1 && !entry.unreleased) {
    return {
      _tag: 'Refused',
      reason:
        `"${entry.heading}" is released and records another API report hash, which never changes ` +
        `(only an entry headed "## <version> (unreleased)" may be recorded again): ${bumpAdvice(version)}`,
    };
  }
  const body = text.slice(entry.start, entry.end);
  const recorded =
    lines === 1
      ? body.replace(/^API report:.*$/m, () => reportHashLine(hash))
      : `${body.trimEnd()}\n\n${reportHashLine(hash)}\n${entry.end === text.length ? '' : '\n'}`;
  return { _tag: 'Recorded', changelog: text.slice(0, entry.start) + recorded + text.slice(entry.end), changed: true };
};
