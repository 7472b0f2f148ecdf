// A program of this lib run as a child process for tests that kill it: one
// node process (not tsx's CLI, which would run the program in a grandchild
// that SIGKILL misses), a minimal environment plus the variables given,
// stdout and stderr piped. Either a TypeScript file with tsx as a loader and
// the lib's tsconfig (two to three seconds to start), or a bundle of it
// (bundleEntry of the testing entry: node starts it in well under a second).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../../../../..');

/** PATH, HOME and LANG of this process, then `env`. */
const childEnvironment = (env: Readonly<Record<string, string>>): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: process.env['HOME'] ?? '',
  ...(process.env['LANG'] === undefined ? {} : { LANG: process.env['LANG'] }),
  ...env,
});

const spawnNode = (args: readonly string[], env: Readonly<Record<string, string>>): ChildProcess =>
  spawn(process.execPath, args, { cwd: workspaceRoot, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });

/** Starts `file` (absolute) in one node process under tsx, with PATH, HOME, LANG and `env`. */
export const spawnTsxChild = (file: string, env: Readonly<Record<string, string>>): ChildProcess =>
  spawnNode(['--import', 'tsx', file], {
    TSX_TSCONFIG_PATH: path.join(workspaceRoot, 'libs/persistence-postgres/tsconfig.lib.json'),
    ...env,
  });

/** Starts `bundle` (an absolute path to a bundled .js file) in one plain node process, with PATH, HOME, LANG and `env`. */
export const spawnBundledChild = (bundle: string, env: Readonly<Record<string, string>>): ChildProcess =>
  spawnNode([bundle], env);
