// The package's manifest, the README examples and the CHANGELOG check, on
// made-up inputs (the integration spec runs them on the real lib).
import {
  changelogProblem,
  commonJsExampleOf,
  packageManifestOf,
  recordReportHash,
  reportHashLine,
  reportHashOf,
  usageExampleOf,
} from './domain-package';

const lib = {
  name: '@airtime/domain',
  version: '1.2.3',
  private: true,
  main: './src/index.ts',
  dependencies: { effect: '3.22.4', 'currency-codes': '2.2.0' },
};
const workspace = { name: 'airtime-platform', version: '0.1.0', devDependencies: { 'fast-check': '4.10.2' } };

describe('packageManifestOf', () => {
  it("keeps the lib's name, version and exact dependencies, drops private and the source entry", () => {
    const manifest = packageManifestOf(lib, workspace);
    expect(manifest).toMatchObject({
      name: '@airtime/domain',
      version: '1.2.3',
      main: './cjs/index.js',
      dependencies: lib.dependencies,
      peerDependencies: { 'fast-check': '^4.10.2' },
    });
    expect(manifest).not.toHaveProperty('private');
    expect(Object.keys(manifest['exports'] as object)).toEqual(['.', './testing', './package.json']);
  });

  it('refuses a dependency that is not pinned exactly, naming it', () => {
    expect(() => packageManifestOf({ ...lib, dependencies: { effect: '^3.22.4' } }, workspace)).toThrow(
      /exact versions: effect@\^3\.22\.4/,
    );
    expect(() => packageManifestOf(lib, { ...workspace, devDependencies: {} })).toThrow(/fast-check/);
  });
});

const readme = [
  '# pkg',
  '## Usage',
  'Text.',
  '```js',
  "import { Either } from 'effect';",
  "import {\n  a,\n  b,\n} from '@airtime/domain';",
  '',
  'console.log(a(b));',
  '```',
  '### CommonJS',
  '```js',
  "const { Either } = require('effect');",
  "const { a, b } = require('@airtime/domain');",
  '```',
  '### Output',
  '```text',
  'done',
  '```',
  '## Testing entry',
  '```js',
  "import fc from 'fast-check';",
  '```',
  '## Versions',
  '',
].join('\n');

describe('usageExampleOf and commonJsExampleOf', () => {
  it('reads the blocks and swaps the imports for the require preamble, the rest the same text', () => {
    const example = usageExampleOf(readme);
    expect(example.output).toBe('done\n');
    expect(example.testing).toBe("import fc from 'fast-check';\n");
    expect(commonJsExampleOf(example)).toBe(
      "const { Either } = require('effect');\nconst { a, b } = require('@airtime/domain');\n\nconsole.log(a(b));\n",
    );
  });

  it('names the block the README lacks', () => {
    expect(() => usageExampleOf(readme.replace('### Output', '### Prints'))).toThrow(/"### Output"/);
  });

  it('refuses an example that does not start with its imports', () => {
    const example = usageExampleOf(readme);
    expect(() => commonJsExampleOf({ ...example, module: `const x = 1;\n${example.module}` })).toThrow(/import/);
  });
});

describe('reportHashOf and changelogProblem', () => {
  const reports = [
    { name: 'b.api.md', text: 'export const b: 1;\n' },
    { name: 'a.api.md', text: 'export const a: 1;\n' },
  ];
  const hash = reportHashOf(reports);

  it('hashes the reports whatever their order and line ends, and changes with any of them', () => {
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(reportHashOf([...reports].reverse())).toBe(hash);
    expect(reportHashOf(reports.map((r) => ({ ...r, text: r.text.replace(/\n/g, '\r\n') })))).toBe(hash);
    expect(
      reportHashOf([
        { name: 'b.api.md', text: 'export const b: 1;\n' },
        { name: 'a.api.md', text: 'export const a: 2;\n' },
      ]),
    ).not.toBe(hash);
  });

  it("accepts the current version's entry with the hash, and only that entry", () => {
    const changelog = `# Changelog\n\n## 1.2.3\n\nAdded a.\n\n${reportHashLine(hash)}\n\n## 1.2.2\n\nAPI report: \`0000000000000000\`\n`;
    expect(changelogProblem(changelog, '1.2.3', hash)).toBeUndefined();
    expect(changelogProblem(changelog, '1.2.2', hash)).toMatch(/changed since the CHANGELOG entry "## 1.2.2"/);
    expect(changelogProblem(changelog, '1.2.4', hash)).toMatch(/no entry "## 1.2.4"/);
    expect(changelogProblem(changelog.replace('## 1.2.3', '## 1.2.30'), '1.2.3', hash)).toMatch(/no entry/);
  });

  it("records the hash in the version's entry only, replacing its line or adding one", () => {
    const changelog = `# Changelog\n\n## 1.2.3\n\nAdded a.\n\n## 1.2.2\n\nAPI report: \`0000000000000000\`\n`;
    const added = recordReportHash(changelog, '1.2.3', hash) ?? '';
    expect(added).toBe(
      `# Changelog\n\n## 1.2.3\n\nAdded a.\n\n${reportHashLine(hash)}\n\n## 1.2.2\n\nAPI report: \`0000000000000000\`\n`,
    );
    expect(changelogProblem(added, '1.2.3', hash)).toBeUndefined();
    const replaced = recordReportHash(changelog, '1.2.2', hash) ?? '';
    expect(replaced).toBe(changelog.replace('API report: `0000000000000000`', reportHashLine(hash)));
    expect(recordReportHash(changelog, '1.2.4', hash)).toBeUndefined();
  });

  it('refuses an entry whose hash is of older reports, saying the line to write', () => {
    const problem = changelogProblem(`## 1.2.3\n\n${reportHashLine('ffffffffffffffff')}\n`, '1.2.3', hash);
    expect(problem).toContain(reportHashLine(hash));
    expect(problem).toContain('bump "version" in libs/airtime-domain/package.json');
  });
});
