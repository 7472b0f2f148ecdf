// A jest reporter that writes each project's totals to $JEST_RESULTS_DIR so
// that .ci/run can print one summary line over every project. Enabled by
// jest.preset.js only when JEST_RESULTS_DIR is set.
const fs = require('node:fs');
const path = require('node:path');

class JestResultsReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const directory = process.env.JEST_RESULTS_DIR;
    if (!directory) return;
    fs.mkdirSync(directory, { recursive: true });
    // A suite that failed to run (syntax error, failing hook) has no failed test; count it as one failure.
    const brokenSuites = results.testResults.filter(
      (suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0),
    ).length;
    const summary = {
      rootDir: this.globalConfig.rootDir,
      passed: results.numPassedTests,
      failed: results.numFailedTests + brokenSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    const name = path.relative(process.cwd(), this.globalConfig.rootDir).replace(/[^\w.-]+/g, '_') || 'root';
    fs.writeFileSync(path.join(directory, `${name}-${process.pid}.json`), JSON.stringify(summary));
  }
}

module.exports = JestResultsReporter;
