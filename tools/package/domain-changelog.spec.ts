// The CHANGELOG rule on made-up CHANGELOGs: released hashes immutable, one
// entry per version newest first, the top one the package's version with the
// current hash; `--record` refusing to rewrite a released entry.
import fc from 'fast-check';
import { changelogProblems, compareVersions, parseChangelog, recordReportHash } from './domain-changelog';
import { reportHashLine } from './domain-package';

const OLD = '1111111111111111';
const NEW = '2222222222222222';

/** A CHANGELOG of `entries` (heading, then description and hash lines), newest first. */
const changelogOf = (...entries: readonly (readonly [heading: string, ...lines: string[]])[]): string =>
  [
    '# Changelog',
    '',
    'About the rule.',
    '',
    ...entries.flatMap(([heading, ...lines]) => [heading, '', ...lines, '']),
  ].join('\n');

const released = changelogOf(
  ['## 0.2.0', 'Added b.', '', reportHashLine(NEW)],
  ['## 0.1.0', 'First.', '', reportHashLine(OLD)],
);

describe('changelogProblems', () => {
  it('accepts entries newest first, each described with one hash, the top one current', () => {
    expect(changelogProblems(released, '0.2.0', NEW)).toEqual([]);
    expect(changelogProblems(released.replace(/\n/g, '\r\n'), '0.2.0', NEW)).toEqual([]);
    const unreleased = released.replace('## 0.2.0', '## 0.2.0 (unreleased)');
    expect(changelogProblems(unreleased, '0.2.0', NEW)).toEqual([]);
    expect(changelogProblems(unreleased.replace(reportHashLine(NEW), ''), '0.2.0', NEW)).toEqual([
      expect.stringMatching(
        /"## 0\.2\.0 \(unreleased\)" records no API report: run `npm run domain:api-report -- --record`/,
      ),
    ]);
  });

  it('refuses a released entry whose hash is not the current one, saying to bump and add an entry', () => {
    const [problem] = changelogProblems(released, '0.2.0', '3333333333333333');
    expect(problem).toContain(`since "## 0.2.0" was released with ${NEW}`);
    expect(problem).toContain('bump "version" in libs/airtime-domain/package.json (now 0.2.0)');
    expect(problem).toContain('add an entry "## <new version>"');
    expect(problem).toContain('npm run domain:api-report -- --record');
  });

  it('refuses a package.json version that is not the top entry, or has no entry', () => {
    expect(changelogProblems(released, '0.1.0', OLD)).toEqual([
      expect.stringMatching(/package\.json has version 0\.1\.0 but the top entry is "## 0\.2\.0"/),
    ]);
    expect(changelogProblems(released, '0.3.0', NEW)).toEqual([
      expect.stringMatching(/top entry is "## 0\.2\.0"/),
      expect.stringMatching(/no entry "## 0\.3\.0".*bump "version"/),
    ]);
  });

  it('refuses versions that do not decrease strictly, and an unreleased entry below the top', () => {
    const swapped = changelogOf(
      ['## 0.1.0', 'First.', reportHashLine(OLD)],
      ['## 0.2.0', 'Added b.', reportHashLine(NEW)],
    );
    expect(changelogProblems(swapped, '0.1.0', OLD)).toEqual([
      expect.stringMatching(/"## 0\.1\.0" is above "## 0\.2\.0": versions must decrease strictly/),
    ]);
    const twice = changelogOf(['## 0.1.0', 'Again.', reportHashLine(NEW)], ['## 0.1.0', 'First.', reportHashLine(OLD)]);
    expect(changelogProblems(twice, '0.1.0', NEW)).toContainEqual(expect.stringMatching(/decrease strictly/));
    const below = changelogOf(
      ['## 0.2.0', 'B.', reportHashLine(NEW)],
      ['## 0.1.0 (unreleased)', 'A.', reportHashLine(OLD)],
    );
    expect(changelogProblems(below, '0.2.0', NEW)).toEqual([expect.stringMatching(/only that may be unreleased/)]);
  });

  it('refuses a released entry without exactly one well-formed hash line, an empty entry', () => {
    const problems = (...lines: string[]) =>
      changelogProblems(changelogOf(['## 0.2.0', 'B.', reportHashLine(NEW)], ['## 0.1.0', ...lines]), '0.2.0', NEW);
    expect(problems('A.')).toEqual([expect.stringMatching(/"## 0\.1\.0" is released and has 0 API report lines/)]);
    expect(problems('A.', reportHashLine(OLD), reportHashLine('3333333333333333'))).toEqual([
      expect.stringMatching(/has 2 API report lines, not exactly one/),
    ]);
    expect(problems('A.', 'API report: `abc`')).toEqual([expect.stringMatching(/has "API report: `abc`", not/)]);
    // a release that changes no API (a fix) records the same hash as the one below
    expect(problems('A.', reportHashLine(NEW))).toEqual([]);
    expect(problems(reportHashLine(OLD))).toEqual([expect.stringMatching(/says nothing besides its hash/)]);
  });

  it('refuses a heading that is not a version, with or without "(unreleased)"', () => {
    const dated = released.replace('## 0.1.0', '## 0.1.0 - 2024-05-01');
    expect(changelogProblems(dated, '0.2.0', NEW)).toEqual([
      expect.stringMatching(/"## 0\.1\.0 - 2024-05-01" is not "## <version>" or "## <version> \(unreleased\)"/),
    ]);
  });
});

