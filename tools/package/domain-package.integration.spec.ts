// The @airtime/domain package as another team gets it: built once into a
// temporary folder, checked by publint and arethetypeswrong, packed, and
// installed from its tarball into a throwaway project outside the monorepo
// (plain npm, no Nx, no path aliases), where the README's examples run as
// CommonJS and as ES modules and type-check under `tsc --noEmit`. Its API
// reports (libs/airtime-domain/api/) and CHANGELOG must match the exports,
// and the install lines of both READMEs must install this version.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDomainPackage } from './build-domain-package';
import {
  apiReports,
  changelogStep,
  currentReportHash,
  type EntryReport,
  staleReportMessage,
} from './domain-api-report';
import { changelogProblems } from './domain-changelog';
import {
  commonJsExampleOf,
  installProblems,
  libRoot,
  type Manifest,
  usageExampleOf,
  workspaceRoot,
} from './domain-package';

const bin = (name: string): string => path.join(workspaceRoot, 'node_modules/.bin', name);
const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** The environment without npm's `npm_*` variables (set when jest runs under `npm test`), so an inner npm is plain. */
const plainEnvironment = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      // no npm_* of the monorepo's npm, and no colours (CI sets FORCE_COLOR: console.log would colour values)
      ([name]) => !name.toLowerCase().startsWith('npm_') && name !== 'FORCE_COLOR',
    ),
  ),
  NO_COLOR: '1',
});

const run = (command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: plainEnvironment() });

/** What a failed command said, for the assertion message. */
const outcome = (result: SpawnSyncReturns<string>) => ({
  status: result.status,
  output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}`,
});

/** Each test that runs a tool gets this long (a 2-core machine running other specs beside). */
const SLOW_MS = 60_000;

const lib = readJson(path.join(libRoot, 'package.json'));
const workspace = readJson(path.join(workspaceRoot, 'package.json'));
const readme = readFileSync(path.join(libRoot, 'README.md'), 'utf8');
const example = usageExampleOf(readme);

let scratch = '';
let packageDir = '';
let tarball = '';
let packedFiles: string[] = [];

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'airtime-domain-package-'));
  packageDir = path.join(scratch, 'package');
  buildDomainPackage(packageDir);
  const packed = run('npm', ['pack', packageDir, '--json', '--pack-destination', scratch], scratch);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${outcome(packed).output}`);
  const [report] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (report === undefined) throw new Error('npm pack reported nothing');
  tarball = path.join(scratch, report.filename);
  packedFiles = report.files.map((file) => file.path).sort();
}, 120_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('the built package', () => {
  it("has its own package.json: the lib's name, version and exact dependencies, both entries in both module systems", () => {
    const manifest = readJson(path.join(packageDir, 'package.json'));
    expect(manifest).toMatchObject({
      name: '@airtime/domain',
      version: lib.version,
      main: './cjs/index.js',
      types: './cjs/index.d.ts',
      sideEffects: false,
      dependencies: lib.dependencies,
      peerDependencies: { 'fast-check': `^${workspace.devDependencies?.['fast-check']}` },
      peerDependenciesMeta: { 'fast-check': { optional: true } },
    });
    expect(manifest).not.toHaveProperty('private');
    expect(manifest['exports']).toEqual({
      '.': {
        import: { types: './esm/index.d.ts', default: './esm/index.js' },
        require: { types: './cjs/index.d.ts', default: './cjs/index.js' },
      },
      './testing': {
        import: { types: './esm/testing.d.ts', default: './esm/testing.js' },
        require: { types: './cjs/testing.d.ts', default: './cjs/testing.js' },
      },
      './package.json': './package.json',
    });
    expect(readJson(path.join(packageDir, 'esm/package.json'))).toEqual({ type: 'module' });
    expect(readJson(path.join(packageDir, 'cjs/package.json'))).toEqual({ type: 'commonjs' });
  });

  it(
    'passes publint, warnings counted as errors',
    () => {
      const result = run(bin('publint'), ['run', packageDir, '--strict'], scratch);
      expect(outcome(result)).toEqual({ status: 0, output: expect.not.stringMatching(/Errors:|Warnings:/) });
    },
    SLOW_MS,
  );

  it(
    'passes arethetypeswrong for node10, node16 (from CommonJS and from ES modules) and bundlers',
    () => {
      const result = run(bin('attw'), [tarball, '--format', 'table-flipped', '--no-emoji', '--no-color'], scratch);
      expect(outcome(result)).toEqual({ status: 0, output: expect.stringContaining('No problems found') });
    },
    SLOW_MS,
  );

  it('packs into a tarball of compiled files only: no spec, model, fixture, TypeScript source or other lib', () => {
    const layout =
      /^(?:package\.json|README\.md|CHANGELOG\.md|testing\/package\.json|(?:cjs|esm)\/package\.json|(?:cjs|esm)\/(?:index|testing|lib\/[a-z-]+\/[a-z.-]+|testing\/[a-z.-]+)\.(?:js|js\.map|d\.ts))$/;
    expect(packedFiles.filter((file) => !layout.test(file))).toEqual([]);
    expect(packedFiles.filter((file) => /spec|model-based|fixture|\.model\.|\.command\./.test(file))).toEqual([]);
    expect(packedFiles).toEqual(
      expect.arrayContaining(['cjs/index.js', 'cjs/testing.d.ts', 'esm/index.js', 'esm/testing.d.ts', 'README.md']),
    );
  });
  it('ships source maps with the sources inlined, named as under src/ wherever the package was built', () => {
    const maps = packedFiles.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBe(packedFiles.filter((file) => file.endsWith('.js')).length);
    const map = JSON.parse(readFileSync(path.join(packageDir, 'esm/lib/money/money.js.map'), 'utf8')) as {
      sources: string[];
      sourcesContent: string[];
    };
    expect(map.sources).toEqual(['../../../src/lib/money/money.ts']);
    expect(map.sourcesContent[0]).toContain('export const parseMoney');
  });
});

