import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const JestResultsReporter = require('./jest-results.reporter.js');

const rootDir = path.join(__dirname, '..', '..', 'apps', 'consumer');

const suite = (file: string, tests: object[], extra: object = {}) => ({
  testFilePath: path.join(rootDir, file),
  testResults: tests,
  ...extra,
});

const written = (results: object): Record<string, unknown> => {
  const directory = mkdtempSync(path.join(tmpdir(), 'jest-reporter-'));
  const previous = process.env.JEST_RESULTS_DIR;
  process.env.JEST_RESULTS_DIR = directory;
  try {
    new JestResultsReporter({ rootDir }).onRunComplete(new Set(), results);
  } finally {
    if (previous === undefined) delete process.env.JEST_RESULTS_DIR;
    else process.env.JEST_RESULTS_DIR = previous;
  }
  const files = readdirSync(directory);
  expect(files).toHaveLength(1);
  const file = files[0] ?? '';
  return { file, ...JSON.parse(readFileSync(path.join(directory, file), 'utf8')) };
};

describe('jest results reporter', () => {
  it("writes the totals, each suite's wall time, and names each failed test with the first line of its message, without colour codes", () => {
    const results = {
      numPassedTests: 2,
      numFailedTests: 1,
      numPendingTests: 1,
      numTodoTests: 0,
      testResults: [
        suite('src/a.integration.spec.ts', [
          { status: 'passed', fullName: 'a passes', failureMessages: [] },
          {
            status: 'failed',
            fullName: 'a top-up › is sent once',
            failureMessages: ['\n  \u001b[31mError: expected 1 send\u001b[39m\n    at x (a.ts:1:1)'],
          },
        ]),
        suite('src/b.spec.ts', [{ status: 'passed', fullName: 'b passes', failureMessages: [] }], {
          perfStats: { start: 1_000, end: 3_500 },
        }),
      ],
    };
    expect(written(results)).toEqual({
      file: expect.stringMatching(/^apps_consumer-\d+\.json$/),
      rootDir,
      passed: 2,
      failed: 1,
      skipped: 1,
      failures: [
        { file: 'src/a.integration.spec.ts', test: 'a top-up › is sent once', reason: 'Error: expected 1 send' },
      ],
      suites: [
        { file: 'src/a.integration.spec.ts', seconds: null },
        { file: 'src/b.spec.ts', seconds: 2.5 },
      ],
    });
  });

  it('counts a suite that failed to run as one failure and names it', () => {
    const results = {
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [
        suite('src/c.spec.ts', [], { testExecError: { message: 'Cannot find module x' }, failureMessage: 'x' }),
      ],
    };
    expect(written(results)).toMatchObject({
      failed: 1,
      failures: [{ file: 'src/c.spec.ts', test: '(suite)', reason: 'Cannot find module x' }],
    });
  });
});
