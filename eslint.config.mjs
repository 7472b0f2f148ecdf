// Root lint configuration. The module boundary rules below are the
// architecture of DESIGN.md made executable: a violating import fails
// `nx lint`. Every project must carry one `type:*` tag.
import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/tmp', '**/.nx'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // the simulator's HTTP server is the fake network edge of the provider adapters' tests;
          // production code never imports a `testing` entry (see no-restricted-imports below)
          allow: ['@airtime/provider-simulator/testing'],
          depConstraints: [
            {
              // The pure core: nothing of ours, and only pure data libraries.
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              allowedExternalImports: [
                'effect',
                'effect/*',
                'libphonenumber-js',
                'libphonenumber-js/*',
                'currency-codes',
                // test-only: specs and the `testing` entry (see the domain's own lint config)
                'fast-check',
                '@fast-check/jest',
                '@jest/globals',
              ],
            },
            {
              sourceTag: 'type:application',
              onlyDependOnLibsWithTags: ['type:domain', 'type:application'],
            },
            {
              // Shared plumbing of provider adapters (HTTP, redaction, rate limits): the domain only.
              sourceTag: 'type:provider-support',
              onlyDependOnLibsWithTags: ['type:domain'],
            },
            {
              // Adapters see the domain, the application lib and the provider support lib, never each other.
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:provider-support'],
            },
            {
              // What the apps share to be composed alike (logger, clock, ids, layers, the top-up command worker,
              // the scheduler's loops): the domain, the application lib and the adapters, never an app.
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:application',
                'type:adapter',
                'type:provider-support',
                'type:runtime',
              ],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:application',
                'type:adapter',
                'type:provider-support',
                'type:runtime',
              ],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['*'],
            },
          ],
        },
      ],
    },
  },
  {
    // test helpers (`@airtime/<lib>/testing`, `src/testing/**`) are for specs, other testing entries and tools only
    files: ['libs/**/src/**/*.ts', 'apps/**/src/**/*.ts', 'src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/src/testing.ts', '**/src/testing/**', '**/src/faults/**', '**/model-based/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@airtime/*/testing'], message: 'Testing entries are for specs and test helpers only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ThrowStatement > Literal[value=/./]', message: 'Throw a typed error, never a string.' },
      ],
    },
  },
];
