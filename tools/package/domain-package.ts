// The publishable package of libs/airtime-domain: where its parts live, its
// package.json made from the lib's, the README usage example, and the hash of
// the API reports that the lib's CHANGELOG records (its rule is in
// domain-changelog.ts). Pure functions over text and manifests; the build and
// the checks that touch files are beside it.
import { createHash } from 'node:crypto';
import path from 'node:path';

export const workspaceRoot = path.resolve(__dirname, '../..');
/** The lib's folder: its package.json, README, CHANGELOG, api-extractor configs and tsconfig.build.json. */
export const libRoot = path.join(workspaceRoot, 'libs/airtime-domain');
/** Where `nx build airtime-domain` writes the package. */
export const distRoot = path.join(workspaceRoot, 'dist/libs/airtime-domain');
/** The committed API reports, one per entry (see ENTRIES). */
export const apiReportFolder = path.join(libRoot, 'api');

/** The package's entries: export path, compiled file stem, API report name, api-extractor config. */
export const ENTRIES = [
  { exportPath: '.', stem: 'index', report: 'airtime-domain.api.md', config: 'api-extractor.json' },
  {
    exportPath: './testing',
    stem: 'testing',
    report: 'airtime-domain-testing.api.md',
    config: 'api-extractor.testing.json',
  },
] as const;

export type DomainEntry = (typeof ENTRIES)[number];

/** The fields of a package.json this build reads or writes. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly license?: string;
  readonly keywords?: readonly string[];
  readonly engines?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The conditions of one entry: ES module and CommonJS, each with its own declarations. */
const conditionsOf = (stem: string) => ({
  import: { types: `./esm/${stem}.d.ts`, default: `./esm/${stem}.js` },
  require: { types: `./cjs/${stem}.d.ts`, default: `./cjs/${stem}.js` },
});

/**
 * The package.json of the built package, from the lib's own (name, version,
 * description, license, keywords, runtime dependencies, all pinned exactly)
 * and the workspace's (the fast-check version, offered as an optional peer
 * for the `testing` entry). Throws an Error naming the dependency when one
 * is not pinned to an exact version.
 */
export const packageManifestOf = (lib: Manifest, workspace: Manifest): Record<string, unknown> => {
  const dependencies = lib.dependencies ?? {};
  const loose = Object.entries(dependencies).filter(([, version]) => !EXACT_VERSION.test(version));
  if (loose.length > 0) {
    throw new Error(
      `dependencies of ${lib.name} must be exact versions: ${loose.map(([n, v]) => `${n}@${v}`).join(', ')}`,
    );
  }
  const fastCheck = workspace.devDependencies?.['fast-check'];
  if (fastCheck === undefined || !EXACT_VERSION.test(fastCheck)) {
    throw new Error('the workspace package.json must pin fast-check exactly (the testing entry peer)');
  }
  return {
    name: lib.name,
    version: lib.version,
    ...(lib.description === undefined ? {} : { description: lib.description }),
    ...(lib.license === undefined ? {} : { license: lib.license }),
    ...(lib.keywords === undefined ? {} : { keywords: lib.keywords }),
    type: 'commonjs',
    main: './cjs/index.js',
    module: './esm/index.js',
    types: './cjs/index.d.ts',
    exports: {
      ...Object.fromEntries(ENTRIES.map((entry) => [entry.exportPath, conditionsOf(entry.stem)])),
      './package.json': './package.json',
    },
    files: ['cjs', 'esm', 'testing', 'README.md', 'CHANGELOG.md'],
    sideEffects: false,
    ...(lib.engines === undefined ? {} : { engines: lib.engines }),
    dependencies,
    peerDependencies: { 'fast-check': `^${fastCheck}` },
    peerDependenciesMeta: { 'fast-check': { optional: true } },
  };
};

/**
 * The package.json of `testing/`, for resolvers that do not read `exports`
 * (TypeScript's `moduleResolution: node10`, old bundlers).
 */
export const testingRedirect = {
  main: '../cjs/testing.js',
  module: '../esm/testing.js',
  types: '../cjs/testing.d.ts',
} as const;

/** The README's examples: the ES module (also TypeScript) text, its CommonJS preamble and output, and the testing entry's. */
export interface UsageExample {
  /** The whole ```js block under "## Usage": valid ES module JavaScript and TypeScript. */
  readonly module: string;
  /** The ```js block under "### CommonJS": the `require` lines that replace the module's imports. */
  readonly commonJsPreamble: string;
  /** The ```text block under "### Output": what the example prints. */
  readonly output: string;
  /** The ```js block under "## Testing entry": a property test with the `testing` entry (ES module and TypeScript). */
  readonly testing: string;
}

