import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.join(__dirname, 'summarize-jest-results.js');

const run = (files: Record<string, object>, ...args: string[]): { line: string; status: number } => {
  const directory = mkdtempSync(path.join(tmpdir(), 'jest-results-'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(path.join(directory, name), JSON.stringify(content));
  try {
    return { line: execFileSync('node', [script, directory, ...args], { encoding: 'utf8' }).trim(), status: 0 };
  } catch (error) {
    const failure = error as { stdout: string; status: number };
    return { line: failure.stdout.trim(), status: failure.status };
  }
};

describe('CI summary line', () => {
  it('sums every project and exits 0 when all passed', () => {
    expect(
      run({ 'a.json': { passed: 3, failed: 0, skipped: 0 }, 'b.json': { passed: 4, failed: 0, skipped: 0 } }),
    ).toEqual({ line: '7 passed, 0 failed', status: 0 });
  });

  it('exits non-zero on any failure', () => {
    expect(
      run({ 'a.json': { passed: 3, failed: 1, skipped: 2 }, 'b.json': { passed: 4, failed: 0, skipped: 0 } }),
    ).toEqual({ line: '7 passed, 1 failed, 2 skipped', status: 1 });
  });

  it('counts a failing step outside jest', () => {
    expect(run({ 'a.json': { passed: 3, failed: 0, skipped: 0 } }, '--extra-failures', '1')).toEqual({
      line: '3 passed, 1 failed',
      status: 1,
    });
  });

  it('names each failed test above the summary line, which stays last', () => {
    const failure = { file: 'src/a.integration.spec.ts', test: 'a top-up › is sent once', reason: 'expect(1).toBe(2)' };
    expect(
      run({
        'apps_consumer-41.json': { passed: 3, failed: 1, skipped: 0, failures: [failure] },
        'libs_domain-42.json': { passed: 4, failed: 0, skipped: 0, failures: [] },
      }),
    ).toEqual({
      line: [
        '[ci] failed: apps_consumer src/a.integration.spec.ts › a top-up › is sent once — expect(1).toBe(2)',
        '7 passed, 1 failed',
      ].join('\n'),
      status: 1,
    });
  });

  it('is not green when nothing was tested', () => {
    expect(run({})).toEqual({ line: '0 passed, 0 failed', status: 1 });
  });
});
