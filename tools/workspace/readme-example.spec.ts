// The README's domain usage example is run as written, so that it cannot
// drift from the API: the ```ts block under "### Usage example" is written
// to the ignored tmp/ folder and run with tsx, resolving `@airtime/*` as the
// workspace does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../..');

const usageExample = (): string => {
  const readme = readFileSync(path.join(workspaceRoot, 'README.md'), 'utf8');
  const section = readme.split('### Usage example')[1] ?? '';
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('the README has no ```ts block under "### Usage example"');
  return block;
};

describe("the README's usage example", () => {
  it('runs as written and ends with a ledger that keeps its invariants', () => {
    const folder = path.join(workspaceRoot, 'tmp', 'readme-example');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'usage-example.ts');
    writeFileSync(
      file,
      `${usageExample()}\nconsole.log(JSON.stringify({ status: done.topUp.status.status, violations: checkInvariants(ledger) }));\n`,
    );
    const result = spawnSync(
      path.join(workspaceRoot, 'node_modules/.bin/tsx'),
      ['--tsconfig', path.join(workspaceRoot, 'tsconfig.base.json'), file],
      { cwd: workspaceRoot, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      status: 'COMPLETED',
      violations: [],
    });
  }, 90_000);
});
