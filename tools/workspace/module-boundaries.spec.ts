import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const workspaceRoot = path.resolve(__dirname, '../..');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly severity: number;
}

/**
 * Lints `code` as if it were the file at `relativePath`, running the eslint
 * CLI in that file's project (as `nx lint` does) so that the real configs load.
 */
const lint = (relativePath: string, code: string): string[] => {
  const depth = relativePath.startsWith('libs/') || relativePath.startsWith('apps/') ? 2 : 1;
  const projectRoot = path.join(workspaceRoot, ...relativePath.split('/').slice(0, depth));
  const result = spawnSync(
    path.join(workspaceRoot, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', path.join(workspaceRoot, relativePath), '--format', 'json'],
    { cwd: projectRoot, input: code, encoding: 'utf8' },
  );
  const [report] = JSON.parse(result.stdout) as { messages: LintMessage[] }[];
  return (report?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
};

describe('architecture rules (nx lint)', () => {
  it('lets the domain import effect and pure data libraries', () => {
    const errors = lint(
      'libs/airtime-domain/src/lib/allowed.ts',
      "import { Either } from 'effect';\nimport { parsePhoneNumberFromString } from 'libphonenumber-js/max';\nexport const a = [Either.right(1), parsePhoneNumberFromString];\n",
    );
    expect(errors).toEqual([]);
  });

  it('fails when the domain imports another project', () => {
    const errors = lint(
      'libs/airtime-domain/src/lib/violation.ts',
      "import { summarize } from '../../../../tools/ci/summarize-jest-results';\nexport const s = summarize;\n",
    );
    expect(errors.some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails when the domain imports an adapter', () => {
    const errors = lint(
      'libs/airtime-domain/src/lib/violation.ts',
      "import { makeLedgerStore } from '@airtime/persistence-postgres';\nexport const s = makeLedgerStore;\n",
    );
    // reported as the cycle it would close (adapter -> domain -> adapter), the first rule the import breaks
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^@nx\/enforce-module-boundaries: /)]));
  });

  it('lets an adapter import the domain, but not the tools', () => {
    expect(
      lint(
        'libs/persistence-postgres/src/lib/allowed.ts',
        "import { Clock } from '@airtime/domain';\nexport const c = Clock;\n",
      ),
    ).toEqual([]);
    const errors = lint(
      'libs/persistence-postgres/src/lib/violation.ts',
      "import { summarize } from '../../../../tools/ci/summarize-jest-results';\nexport const s = summarize;\n",
    );
    expect(errors.some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('lets an adapter import the provider HTTP kit, but not the kit import an adapter', () => {
    expect(
      lint(
        'libs/provider-engagespark/src/lib/allowed.ts',
        "import { makeRateLimitGate } from '@airtime/provider-http-kit';\nexport const g = makeRateLimitGate;\n",
      ),
    ).toEqual([]);
    const errors = lint(
      'libs/provider-http-kit/src/lib/violation.ts',
      "import { makeDvsClient } from '@airtime/provider-dtone';\nexport const p = makeDvsClient;\n",
    );
    expect(errors.some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails when the domain imports an infrastructure package', () => {
    const errors = lint(
      'libs/airtime-domain/src/lib/violation.ts',
      "import { transformSync } from '@swc/core';\nexport const t = transformSync;\n",
    );
    expect(errors.some((e) => e.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('fails when the domain touches Node, the clock or randomness', () => {
    const errors = lint(
      'libs/airtime-domain/src/lib/violation.ts',
      "import { existsSync, readdirSync, readFileSync } from 'node:fs';\nexport const a = [readFileSync, Date.now(), Math.random(), new Date(), process.env];\n",
    );
    expect(errors).toEqual(
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
    const code = "import fc from 'fast-check';\nexport const a = fc.integer();\n";
    expect(lint('libs/airtime-domain/src/lib/violation.ts', code).some((e) => e.includes('Test tooling'))).toBe(true);
    expect(lint('libs/airtime-domain/src/lib/violation.spec.ts', code)).toEqual([]);
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