describe('installed from its tarball into a project outside the monorepo', () => {
  let consumer = '';

  beforeAll(() => {
    consumer = path.join(scratch, 'consumer');
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
    const dependencies = [
      tarball,
      `effect@${lib.dependencies?.['effect']}`,
      `fast-check@${workspace.devDependencies?.['fast-check']}`,
      `@types/node@${workspace.devDependencies?.['@types/node']}`,
    ];
    const installed = run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-exact', ...dependencies],
      consumer,
    );
    if (installed.status !== 0) throw new Error(`npm install of the tarball failed:\n${outcome(installed).output}`);
    writeFileSync(path.join(consumer, 'example.cjs'), commonJsExampleOf(example));
    for (const extension of ['mjs', 'mts']) {
      writeFileSync(path.join(consumer, `example.${extension}`), example.module);
      writeFileSync(path.join(consumer, `testing-example.${extension}`), example.testing);
    }
  }, 120_000);

  it(
    'resolves the package from its own node_modules, in CommonJS and as an ES module',
    () => {
      const cjs = run('node', ['-p', "require.resolve('@airtime/domain/testing')"], consumer);
      const esm = run(
        'node',
        ['--input-type=module', '-e', "console.log(import.meta.resolve('@airtime/domain'))"],
        consumer,
      );
      expect(outcome(cjs)).toEqual({
        status: 0,
        output: `${path.join(consumer, 'node_modules/@airtime/domain/cjs/testing.js')}\n`,
      });
      expect(outcome(esm)).toEqual({
        status: 0,
        output: `file://${path.join(consumer, 'node_modules/@airtime/domain/esm/index.js')}\n`,
      });
    },
    SLOW_MS,
  );

  it(
    "runs the README's usage example in CommonJS and prints its Output block",
    () => {
      expect(outcome(run('node', ['example.cjs'], consumer))).toEqual({ status: 0, output: example.output });
    },
    SLOW_MS,
  );

  it(
    "runs the README's usage example as an ES module and prints the same",
    () => {
      expect(outcome(run('node', ['example.mjs'], consumer))).toEqual({ status: 0, output: example.output });
    },
    SLOW_MS,
  );

  it(
    "runs the README's testing entry example (a fast-check property over the package's arbitraries)",
    () => {
      expect(outcome(run('node', ['testing-example.mjs'], consumer))).toEqual({
        status: 0,
        output: 'formatMoney and parseMoney agree\n',
      });
    },
    SLOW_MS,
  );

  it(
    'matches errors on _tag and code, not instanceof: one process loading both builds has two copies of each class',
    () => {
      const script = [
        "import { createRequire } from 'node:module';",
        "import { Effect, Either } from 'effect';",
        "import { InvalidAmount } from '@airtime/domain';",
        "const cjs = createRequire(import.meta.url)('@airtime/domain');",
        "const error = cjs.parseMoney('1.001', Either.getOrThrow(cjs.currencyOf('USD'))).left;",
        "const caught = Effect.runSync(Effect.catchTag(Effect.fail(error), 'InvalidAmount', () => Effect.succeed('caught')));",
        'const seen = [error instanceof InvalidAmount, error instanceof cjs.InvalidAmount, error._tag, error.code, caught];',
        "process.stdout.write(seen.map(String).join(' ') + '\\n');",
        '',
      ].join('\n');
      writeFileSync(path.join(consumer, 'two-builds.mjs'), script);
      expect(outcome(run('node', ['two-builds.mjs'], consumer))).toEqual({
        status: 0,
        output: 'false true InvalidAmount INVALID_AMOUNT caught\n',
      });
    },
    SLOW_MS,
  );

  it(
    "type-checks the examples under tsc --noEmit against the package's declarations, for import and require",
    () => {
      // a misuse must be an error in both module systems: the declarations are typed, not `any`
      const misuse = [
        "import { currencyOf, parseMoney } from '@airtime/domain';",
        "import { arbitraryMoney } from '@airtime/domain/testing';",
        '// @ts-expect-error a currency code is not a Currency',
        "parseMoney('1.00', 'USD');",
        '// @ts-expect-error a Currency is needed',
        'arbitraryMoney();',
        "export const usd = currencyOf('USD');",
        '',
      ].join('\n');
      writeFileSync(path.join(consumer, 'misuse.mts'), misuse);
      writeFileSync(path.join(consumer, 'misuse.cts'), misuse);
      const tsconfig = {
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          types: ['node'],
          skipLibCheck: true,
          noEmit: true,
        },
        files: ['example.mts', 'testing-example.mts', 'misuse.mts', 'misuse.cts'],
      };
      writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      expect(outcome(run(bin('tsc'), ['-p', 'tsconfig.json'], consumer))).toEqual({ status: 0, output: '' });
    },
    SLOW_MS,
  );
});

