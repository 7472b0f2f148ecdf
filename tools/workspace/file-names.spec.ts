// Every TypeScript file is kebab-case `<concept>[.<role>].ts` with a role
// from the closed list, and the README lists exactly that list.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENTRY_FILES, FILE_ROLES } from './file-roles.table';

const workspaceRoot = path.resolve(__dirname, '../..');
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const roles = new Set<string>(Object.keys(FILE_ROLES));

const trackedTypeScript = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));

/** Why a file name breaks the rule, or undefined when it keeps it. */
export const fileNameProblem = (fileName: string): string | undefined => {
  if (ENTRY_FILES.includes(fileName)) return undefined;
  const parts = fileName.slice(0, -'.ts'.length).split('.');
  // specs: the name of what they test, then spec or integration.spec
  if (parts.at(-1) === 'spec') {
    parts.pop();
    if (parts.at(-1) === 'integration') parts.pop();
    const [concept] = parts;
    return concept !== undefined && KEBAB.test(concept) ? undefined : 'a spec is named for what it tests';
  }
  if (parts.length > 2) return 'one role suffix at most';
  const [concept = '', role] = parts;
  if (!KEBAB.test(concept)) return 'not kebab-case';
  if (role !== undefined && !roles.has(role)) return `".${role}" is not a role of the closed list`;
  return undefined;
};

describe('file names', () => {
  it('accepts the rule and refuses what breaks it', () => {
    expect(fileNameProblem('money.ts')).toBeUndefined();
    expect(fileNameProblem('ledger-store.adapter.ts')).toBeUndefined();
    expect(fileNameProblem('request-top-up.use-case.ts')).toBeUndefined();
    expect(fileNameProblem('dtone.adapter.hostile-answers.integration.spec.ts')).toBeUndefined();
    expect(fileNameProblem('outbox.store.ts')).toMatch(/closed list/);
    expect(fileNameProblem('status.mapping.ts')).toMatch(/closed list/);
    expect(fileNameProblem('a.mapper.codec.ts')).toMatch(/one role/);
    expect(fileNameProblem('camelCase.mapper.ts')).toMatch(/kebab/);
  });

  it('every TypeScript file of the workspace has a role from the closed list', () => {
    const offenders = trackedTypeScript()
      .map((file) => [file, fileNameProblem(path.basename(file))] as const)
      .filter(([, problem]) => problem !== undefined)
      .map(([file, problem]) => `${file}: ${problem}`);
    expect(offenders).toEqual([]);
  });

  it('the README lists exactly the closed list of roles', () => {
    const readme = readFileSync(path.join(workspaceRoot, 'README.md'), 'utf8');
    const section = readme.split('<!-- file-roles:start -->')[1]?.split('<!-- file-roles:end -->')[0] ?? '';
    const listed = [...section.matchAll(/^\| `\.([a-z-]+)` +\|/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...roles].sort());
  });
});
