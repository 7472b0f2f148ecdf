// Shared jest settings for every project: swc transforms TypeScript (with
// decorator metadata for the apps), and the tsconfig path aliases become
// module name mappings so that `@airtime/*` imports resolve to sources.
// DATABASE_URL and AMQP_URL come from tmp/services.env (written by
// tools/ci/ensure-services.sh) when the environment does not set them: loaded
// here, in jest's main process, so its workers and the processes tests spawn
// inherit them.
const path = require('node:path');
require('./tools/ci/services-env');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/]/g, '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

const reporters = ['default'];
if (process.env.JEST_RESULTS_DIR) {
  reporters.push(path.join(__dirname, 'tools/ci/jest-results.reporter.js'));
}

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper,
  reporters,
};