describe('recordReportHash (npm run domain:api-report -- --record)', () => {
  it('refuses to replace the hash of a released entry, leaving nothing written, and says what to do', () => {
    const outcome = recordReportHash(released, '0.2.0', '3333333333333333');
    expect(outcome._tag).toBe('Refused');
    if (outcome._tag !== 'Refused') return;
    expect(outcome.reason).toContain('"## 0.2.0" is released');
    expect(outcome.reason).toContain('bump "version" in libs/airtime-domain/package.json (now 0.2.0)');
    expect(outcome.reason).toContain('add an entry "## <new version>"');
    expect(outcome.reason).toContain('breaking or not');
  });

  it('replaces the hash of an unreleased entry, and adds the line to an entry that has none', () => {
    const unreleased = released.replace('## 0.2.0', '## 0.2.0 (unreleased)');
    expect(recordReportHash(unreleased, '0.2.0', '3333333333333333')).toEqual({
      _tag: 'Recorded',
      changed: true,
      changelog: unreleased.replace(reportHashLine(NEW), reportHashLine('3333333333333333')),
    });
    const fresh = released.replace('## 0.2.0', '## 0.3.0\n\nAdded c.\n\n## 0.2.0');
    const recorded = recordReportHash(fresh, '0.3.0', '3333333333333333');
    expect(recorded).toEqual({
      _tag: 'Recorded',
      changed: true,
      changelog: released.replace(
        '## 0.2.0',
        `## 0.3.0\n\nAdded c.\n\n${reportHashLine('3333333333333333')}\n\n## 0.2.0`,
      ),
    });
    if (recorded._tag === 'Recorded')
      expect(changelogProblems(recorded.changelog, '0.3.0', '3333333333333333')).toEqual([]);
  });

  it('leaves an entry that records the hash already, and refuses a missing entry or two hash lines', () => {
    expect(recordReportHash(released, '0.2.0', NEW)).toEqual({ _tag: 'Recorded', changed: false, changelog: released });
    expect(recordReportHash(released, '0.3.0', NEW)).toEqual({
      _tag: 'Refused',
      reason: expect.stringMatching(/has no entry "## 0\.3\.0": bump "version"/),
    });
    const two = released
      .replace('## 0.2.0\n', '## 0.2.0 (unreleased)\n')
      .replace('Added b.', `Added b.\n${reportHashLine(OLD)}`);
    expect(recordReportHash(two, '0.2.0', NEW)).toEqual({
      _tag: 'Refused',
      reason: expect.stringMatching(/2 API report lines/),
    });
  });
});

describe('compareVersions', () => {
  const version = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map((parts) => parts.join('.'));

  it('orders versions as semantic versioning does, pre-releases before their release', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-rc.2', '1.0.0-rc.10')).toBeLessThan(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBeLessThan(0);
    expect(compareVersions('1.0.0-1', '1.0.0-alpha')).toBeLessThan(0);
    fc.assert(
      fc.property(version, version, (a, b) => {
        const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
        const lexicographic = x.findIndex((part, i) => part !== y[i]);
        const expected = lexicographic === -1 ? 0 : Math.sign((x[lexicographic] ?? 0) - (y[lexicographic] ?? 0));
        return Math.sign(compareVersions(a, b)) === expected && Math.sign(compareVersions(b, a)) === -expected;
      }),
    );
  });
});

describe('parseChangelog', () => {
  it('reads headings, versions, unreleased marks and hashes; ### headings stay inside their entry', () => {
    const text = `# C\n\n## 0.2.0 (unreleased)\n\nB.\n\n### Breaking\n\nC.\n\n${reportHashLine(NEW)}\n\n## 0.1.0\n\nA.\n`;
    expect(parseChangelog(text).entries).toEqual([
      expect.objectContaining({ version: '0.2.0', unreleased: true, hashes: [NEW], described: true }),
      expect.objectContaining({ version: '0.1.0', unreleased: false, hashes: [], described: true }),
    ]);
  });
});
