// The package's manifest, the README examples and install lines, and the
// report hash, on
// made-up inputs (the integration spec runs them on the real lib).
import {
  commonJsExampleOf,
  installLinesOf,
  installProblems,
  packageManifestOf,
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

describe('reportHashOf', () => {
  const reports = [
    { name: 'b.api.md', text: 'export const b: 1;\n' },
    { name: 'a.api.md', text: 'export const a: 1;\n' },
  ];

  it('hashes the reports whatever their order and line ends, and changes with any of them', () => {
    const hash = reportHashOf(reports);
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
});

describe('installLinesOf and installProblems', () => {
  const good = [
    'Install:',
    '```sh',
    'npm install -E ./airtime-domain-1.2.3.tgz effect@3.22.4',
    'npm install --save-exact @airtime/domain@1.2.3 effect@3.22.4',
    'npm install -D fast-check',
    '```',
    'Or `npm i -E @airtime/domain effect@3.22.4` in prose.',
  ].join('\n');

  it('reads every npm install of the package, tarball or registry, with the versions it names', () => {
    expect(installLinesOf(good)).toEqual([
      expect.objectContaining({ exact: true, packageVersion: '1.2.3', effectVersion: '3.22.4' }),
      expect.objectContaining({ exact: true, packageVersion: '1.2.3', effectVersion: '3.22.4' }),
      expect.objectContaining({ exact: true, packageVersion: undefined, effectVersion: '3.22.4' }),
    ]);
    expect(installProblems(good, 'README.md', lib)).toEqual([]);
  });

  it('refuses a line without -E, with another package or effect version, or without effect', () => {
    const line = (text: string) => installProblems(text, 'README.md', lib);
    expect(line('npm install ./airtime-domain-1.2.3.tgz effect@3.22.4')).toEqual([expect.stringMatching(/lacks -E/)]);
    expect(line('npm install -E ./airtime-domain-1.2.2.tgz effect@3.22.4')).toEqual([
      expect.stringMatching(/installs 1\.2\.2, but .* has version 1\.2\.3/),
    ]);
    expect(line('npm install -E @airtime/domain@1.2.3 effect@3.21.0')).toEqual([
      expect.stringMatching(/effect@3\.21\.0, but @airtime\/domain pins effect 3\.22\.4/),
    ]);
    expect(line('npm install -E @airtime/domain@1.2.3')).toEqual([expect.stringMatching(/effect@\(none\)/)]);
  });

  it('refuses a README that installs the package nowhere', () => {
    expect(installProblems('npm install -D fast-check\n', 'README.md', lib)).toEqual([
      expect.stringMatching(/README\.md has no line `npm install -E/),
    ]);
  });
});
