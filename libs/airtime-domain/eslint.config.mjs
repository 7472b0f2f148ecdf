// The domain is pure: no Node APIs, no I/O, no clock, no randomness, and no
// test tooling outside its specs and its `testing` entry.
import { builtinModules } from 'node:module';
import baseConfig from '../../eslint.config.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default [
  ...baseConfig,
  {
    // The domain is pure: no Node APIs, no I/O, no clock, no randomness.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: 'The domain has no Node APIs.' })) },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The domain reads no environment.' },
        { name: 'setTimeout', message: 'Time comes in through the Clock port.' },
        { name: 'setInterval', message: 'Time comes in through the Clock port.' },
        { name: 'fetch', message: 'The domain does no I/O.' },
        { name: 'require', message: 'Use static imports.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes in as a parameter or through the Clock port.' },
        { object: 'Math', property: 'random', message: 'Randomness comes through the IdGenerator port.' },
        { object: 'Math', property: 'round', message: 'No floating point on a money path: use bigint.' },
        { object: 'Number', property: 'parseFloat', message: 'No floating point on a money path.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ThrowStatement > Literal[value=/./]', message: 'Throw a typed error, never a string.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The domain reads no clock.' },
        { selector: "CallExpression[callee.name='parseFloat']", message: 'No floating point on a money path.' },
      ],
    },
  },
  {
    // Test tooling stays out of the domain's production code.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/testing.ts', 'src/testing/**', 'src/**/model-based/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The domain has no Node APIs.' })),
            { name: 'fast-check', message: 'Test tooling belongs in specs and the testing entry.' },
            { name: '@fast-check/jest', message: 'Test tooling belongs in specs and the testing entry.' },
          ],
        },
      ],
    },
  },
];