const blockAfter = (readme: string, heading: string, language: string): string => {
  const section = readme.split(`\n${heading}\n`)[1]?.split(/\n#{1,3} /)[0];
  const block = section === undefined ? undefined : new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  if (block?.[1] === undefined) throw new Error(`the README has no \`\`\`${language} block under "${heading}"`);
  return block[1];
};

/** Reads the usage example out of the lib's README. Throws an Error naming the missing block. */
export const usageExampleOf = (readme: string): UsageExample => ({
  module: blockAfter(readme, '## Usage', 'js'),
  commonJsPreamble: blockAfter(readme, '### CommonJS', 'js'),
  output: blockAfter(readme, '### Output', 'text'),
  testing: blockAfter(readme, '## Testing entry', 'js'),
});

/** The import statements at the top of the module example (up to the first line that is not part of one). */
const IMPORTS = /^(?:import[^;]*;\n)+/;

/**
 * The example as CommonJS: its leading `import` statements replaced by the
 * README's `require` preamble, the rest the same text. Throws when the
 * example does not start with its imports.
 */
export const commonJsExampleOf = (example: UsageExample): string => {
  const imports = IMPORTS.exec(example.module);
  if (imports === null) throw new Error('the usage example must start with its import statements');
  return example.commonJsPreamble + example.module.slice(imports[0].length);
};

/** Text with Windows line ends made Unix ones: what is hashed and compared. */
export const normalizedText = (text: string): string => text.replace(/\r\n/g, '\n');

/** The hash recorded in the CHANGELOG: sha256 over each report's name and text, first 16 hex digits. */
export const reportHashOf = (reports: readonly { readonly name: string; readonly text: string }[]): string => {
  const hash = createHash('sha256');
  for (const report of [...reports].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${report.name}\n${normalizedText(report.text)}\n`);
  }
  return hash.digest('hex').slice(0, 16);
};

/** The line of a CHANGELOG entry that records the API report's hash. */
export const reportHashLine = (hash: string): string => `API report: \`${hash}\``;

/** A README line that installs the package with npm: the versions it names. */
export interface InstallLine {
  readonly line: string;
  /** `-E` or `--save-exact` is among its words. */
  readonly exact: boolean;
  /** The version in `airtime-domain-<version>.tgz` or `@airtime/domain@<version>`, when it names one. */
  readonly packageVersion: string | undefined;
  /** The version in `effect@<version>`, when it names one. */
  readonly effectVersion: string | undefined;
}

const TARBALL_OR_SPEC = /(?:airtime-domain-|@airtime\/domain@)(\d[0-9A-Za-z.-]*?)(?:\.tgz)?(?=[\s`'"]|$)/;
const EFFECT_SPEC = /(?:^|\s)effect@(\S+?)(?=[\s`'"]|$)/;

/** The lines of `readme` that run `npm install` (or `npm i`) of the package, from a tarball or a registry. */
export const installLinesOf = (readme: string): InstallLine[] =>
  normalizedText(readme)
    .split('\n')
    .filter((line) => /\bnpm (?:install|i)\b/.test(line) && /airtime-domain-\S*\.tgz|@airtime\/domain\b/.test(line))
    .map((line) => ({
      line: line.trim(),
      exact: /(?:^|\s)(?:-E|--save-exact)(?=\s|$)/.test(line),
      packageVersion: TARBALL_OR_SPEC.exec(line)?.[1],
      effectVersion: EFFECT_SPEC.exec(line)?.[1],
    }));

/**
 * Why the install lines of `readme` (named `file` in the messages) do not
 * install `lib` as it is, or an empty list: there is at least one; each
 * saves exact versions (`-E`), names the package at `lib.version` when it
 * names a version, and names `effect@` at the version `lib` pins.
 */
export const installProblems = (readme: string, file: string, lib: Manifest): string[] => {
  const lines = installLinesOf(readme);
  if (lines.length === 0) return [`${file} has no line \`npm install -E ... effect@...\` installing ${lib.name}`];
  const effect = lib.dependencies?.['effect'];
  return lines.flatMap(({ line, exact, packageVersion, effectVersion }) => [
    ...(exact
      ? []
      : [`${file}: "${line}" lacks -E (--save-exact), so npm would save a range and may keep two copies of effect`]),
    ...(packageVersion === undefined || packageVersion === lib.version
      ? []
      : [
          `${file}: "${line}" installs ${packageVersion}, but libs/airtime-domain/package.json has version ${lib.version}`,
        ]),
    ...(effectVersion === effect
      ? []
      : [
          `${file}: "${line}" installs effect@${effectVersion ?? '(none)'}, but ${lib.name} pins effect ${effect ?? '(none)'}`,
        ]),
  ]);
};
