// A jest reporter that writes each project's totals to $JEST_RESULTS_DIR so
// that .ci/run can print one summary line over every project. Enabled by
// jest.preset.js only when JEST_RESULTS_DIR is set.
const fs = require('node:fs');
const path = require('node:path');

const WORKSPACE_ROOT = path.join(__dirname, '..', '..');

// The first line of a message, without the terminal's colour codes, at most 300 characters.
const firstLine = (message) =>
  String(message ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0)
    ?.slice(0, 300) ?? '';

// A suite that failed to run (syntax error, failing hook) with no failed test of its own: counted as one failure.
const isBroken = (suite) => Boolean(suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0));

// Each failed test, and each broken suite, as { file, test, reason }: the
// summary prints them above its line, so that the tail of a long CI log still
// names what failed.
const failuresOf = (suite, file) => [
  ...suite.testResults
    .filter((test) => test.status === 'failed')
    .map((test) => ({ file, test: test.fullName, reason: firstLine(test.failureMessages[0]) })),
  ...(isBroken(suite)
    ? [{ file, test: '(suite)', reason: firstLine(suite.testExecError?.message ?? suite.failureMessage) }]
    : []),
];

class JestResultsReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const directory = process.env.JEST_RESULTS_DIR;
    if (!directory) return;
    fs.mkdirSync(directory, { recursive: true });
    const suites = results.testResults.map((suite) => ({
      suite,
      file: path.relative(this.globalConfig.rootDir, suite.testFilePath),
    }));
    const summary = {
      rootDir: this.globalConfig.rootDir,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.testResults.filter(isBroken).length,
      skipped: results.numPendingTests + results.numTodoTests,
      failures: suites.flatMap(({ suite, file }) => failuresOf(suite, file)),
      // each suite's wall time, for finding where a CI run's minutes go
      suites: suites.map(({ suite, file }) => ({
        file,
        seconds: suite.perfStats ? (suite.perfStats.end - suite.perfStats.start) / 1000 : null,
      })),
    };
    // named for the project's folder in the workspace (jest runs in the project's own folder)
    const name = path.relative(WORKSPACE_ROOT, this.globalConfig.rootDir).replace(/[^\w.-]+/g, '_') || 'root';
    fs.writeFileSync(path.join(directory, `${name}-${process.pid}.json`), JSON.stringify(summary));
  }
}

module.exports = JestResultsReporter;