describe('the API report and the CHANGELOG', () => {
  let reports: EntryReport[] | undefined;
  /** The reports of the built package, made once for the tests below. */
  const currentReports = (): EntryReport[] => (reports ??= apiReports(packageDir));

  it(
    'the committed reports (libs/airtime-domain/api/) match the exported API of both entries',
    () => {
      const message = staleReportMessage(currentReports());
      if (message !== undefined) throw new Error(message);
    },
    SLOW_MS,
  );

  it(
    'the CHANGELOG keeps its rule: the top entry is the current version and records the hash of those reports',
    () => {
      const hash = currentReportHash(currentReports());
      const problems = changelogProblems(readFileSync(path.join(libRoot, 'CHANGELOG.md'), 'utf8'), lib.version, hash);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
    SLOW_MS,
  );

  it(
    '--record leaves the released entry that has the current hash, and refuses to give it another one',
    () => {
      const changelogFile = path.join(scratch, 'CHANGELOG.md');
      // the committed CHANGELOG with its top entry released (it may be unreleased while a version is prepared)
      const committed = readFileSync(path.join(libRoot, 'CHANGELOG.md'), 'utf8').replace(
        `## ${lib.version} (unreleased)`,
        `## ${lib.version}`,
      );
      writeFileSync(changelogFile, committed);
      const hash = currentReportHash(currentReports());
      expect(changelogStep(changelogFile, lib.version, hash, true)).toEqual({
        ok: true,
        lines: [`CHANGELOG.md entry ${lib.version} records API report: \`${hash}\``],
      });
      const changedApi = hash.replace(/^./, (digit) => (digit === '0' ? '1' : '0'));
      const refused = changelogStep(changelogFile, lib.version, changedApi, true);
      expect(refused.ok).toBe(false);
      expect(refused.lines.join('\n')).toMatch(/--record refused: "## [^"]+" is released .* bump "version" in/);
      expect(readFileSync(changelogFile, 'utf8')).toBe(committed);
      expect(changelogStep(changelogFile, lib.version, changedApi, false)).toEqual({
        ok: true,
        lines: [expect.stringContaining(`the API report changed (hash now ${changedApi})`)],
      });
    },
    SLOW_MS,
  );

  it(
    'an export taken away is caught, with where the report lives and how to update it',
    () => {
      const changed = path.join(scratch, 'changed');
      cpSync(path.join(packageDir, 'cjs'), path.join(changed, 'cjs'), { recursive: true });
      const declarations = path.join(changed, 'cjs/index.d.ts');
      const text = readFileSync(declarations, 'utf8');
      expect(text).toContain(' formatMoney,');
      writeFileSync(declarations, text.replace(' formatMoney,', ''));
      const message = staleReportMessage(apiReports(changed));
      expect(message).toContain('libs/airtime-domain/api/airtime-domain.api.md differs');
      expect(message).toContain('- export const formatMoney');
      expect(message).toContain('npm run domain:api-report');
      expect(message).not.toContain('airtime-domain-testing.api.md');
    },
    SLOW_MS,
  );
});

describe('the install lines of the READMEs', () => {
  it.each([
    ['libs/airtime-domain/README.md', path.join(libRoot, 'README.md')],
    ['README.md', path.join(workspaceRoot, 'README.md')],
  ])('%s installs this version, exactly, with the effect the package pins', (name, file) => {
    expect(installProblems(readFileSync(file, 'utf8'), name, lib)).toEqual([]);
  });
});
