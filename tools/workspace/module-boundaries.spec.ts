import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const workspaceRoot = path.resolve(__dirname, '../..');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly severity: number;
}

interface LintCase {
  readonly relativePath: string;
  readonly code: string;
}

/**
 * The linting of every case, in one node process: an ESLint instance per
 * project, made with that project as its working directory (as `nx lint`
 * runs the eslint CLI there) so that the real configs load, then
 * `lintText` of each case as if it were the file at its path. One process
 * instead of one eslint CLI per case: eslint, its plugins and the project
 * graph load once.
 */
const LINT_CASES_SCRIPT = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const [workspaceRoot] = process.argv.slice(-1);
const { ESLint } = await import(pathToFileURL(createRequire(workspaceRoot + '/').resolve('eslint')).href);
const cases = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
}));
const linters = new Map();
const reports = [];
for (const { projectRoot, filePath, code } of cases) {
  if (!linters.has(projectRoot)) linters.set(projectRoot, new ESLint({ cwd: projectRoot }));
  const [report] = await linters.get(projectRoot).lintText(code, { filePath });
  reports.push(report?.messages ?? []);
}
process.stdout.write(JSON.stringify(reports));
`;

const projectRootOf = (relativePath: string): string => {
  const depth = relativePath.startsWith('libs/') || relativePath.startsWith('apps/') ? 2 : 1;
  return path.join(workspaceRoot, ...relativePath.split('/').slice(0, depth));
};

/** Lints `cases` in one node process; each case's errors (severity 2) as `rule: message`, in order. */
const lintAll = (cases: readonly LintCase[]): string[][] => {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', LINT_CASES_SCRIPT, workspaceRoot], {
    cwd: workspaceRoot,
    input: JSON.stringify(
      cases.map((c) => ({
        projectRoot: projectRootOf(c.relativePath),
        filePath: path.join(workspaceRoot, c.relativePath),
        code: c.code,
      })),
    ),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`linting the cases failed (${result.status}): ${result.stderr}`);
  const reports = JSON.parse(result.stdout) as LintMessage[][];
  if (reports.length !== cases.length) throw new Error(`${reports.length} reports for ${cases.length} cases`);
  return cases.map((_, index) =>
    (reports[index] ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`),
  );
};

const CASES = {
  domainAllowed: {
    relativePath: 'libs/airtime-domain/src/lib/allowed.ts',
    code: "import { Either } from 'effect';\nimport { parsePhoneNumberFromString } from 'libphonenumber-js/max';\nexport const a = [Either.right(1), parsePhoneNumberFromString];\n",
  },
  domainImportsTools: {
    relativePath: 'libs/airtime-domain/src/lib/violation.ts',
    code: "import { summarize } from '../../../../tools/ci/summarize-jest-results';\nexport const s = summarize;\n",
  },
  domainImportsAdapter: {
    relativePath: 'libs/airtime-domain/src/lib/violation.ts',
    code: "import { makeLedgerStore } from '@airtime/persistence-postgres';\nexport const s = makeLedgerStore;\n",
  },
  adapterImportsDomain: {
    relativePath: 'libs/persistence-postgres/src/lib/allowed.ts',
    code: "import { Clock } from '@airtime/domain';\nexport const c = Clock;\n",
  },
  adapterImportsTools: {
    relativePath: 'libs/persistence-postgres/src/lib/violation.ts',
    code: "import { summarize } from '../../../../tools/ci/summarize-jest-results';\nexport const s = summarize;\n",
  },
  adapterImportsKit: {
    relativePath: 'libs/provider-engagespark/src/lib/allowed.ts',
    code: "import { makeRateLimitGate } from '@airtime/provider-http-kit';\nexport const g = makeRateLimitGate;\n",
  },
  kitImportsAdapter: {
    relativePath: 'libs/provider-http-kit/src/lib/violation.ts',
    code: "import { makeDvsClient } from '@airtime/provider-dtone';\nexport const p = makeDvsClient;\n",
  },
  domainImportsInfrastructure: {
    relativePath: 'libs/airtime-domain/src/lib/violation.ts',
    code: "import { transformSync } from '@swc/core';\nexport const t = transformSync;\n",
  },
  domainTouchesNode: {
    relativePath: 'libs/airtime-domain/src/lib/violation.ts',
    code: "import { existsSync, readdirSync, readFileSync } from 'node:fs';\nexport const a = [readFileSync, Date.now(), Math.random(), new Date(), process.env];\n",
  },
  domainProductionTestTooling: {
    relativePath: 'libs/airtime-domain/src/lib/violation.ts',
    code: "import fc from 'fast-check';\nexport const a = fc.integer();\n",
  },
  domainSpecTestTooling: {
    relativePath: 'libs/airtime-domain/src/lib/violation.spec.ts',
    code: "import fc from 'fast-check';\nexport const a = fc.integer();\n",
  },
} as const satisfies Record<string, LintCase>;

