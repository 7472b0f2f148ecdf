#!/usr/bin/env node
// Sums the per-project files written by jest-results.reporter.js and prints
// the one line CI reads, last: "N passed, N failed". Above it, one line per
// failed test: "[ci] failed: <project> <file> › <test> — <first line>".
// Exits 1 when a test failed or when no project reported at all (a run that
// tested nothing is not green).
// `--extra-failures N` adds failures of steps outside jest.
const fs = require('node:fs');
const path = require('node:path');

// "<project>-<pid>.json", as the reporter names it
const projectOf = (file) => file.replace(/-\d+\.json$/, '');

const summarize = (directory) => {
  const files = fs.existsSync(directory) ? fs.readdirSync(directory).filter((f) => f.endsWith('.json')) : [];
  const totals = { passed: 0, failed: 0, skipped: 0, projects: files.length, failures: [] };
  for (const file of files) {
    const result = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'));
    totals.passed += result.passed;
    totals.failed += result.failed;
    totals.skipped += result.skipped;
    for (const failure of result.failures ?? []) totals.failures.push({ project: projectOf(file), ...failure });
  }
  return totals;
};

module.exports = { summarize };

if (require.main === module) {
  const directory = process.argv[2];
  if (!directory) {
    console.error('usage: summarize-jest-results.js <results-dir>');
    process.exit(2);
  }
  const extraIndex = process.argv.indexOf('--extra-failures');
  const extraFailures = extraIndex > 0 ? Number(process.argv[extraIndex + 1] ?? 0) : 0;
  const totals = summarize(directory);
  // a failing step outside jest (type-check, lint) counts when no test already failed
  if (totals.failed === 0) totals.failed += extraFailures;
  // what failed, above the summary line, so that a log's tail names it
  for (const { project, file, test, reason } of totals.failures)
    console.log(`[ci] failed: ${project} ${file} › ${test}${reason ? ` — ${reason}` : ''}`);
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
  process.exit(totals.failed > 0 || totals.projects === 0 ? 1 : 0);
}