type CaseName = keyof typeof CASES;
let linted: Map<CaseName, string[]> | undefined;

/** The errors of `CASES[name]`, linted (all cases at once) before the tests. */
const lint = (name: CaseName): string[] => {
  const errors = linted?.get(name);
  if (errors === undefined) throw new Error(`case ${name} was not linted`);
  return errors;
};

describe('architecture rules (nx lint)', () => {
  beforeAll(() => {
    const names = Object.keys(CASES) as CaseName[];
    const errors = lintAll(names.map((name) => CASES[name]));
    linted = new Map(names.map((name, index) => [name, errors[index] ?? []]));
  }, 120_000);

  it('lets the domain import effect and pure data libraries', () => {
    expect(lint('domainAllowed')).toEqual([]);
  });

  it('fails when the domain imports another project', () => {
    expect(lint('domainImportsTools').some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails when the domain imports an adapter', () => {
    // reported as the cycle it would close (adapter -> domain -> adapter), the first rule the import breaks
    expect(lint('domainImportsAdapter')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^@nx\/enforce-module-boundaries: /)]),
    );
  });

  it('lets an adapter import the domain, but not the tools', () => {
    expect(lint('adapterImportsDomain')).toEqual([]);
    expect(lint('adapterImportsTools').some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('lets an adapter import the provider HTTP kit, but not the kit import an adapter', () => {
    expect(lint('adapterImportsKit')).toEqual([]);
    expect(lint('kitImportsAdapter').some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails when the domain imports an infrastructure package', () => {
    expect(lint('domainImportsInfrastructure').some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails when the domain touches Node, the clock or randomness', () => {
    expect(lint('domainTouchesNode')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^no-restricted-imports/),
        expect.stringMatching(/^no-restricted-properties: 'Date.now'/),
        expect.stringMatching(/^no-restricted-properties: 'Math.random'/),
        expect.stringMatching(/^no-restricted-syntax/),
        expect.stringMatching(/^no-restricted-globals/),
      ]),
    );
  });

  it('keeps test tooling out of the domain production code, but not out of its specs', () => {
    expect(lint('domainProductionTestTooling').some((e) => e.includes('Test tooling'))).toBe(true);
    expect(lint('domainSpecTestTooling')).toEqual([]);
  });

  it('tags every project with exactly one type', () => {
    const projectFiles = ['libs', 'apps']
      .filter((folder) => existsSync(path.join(workspaceRoot, folder)))
      .flatMap((folder) =>
        readdirSync(path.join(workspaceRoot, folder)).map((name) => `${folder}/${name}/project.json`),
      )
      .concat('tools/project.json');
    expect(projectFiles.length).toBeGreaterThanOrEqual(2);
    for (const file of projectFiles) {
      const { tags = [] } = JSON.parse(readFileSync(path.join(workspaceRoot, file), 'utf8')) as { tags?: string[] };
      expect({ file, types: tags.filter((t) => t.startsWith('type:')).length }).toEqual({ file, types: 1 });
    }
  });
});
